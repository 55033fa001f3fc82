# <host>:<install_dir>/broker-<listen_port> -- the id Terraform gave it; "local" is the machine running Terraform.
terraform import rocketmq_broker.master_a 10.0.0.1:/opt/rocketmq/broker-10911
