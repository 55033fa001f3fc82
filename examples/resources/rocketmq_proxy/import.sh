# <host>:<install_dir>/proxy-<listen_port> (the id of a proxy Terraform created; "local" for this machine):
terraform import rocketmq_proxy.p1 10.0.0.11:/opt/rocketmq/proxy-8081
