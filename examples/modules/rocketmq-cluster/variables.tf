variable "hosts" {
  description = "The two hosts, in order. Host 1 runs the master of the first group, host 2 the master of the second."
  type = list(object({
    address = string
  }))

  validation {
    condition     = length(var.hosts) == 2
    error_message = "This layout needs exactly two hosts."
  }
  validation {
    condition     = length(distinct([for h in var.hosts : h.address])) == length(var.hosts)
    error_message = "The two hosts need different addresses."
  }
}

variable "distribution" {
  description = "Path, on the machine running Terraform, of the RocketMQ binary release zip. Uploaded once per host."
  type        = string
}

variable "install_dir" {
  description = "Directory on each host for the unpacked distribution and the name server and broker homes."
  type        = string
  default     = "/opt/rocketmq"
}

variable "cluster_name" {
  description = "brokerClusterName of all four brokers."
  type        = string
  default     = "DefaultCluster"
}

variable "broker_names" {
  description = "Names of the two broker groups; the first group's master runs on the first host."
  type        = list(string)
  default     = ["broker-a", "broker-b"]

  validation {
    condition     = length(var.broker_names) == 2 && length(distinct(var.broker_names)) == 2
    error_message = "Give two different broker group names."
  }
}

variable "nameserver_port" {
  description = "Listen port of the name server on each host."
  type        = number
  default     = 9876
}

variable "master_port" {
  description = "listenPort of the masters. A broker also binds listenPort-2 and listenPort+1."
  type        = number
  default     = 10911
}

variable "slave_port" {
  description = "listenPort of the slaves; keep it at least 4 away from master_port."
  type        = number
  default     = 10811

  validation {
    condition     = var.slave_port > 1024 && var.slave_port < 65535
    error_message = "slave_port must be between 1025 and 65534."
  }
}

variable "nameserver_heap" {
  description = "JVM heap (-Xms/-Xmx) of each name server."
  type        = string
  default     = "256m"
}

variable "broker_heap" {
  description = "JVM heap (-Xms/-Xmx) of each broker."
  type        = string
  default     = "512m"
}

variable "broker_heap_overrides" {
  description = "Heap for single brokers, keyed like the brokers output (\"broker-a-master\", \"broker-b-slave\", ...)."
  type        = map(string)
  default     = {}
}

variable "jvm_options" {
  description = "Extra JVM options for every name server and broker, e.g. [\"-XX:+UseSerialGC\"]."
  type        = list(string)
  default     = []
}

variable "broker_properties" {
  description = "Extra broker.conf properties for all four brokers, e.g. { mappedFileSizeCommitLog = \"67108864\" }."
  type        = map(string)
  default     = {}
}

variable "delete_when" {
  description = "deleteWhen of all four brokers: hour(s) of the day expired commit log files are deleted, e.g. \"04\". Applied live."
  type        = string
  default     = null
}

variable "file_reserved_time" {
  description = "fileReservedTime of all four brokers: hours to keep commit log files. Applied live."
  type        = number
  default     = null
}

variable "authentication_enabled" {
  description = <<-EOT
    Run every broker (and proxy) with RocketMQ 5.3+ ACL 2.0 authentication and authorization on. The provider's
    access_key and secret_key become the first super user of every broker; clients then need a user (rocketmq_user)
    and an ACL (rocketmq_acl).
  EOT
  type        = bool
  default     = false
}

variable "proxy_enabled" {
  description = "Run a RocketMQ 5 proxy (the gRPC endpoint of 5.x clients) in cluster mode on each host."
  type        = bool
  default     = false
}

variable "proxy_port" {
  description = "gRPC port of the proxies (the endpoint 5.x clients use)."
  type        = number
  default     = 8081
}

variable "proxy_remoting_port" {
  description = "Remoting port of the proxies."
  type        = number
  default     = 8080
}

variable "proxy_heap" {
  description = "JVM heap (-Xms/-Xmx) of each proxy."
  type        = string
  default     = "256m"
}
