resource "rocketmq_topic" "orders" {
  name             = "orders"
  cluster_name     = "DefaultCluster"
  name_servers     = ["10.0.0.1:9876", "10.0.0.2:9876"]
  read_queue_nums  = 8
  write_queue_nums = 8
  perm             = 6
  message_type     = "NORMAL"
}
