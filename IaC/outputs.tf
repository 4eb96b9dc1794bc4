output "api_endpoint" {
  description = "Invoke URL of the stage (on the local cloud: the local gateway)."
  value       = "${aws_apigatewayv2_api.api.api_endpoint}/${aws_apigatewayv2_stage.stage.name}"
}

output "api_id" {
  value = aws_apigatewayv2_api.api.id
}

output "function_name" {
  value = aws_lambda_function.api.function_name
}

output "bucket_name" {
  value = aws_s3_bucket.artifacts.bucket
}

output "user_pool_id" {
  value = aws_cognito_user_pool.pool.id
}

output "user_pool_client_id" {
  value = aws_cognito_user_pool_client.client.id
}

output "user_pool_client_secret" {
  value     = aws_cognito_user_pool_client.client.client_secret
  sensitive = true
}

output "issuer" {
  value = local.issuer
}

output "account_id" {
  value = data.aws_caller_identity.current.account_id
}
