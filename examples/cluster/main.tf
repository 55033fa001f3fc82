# A RocketMQ cluster on two hosts reached over SSH: two name servers, two broker groups (master and slave each,
# crossed over the hosts), and one topic.
#
#   terraform init
#   terraform apply -var 'host_addresses=["10.0.0.11","10.0.0.12"]' \
#                   -var private_key_file=~/.ssh/id_ed25519 \
#                   -var distribution=/path/to/rocketmq-all-5.3.3-bin-release.zip
#
# With authentication on, a proxy on each host and one application's access (topic, group, user, ACL):
#
#   export ROCKETMQ_ACCESS_KEY=admin ROCKETMQ_SECRET_KEY=...     # the provider's admin user, never in state
#   export TF_VAR_app_password=...                               # the application's password, never in state
#   terraform apply ... -var authentication_enabled=true -var proxy_enabled=true -var app_enabled=true

terraform {
  # write-only attributes and ephemeral variables (the application's password)
  required_version = ">= 1.11"
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
  # access_key and secret_key come from ROCKETMQ_ACCESS_KEY and ROCKETMQ_SECRET_KEY: needed with authentication on

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

  authentication_enabled = var.authentication_enabled
  proxy_enabled          = var.proxy_enabled
  proxy_heap             = var.proxy_heap
}

resource "rocketmq_topic" "orders" {
  name             = var.topic_name
  cluster_name     = module.cluster.cluster_name
  read_queue_nums  = var.topic_queue_nums
  write_queue_nums = var.topic_queue_nums

  # the topic is created on the masters once all brokers are up, and deleted before they stop
  depends_on = [module.cluster]
}

# One application's access: its own topic and consumer group, a user and an ACL allowing exactly those.
module "app" {
  source = "../modules/application-access"
  count  = var.app_enabled ? 1 : 0

  cluster_name     = module.cluster.cluster_name
  topic_name       = var.app_topic_name
  group_name       = var.app_group_name
  retry_max_times  = var.app_retry_max_times
  username         = var.app_username
  password         = var.app_password
  password_version = var.app_password_version
  allow_publish    = var.app_allow_publish

  depends_on = [module.cluster]
}
