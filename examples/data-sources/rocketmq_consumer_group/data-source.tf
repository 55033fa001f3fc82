data "rocketmq_consumer_group" "orders" {
  name         = "orders-consumer"
  cluster_name = "DefaultCluster"
  name_servers = ["10.0.0.1:9876", "10.0.0.2:9876"]
}

output "orders_lag" {
  value = data.rocketmq_consumer_group.orders.lag
}
