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

output "proxy_endpoints" {
  description = "gRPC endpoints (host:port) of the proxies for RocketMQ 5 clients; empty without proxy_enabled."
  value       = module.cluster.proxy_endpoints
}

output "app" {
  description = "The example application's topic, group and username (its password is the one given); null without app_enabled."
  value = var.app_enabled ? {
    topic    = module.app[0].topic
    group    = module.app[0].group
    username = module.app[0].username
  } : null
}
