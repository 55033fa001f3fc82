resource "rocketmq_nameserver" "example" {
  install_dir  = "/opt/rocketmq"
  distribution = "/srv/dist/rocketmq-all-5.3.3-bin-release.zip"
  listen_port  = 9876
  jvm_heap     = "256m"
}
