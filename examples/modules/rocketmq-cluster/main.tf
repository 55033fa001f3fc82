# Two hosts, two broker groups, each group's master and slave on different hosts:
#
#   host 1: name server :9876, broker-a master :10911, broker-b slave :10811
#   host 2: name server :9876, broker-b master :10911, broker-a slave :10811
#
# Losing either host leaves one name server and a full copy of every group's data.
# The calling configuration supplies the provider (and its ssh settings).

terraform {
  required_version = ">= 1.3"
  required_providers {
    rocketmq = {
      source  = "tfrocketmq/rocketmq"
      version = ">= 0.1.0"
    }
  }
}

locals {
  addresses = [for h in var.hosts : h.address]

  # Host i runs the master of group i and the slave of the other group. Instances are keyed by host
  # address, so renaming a group replaces its brokers in place instead of moving them between keys.
  masters = {
    for i, address in local.addresses : address => {
      key         = "${var.broker_names[i]}-master"
      broker_name = var.broker_names[i]
    }
  }
  slaves = {
    for i, address in local.addresses : address => {
      key         = "${var.broker_names[(i + 1) % 2]}-slave"
      broker_name = var.broker_names[(i + 1) % 2]
    }
  }
}

resource "rocketmq_nameserver" "this" {
  for_each = toset(local.addresses)

  host         = each.key
  install_dir  = var.install_dir
  distribution = var.distribution
  listen_port  = var.nameserver_port
  jvm_heap     = var.nameserver_heap
  jvm_options  = var.jvm_options
}

resource "rocketmq_broker" "master" {
  for_each = local.masters

  host            = each.key
  install_dir     = var.install_dir
  distribution    = var.distribution
  cluster_name    = var.cluster_name
  broker_name     = each.value.broker_name
  broker_id       = 0
  broker_role     = "SYNC_MASTER"
  flush_disk_type = "ASYNC_FLUSH"
  # every broker registers with both name servers (namesrvAddr=h1:9876;h2:9876)
  name_servers = [for address in local.addresses : rocketmq_nameserver.this[address].address]
  listen_port  = var.master_port
  broker_ip1   = each.key
  jvm_heap     = lookup(var.broker_heap_overrides, each.value.key, var.broker_heap)
  jvm_options  = var.jvm_options
  properties   = var.broker_properties

  delete_when        = var.delete_when
  file_reserved_time = var.file_reserved_time

  authentication_enabled = var.authentication_enabled ? true : null
  authorization_enabled  = var.authentication_enabled ? true : null
}

# No depends_on between masters and slaves: the provider orders restarts itself (slaves first, one member of a
# group at a time), and a dependency would make Terraform apply the masters first.
resource "rocketmq_broker" "slave" {
  for_each = local.slaves

  host            = each.key
  install_dir     = var.install_dir
  distribution    = var.distribution
  cluster_name    = var.cluster_name
  broker_name     = each.value.broker_name
  broker_id       = 1
  broker_role     = "SLAVE"
  flush_disk_type = "ASYNC_FLUSH"
  name_servers    = [for address in local.addresses : rocketmq_nameserver.this[address].address]
  listen_port     = var.slave_port
  broker_ip1      = each.key
  jvm_heap        = lookup(var.broker_heap_overrides, each.value.key, var.broker_heap)
  jvm_options     = var.jvm_options
  properties      = var.broker_properties

  delete_when        = var.delete_when
  file_reserved_time = var.file_reserved_time

  authentication_enabled = var.authentication_enabled ? true : null
  authorization_enabled  = var.authentication_enabled ? true : null
}

# One proxy per host, in cluster mode: RocketMQ 5 clients connect to either; each finds the brokers through both
# name servers. With authentication on, a proxy checks clients against the users and ACLs the brokers keep.
resource "rocketmq_proxy" "this" {
  for_each = var.proxy_enabled ? toset(local.addresses) : toset([])

  host          = each.key
  install_dir   = var.install_dir
  distribution  = var.distribution
  cluster_name  = var.cluster_name
  name_servers  = [for address in local.addresses : rocketmq_nameserver.this[address].address]
  listen_port   = var.proxy_port
  remoting_port = var.proxy_remoting_port
  jvm_heap      = var.proxy_heap
  jvm_options   = var.jvm_options

  authentication_enabled = var.authentication_enabled ? true : null
  authorization_enabled  = var.authentication_enabled ? true : null

  # a proxy serves once a broker of its cluster is registered
  depends_on = [rocketmq_broker.master]
}
