resource "rocketmq_proxy" "p1" {
  host          = "10.0.0.11"
  install_dir   = "/opt/rocketmq"
  distribution  = "/srv/dist/rocketmq-all-5.3.3-bin-release.zip"
  cluster_name  = "DefaultCluster"
  name_servers  = ["10.0.0.11:9876", "10.0.0.12:9876"]
  listen_port   = 8081 # gRPC: the endpoint of RocketMQ 5 clients
  remoting_port = 8080
  jvm_heap      = "256m"

  # with brokers that run with authentication on (and the provider's access_key / secret_key)
  authentication_enabled = true
  authorization_enabled  = true
}
