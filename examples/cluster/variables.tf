variable "host_addresses" {
  description = "Addresses of the two hosts, reachable over SSH from the machine running Terraform."
  type        = list(string)

  validation {
    condition     = length(var.host_addresses) == 2
    error_message = "Give exactly two host addresses."
  }
}

variable "ssh_user" {
  description = "SSH user on the hosts; it must be able to write install_dir."
  type        = string
  default     = "root"
}

variable "private_key_file" {
  description = "Private key file for SSH to the hosts (OpenSSH format)."
  type        = string
  default     = "~/.ssh/id_ed25519"
}

variable "known_hosts_file" {
  description = "known_hosts file holding the hosts' keys; the hosts are refused when their key is missing or different."
  type        = string
  default     = "~/.ssh/known_hosts"
}

variable "distribution" {
  description = "RocketMQ binary release zip on this machine (rocketmq-all-<version>-bin-release.zip)."
  type        = string
}

variable "install_dir" {
  description = "Install directory on the hosts."
  type        = string
  default     = "/opt/rocketmq"
}

variable "cluster_name" {
  description = "Cluster name of the brokers."
  type        = string
  default     = "DefaultCluster"
}

variable "broker_names" {
  description = "Names of the two broker groups."
  type        = list(string)
  default     = ["broker-a", "broker-b"]
}

variable "nameserver_heap" {
  description = "JVM heap of each name server."
  type        = string
  default     = "256m"
}

variable "broker_heap" {
  description = "JVM heap of each broker."
  type        = string
  default     = "512m"
}

variable "broker_heap_overrides" {
  description = "Heap of single brokers by \"<group>-master\" / \"<group>-slave\"."
  type        = map(string)
  default     = {}
}

variable "jvm_options" {
  description = "Extra JVM options for all name servers and brokers."
  type        = list(string)
  default     = ["-XX:+UseSerialGC"]
}

variable "broker_properties" {
  description = "Extra broker.conf properties for all brokers."
  type        = map(string)
  default     = {}
}

variable "topic_name" {
  description = "Name of the example topic."
  type        = string
  default     = "orders"
}

variable "topic_queue_nums" {
  description = "Read and write queues of the topic on each master."
  type        = number
  default     = 8
}

variable "delete_when" {
  description = "deleteWhen of every broker (e.g. \"04\"); null leaves RocketMQ's default."
  type        = string
  default     = null
}

variable "file_reserved_time" {
  description = "fileReservedTime of every broker in hours (e.g. 48); null leaves RocketMQ's default."
  type        = number
  default     = null
}
