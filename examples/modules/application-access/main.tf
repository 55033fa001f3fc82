# What one application needs of a RocketMQ 5.3+ cluster with authentication on: its topic, its consumer group with a
# retry policy, a user to sign in as, and an ACL that lets that user publish to and subscribe from the topic with
# the group, and nothing else. The calling configuration supplies the provider (and its admin credentials).

terraform {
  required_version = ">= 1.11"
  required_providers {
    rocketmq = {
      source  = "tfrocketmq/rocketmq"
      version = ">= 0.1.0"
    }
  }
}

resource "rocketmq_topic" "this" {
  name             = var.topic_name
  cluster_name     = var.cluster_name
  read_queue_nums  = var.queue_nums
  write_queue_nums = var.queue_nums
}

resource "rocketmq_consumer_group" "this" {
  name                     = var.group_name
  cluster_name             = var.cluster_name
  retry_max_times          = var.retry_max_times
  retry_queue_nums         = 1
  consume_broadcast_enable = false
}

resource "rocketmq_user" "this" {
  username         = var.username
  cluster_name     = var.cluster_name
  password         = var.password
  password_version = var.password_version
}

resource "rocketmq_acl" "this" {
  # referring to the user orders the ACL after it (an ACL needs its user) and before it on destroy
  subject      = "User:${rocketmq_user.this.username}"
  cluster_name = var.cluster_name

  policy {
    resource_type = "Topic"
    resource_name = rocketmq_topic.this.name
    actions       = var.allow_publish ? ["Pub", "Sub"] : ["Sub"]
    source_ips    = var.source_ips
  }

  policy {
    resource_type = "Group"
    resource_name = rocketmq_consumer_group.this.name
    actions       = ["Sub"]
    source_ips    = var.source_ips
  }
}
