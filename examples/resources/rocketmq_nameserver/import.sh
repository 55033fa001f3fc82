# <host>:<install_dir>/nameserver-<listen_port> -- the id Terraform gave it; "local" is the machine running Terraform.
terraform import rocketmq_nameserver.example 10.0.0.1:/opt/rocketmq/nameserver-9876
