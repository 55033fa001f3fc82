output "name_servers" {
  description = "The name servers, for clients: namesrvAddr or mqadmin -n."
  value       = module.cluster.namesrv_addr
}

output "brokers" {
  description = "Broker addresses by group and role."
  value       = module.cluster.brokers
}

output "topic" {
  description = "The example topic."
  value       = rocketmq_topic.orders.name
}
