# Gatehouse in Terraform: the same system as the CDK stack (app/infra/stack.ts). Only the hashicorp/aws provider.
# Against AWS: `terraform apply` as is. Against the local cloud (`npm start -- --empty`): set AWS_ENDPOINT_URL and
# dummy credentials, and TF_VAR_s3_use_path_style=true (see the README's "From Terraform").
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0, < 6.0"
    }
  }
}

provider "aws" {
  region            = var.region
  s3_use_path_style = var.s3_use_path_style
}

data "aws_caller_identity" "current" {}
