# Terraform 1.11+: the password is write-only, from an ephemeral variable, and never stored in plan or state.
variable "orders_app_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "rocketmq_user" "orders_app" {
  username     = "orders-app"
  cluster_name = "DefaultCluster"
  password     = var.orders_app_password
  # change it (with a new password) to rotate the password
  password_version = 1
  user_type        = "Normal"
  user_status      = "enable"
}
