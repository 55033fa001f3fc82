variable "cluster_name" {
  description = "Cluster whose brokers carry the topic and group and keep the user and ACL."
  type        = string
  default     = "DefaultCluster"
}

variable "topic_name" {
  description = "The application's topic."
  type        = string
}

variable "queue_nums" {
  description = "Read and write queues of the topic on each master."
  type        = number
  default     = 8
}

variable "group_name" {
  description = "The application's consumer group."
  type        = string
}

variable "retry_max_times" {
  description = "How often a message is redelivered to the group before it goes to the dead-letter topic."
  type        = number
  default     = 16
}

variable "username" {
  description = "The user the application signs in as (its access key)."
  type        = string
}

variable "password" {
  description = "The user's password (its secret key). Ephemeral: never kept in plan or state."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "password_version" {
  description = "Change it to send a new password (rotation)."
  type        = number
  default     = 1
}

variable "source_ips" {
  description = "Addresses or CIDR ranges the application connects from; empty: any."
  type        = list(string)
  default     = []
}

variable "allow_publish" {
  description = "Whether the user may publish to the topic (false: subscribe only)."
  type        = bool
  default     = true
}
