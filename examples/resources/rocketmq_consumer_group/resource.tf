resource "rocketmq_consumer_group" "orders" {
  name            = "orders-consumer"
  cluster_name    = "DefaultCluster"
  name_servers    = ["10.0.0.1:9876", "10.0.0.2:9876"]
  retry_max_times = 5
  # FIFO consumption for RocketMQ 5 clients (brokers of 5.0 or newer)
  consume_message_orderly = true
  # consumers that fall behind read from the slave (broker id 1) where the brokers set slaveReadEnable
  which_broker_when_consume_slowly = 1
}
