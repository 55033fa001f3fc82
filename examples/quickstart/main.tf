# Quick start: one name server, one broker and one topic on this machine.
#   make quickstart          (builds the provider and the RocketMQ runtime archive, then applies this)
#   terraform destroy -var distribution=...   stops everything it started

terraform {
  required_providers {
    rocketmq = {
      source  = "tfrocketmq/rocketmq"
      version = "0.1.0"
    }
  }
}

variable "distribution" {
  description = "RocketMQ binary release archive (rocketmq-all-<version>-bin-release.zip)."
  type        = string
  default     = "../../rocketmq-runtime/target/rocketmq-all-5.3.3-bin-release.zip"
}

locals {
  install_dir  = "${abspath(path.module)}/.rocketmq"
  distribution = abspath(var.distribution)
}

provider "rocketmq" {}

resource "rocketmq_nameserver" "local" {
  install_dir  = local.install_dir
  distribution = local.distribution
  listen_port  = 9876
  jvm_heap     = "256m"
  jvm_options  = ["-XX:+UseSerialGC"]
}

resource "rocketmq_broker" "a" {
  install_dir  = local.install_dir
  distribution = local.distribution
  broker_name  = "broker-a"
  name_servers = [rocketmq_nameserver.local.address]
  listen_port  = 10911
  jvm_heap     = "512m"
  jvm_options  = ["-XX:+UseSerialGC"]
  properties = {
    # small, sparse store files for a laptop
    mappedFileSizeCommitLog    = "67108864"
    mappedFileSizeConsumeQueue = "600000"
  }
}

resource "rocketmq_topic" "quickstart" {
  name             = "QuickStart"
  cluster_name     = rocketmq_broker.a.cluster_name
  name_servers     = [rocketmq_nameserver.local.address]
  read_queue_nums  = 4
  write_queue_nums = 4
}

output "name_server" {
  value = rocketmq_nameserver.local.address
}

output "broker" {
  value = rocketmq_broker.a.address
}

output "topic" {
  value = rocketmq_topic.quickstart.name
}

output "pids" {
  value = {
    nameserver = rocketmq_nameserver.local.pid
    broker     = rocketmq_broker.a.pid
  }
}
