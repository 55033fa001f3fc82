data "rocketmq_cluster" "all" {
  name_servers = ["10.0.0.1:9876", "10.0.0.2:9876"]
}

output "masters" {
  value = [for b in data.rocketmq_cluster.all.brokers : "${b.broker_name} ${b.address}" if b.broker_id == 0]
}
