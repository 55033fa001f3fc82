# <cluster_name>/<username>, with name_servers set in the provider block. The password is not imported: it stays
# as the brokers have it until password_version changes.
terraform import rocketmq_user.orders_app DefaultCluster/orders-app
