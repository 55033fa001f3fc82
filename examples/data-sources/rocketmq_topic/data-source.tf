data "rocketmq_topic" "orders" {
  name         = "orders"
  cluster_name = "DefaultCluster"
  name_servers = ["10.0.0.1:9876", "10.0.0.2:9876"]
}
