resource "rocketmq_acl" "orders_app" {
  subject      = "User:${rocketmq_user.orders_app.username}"
  cluster_name = "DefaultCluster"

  policy {
    resource_type = "Topic"
    resource_name = "orders"
    actions       = ["Pub", "Sub"]
  }

  policy {
    resource_type = "Group"
    resource_name = "orders-"
    pattern_type  = "PREFIXED"
    actions       = ["Sub"]
    source_ips    = ["10.0.0.0/8"]
  }

  policy {
    resource_type = "Topic"
    resource_name = "audit"
    actions       = ["All"]
    decision      = "Deny"
  }
}
