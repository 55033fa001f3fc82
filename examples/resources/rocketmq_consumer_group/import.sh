# <cluster_name>/<name>, with name_servers set in the provider block:
terraform import rocketmq_consumer_group.orders DefaultCluster/orders-consumer

# or naming the name servers (comma-separated) in the ID:
terraform import rocketmq_consumer_group.orders 10.0.0.1:9876,10.0.0.2:9876/DefaultCluster/orders-consumer
