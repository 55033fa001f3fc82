# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/tfrocketmq/rocketmq" {
  version     = "0.1.0"
  constraints = "0.1.0"
  hashes = [
    "h1:r7xydsSeVLwyzEhIykp29AM8BSP1TJUmyuo3G07nH/c=",
  ]
}
