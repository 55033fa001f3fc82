resource "rocketmq_broker" "master_a" {
  install_dir     = "/opt/rocketmq"
  distribution    = "/srv/dist/rocketmq-all-5.3.3-bin-release.zip"
  cluster_name    = "DefaultCluster"
  broker_name     = "broker-a"
  broker_id       = 0
  broker_role     = "SYNC_MASTER"
  flush_disk_type = "ASYNC_FLUSH"
  name_servers    = ["10.0.0.1:9876", "10.0.0.2:9876"]
  listen_port     = 10911
  broker_ip1      = "10.0.0.1"
  delete_when     = "04"
  jvm_heap        = "1g"
}
