output "name_servers" {
  description = "Both name servers as host:port, known at plan time (usable in the provider's name_servers)."
  # Built from the input only: a provider block may use it without depending on this module's resources.
  value = [for h in var.hosts : "${h.address}:${var.nameserver_port}"]
}

output "namesrv_addr" {
  description = "The name servers joined with ';', as RocketMQ clients and mqadmin -n take them."
  value       = join(";", [for h in var.hosts : "${h.address}:${var.nameserver_port}"])
}

output "cluster_name" {
  description = "The brokers' cluster name."
  value       = var.cluster_name
}

output "brokers" {
  description = "Broker address (broker_ip1:listen_port) by \"<group>-master\" / \"<group>-slave\"."
  value = merge(
    { for address, b in local.masters : b.key => rocketmq_broker.master[address].address },
    { for address, b in local.slaves : b.key => rocketmq_broker.slave[address].address },
  )
}

output "proxy_endpoints" {
  description = "The proxies' gRPC endpoints (host:port) for RocketMQ 5 clients; empty without proxy_enabled."
  value       = [for address in local.addresses : rocketmq_proxy.this[address].address if var.proxy_enabled]
}
