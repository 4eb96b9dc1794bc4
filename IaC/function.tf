# The function built from app/functions (`npm run build:function-zip`), uploaded to the artifact bucket and deployed
# from there, with its role and log group.
resource "aws_s3_bucket" "artifacts" {
  bucket        = var.artifact_bucket_name
  force_destroy = true
}

resource "aws_s3_bucket_public_access_block" "artifacts" {
  bucket                  = aws_s3_bucket.artifacts.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_ownership_controls" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_object" "function" {
  bucket = aws_s3_bucket.artifacts.id
  key    = "function.zip"
  source = var.function_zip
  etag   = filemd5(var.function_zip)
}

resource "aws_cloudwatch_log_group" "function" {
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_days
}

resource "aws_iam_role" "function" {
  name        = "${var.function_name}-role"
  description = "Execution role of ${var.function_name}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "function_logs" {
  name = "logs"
  role = aws_iam_role.function.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "${aws_cloudwatch_log_group.function.arn}:*"
    }]
  })
}

resource "aws_lambda_function" "api" {
  function_name    = var.function_name
  description      = "Gatehouse API backend: public hello on ANY /, caller identity on /person"
  s3_bucket        = aws_s3_bucket.artifacts.id
  s3_key           = aws_s3_object.function.key
  source_code_hash = filebase64sha256(var.function_zip)
  # nodejs22.x: hashicorp/aws 5.x does not accept nodejs24.x (the CDK stack uses nodejs24.x).
  runtime          = "nodejs22.x"
  handler          = "index.handler"
  architectures    = ["arm64"]
  memory_size      = 256
  timeout          = 10
  role             = aws_iam_role.function.arn
  depends_on       = [aws_cloudwatch_log_group.function, aws_iam_role_policy.function_logs]
}
