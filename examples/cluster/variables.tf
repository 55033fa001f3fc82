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

variable "authentication_enabled" {
  description = "Brokers and proxies with RocketMQ 5.3+ ACL 2.0 authentication and authorization (needs the provider's admin credentials)."
  type        = bool
  default     = false
}

variable "proxy_enabled" {
  description = "A RocketMQ 5 proxy on each host, for 5.x clients."
  type        = bool
  default     = false
}

variable "proxy_heap" {
  description = "JVM heap of each proxy."
  type        = string
  default     = "256m"
}

variable "app_enabled" {
  description = "Create the example application's access (module application-access); needs authentication_enabled."
  type        = bool
  default     = false
}

variable "app_topic_name" {
  description = "The application's topic."
  type        = string
  default     = "app_orders"
}

variable "app_group_name" {
  description = "The application's consumer group."
  type        = string
  default     = "app-orders-consumer"
}

variable "app_retry_max_times" {
  description = "Redeliveries before a message goes to the group's dead-letter topic."
  type        = number
  default     = 16
}

variable "app_username" {
  description = "The user the application signs in as."
  type        = string
  default     = "orders-app"
}

variable "app_password" {
  description = "The application's password (TF_VAR_app_password). Ephemeral: never in plan or state."
  type        = string
  sensitive   = true
  ephemeral   = true
  default     = null
}

variable "app_password_version" {
  description = "Change it to send a new app_password."
  type        = number
  default     = 1
}

variable "app_allow_publish" {
  description = "Whether the application may publish to its topic."
  type        = bool
  default     = true
}
