# <cluster_name>/<subject>, with name_servers set in the provider block:
terraform import rocketmq_acl.orders_app DefaultCluster/User:orders-app
