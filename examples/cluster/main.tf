# A RocketMQ cluster on two hosts reached over SSH: two name servers, two broker groups (master and slave each,
# crossed over the hosts), and one topic.
#
#   terraform init
#   terraform apply -var 'host_addresses=["10.0.0.11","10.0.0.12"]' \
#                   -var private_key_file=~/.ssh/id_ed25519 \
#                   -var distribution=/path/to/rocketmq-all-5.3.3-bin-release.zip

terraform {
  required_version = ">= 1.3"
  required_providers {
    rocketmq = {
      source  = "tfrocketmq/rocketmq"
      version = "0.1.0"
    }
  }
}

provider "rocketmq" {
  # known at plan time: the name servers are derived from the host list, not read from the resources
  name_servers = module.cluster.name_servers

  ssh {
    user             = var.ssh_user
    private_key      = file(pathexpand(var.private_key_file))
    known_hosts_file = pathexpand(var.known_hosts_file)
  }
}

module "cluster" {
  source = "../modules/rocketmq-cluster"

  hosts                 = [for address in var.host_addresses : { address = address }]
  distribution          = abspath(pathexpand(var.distribution))
  install_dir           = var.install_dir
  cluster_name          = var.cluster_name
  broker_names          = var.broker_names
  nameserver_heap       = var.nameserver_heap
  broker_heap           = var.broker_heap
  broker_heap_overrides = var.broker_heap_overrides
  jvm_options           = var.jvm_options
  broker_properties     = var.broker_properties
  delete_when           = var.delete_when
  file_reserved_time    = var.file_reserved_time
}

resource "rocketmq_topic" "orders" {
  name             = var.topic_name
  cluster_name     = module.cluster.cluster_name
  read_queue_nums  = var.topic_queue_nums
  write_queue_nums = var.topic_queue_nums

  # the topic is created on the masters once all brokers are up, and deleted before they stop
  depends_on = [module.cluster]
}
