output "topic" {
  description = "The application's topic."
  value       = rocketmq_topic.this.name
}

output "group" {
  description = "The application's consumer group."
  value       = rocketmq_consumer_group.this.name
}

output "username" {
  description = "The user (access key) the application signs in as; its password is the one given."
  value       = rocketmq_user.this.username
}
