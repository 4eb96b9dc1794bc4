variable "region" {
  type    = string
  default = "us-east-1"
}

variable "s3_use_path_style" {
  description = "Path-style S3 addressing: true for the local cloud (http://127.0.0.1:PORT), false for AWS."
  type        = bool
  default     = false
}

variable "function_zip" {
  description = "The function package built by `npm run build:function-zip`."
  type        = string
  default     = "build/function.zip"
}

variable "user_pool_name" {
  type    = string
  default = "gatehouse-users"
}

variable "app_client_name" {
  type    = string
  default = "gatehouse-app"
}

variable "domain_prefix" {
  description = "Hosted UI domain prefix (globally unique on AWS)."
  type        = string
  default     = "gatehouse-demo"
}

variable "callback_urls" {
  type    = list(string)
  default = ["http://localhost:3000/callback"]
}

variable "logout_urls" {
  type    = list(string)
  default = ["http://localhost:3000/"]
}

variable "api_name" {
  type    = string
  default = "serverless_lambda_gw"
}

variable "stage_name" {
  type    = string
  default = "serverless_lambda_stage"
}

variable "function_name" {
  type    = string
  default = "api-backend-demo"
}

variable "authorizer_name" {
  type    = string
  default = "api-authorizer"
}

variable "artifact_bucket_name" {
  description = "Bucket holding the function package (globally unique on AWS)."
  type        = string
  default     = "gatehouse-artifacts"
}

variable "log_retention_days" {
  type    = number
  default = 7
}
