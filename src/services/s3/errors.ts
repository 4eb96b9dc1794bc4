import { AwsError } from '../../protocols/index.js';

/**
 * S3's own error codes, with their statuses and the extra elements S3 puts in `<Error>`.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
 */
export const S3Errors = {
  noSuchBucket: (bucket: string) =>
    new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket }),
  noSuchKey: (key: string) =>
    new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key }),
  noSuchUpload: (uploadId: string) =>
    new AwsError(
      'NoSuchUpload',
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      404,
      { UploadId: uploadId },
    ),
  bucketNotEmpty: (bucket: string) =>
    new AwsError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, {
      BucketName: bucket,
    }),
  bucketAlreadyOwnedByYou: (bucket: string) =>
    new AwsError(
      'BucketAlreadyOwnedByYou',
      'Your previous request to create the named bucket succeeded and you already own it.',
      409,
      { BucketName: bucket },
    ),
  invalidBucketName: (bucket: string) =>
    new AwsError('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: bucket }),
  invalidRange: (size: number, range: string) =>
    new AwsError('InvalidRange', 'The requested range is not satisfiable', 416, {
      RangeRequested: range,
      ActualObjectSize: String(size),
    }),
  badDigest: (what: string) =>
    new AwsError('BadDigest', `The ${what} you specified did not match the calculated checksum.`, 400),
  badContentMd5: () =>
    new AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400),
  invalidDigest: () => new AwsError('InvalidDigest', 'The Content-MD5 you specified is not valid.', 400),
  sha256Mismatch: () =>
    new AwsError(
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
      400,
    ),
  malformedXml: () =>
    new AwsError(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
      400,
    ),
  invalidArgument: (message: string, name?: string, value?: string) =>
    new AwsError('InvalidArgument', message, 400, {
      ...(name ? { ArgumentName: name } : {}),
      ...(value !== undefined ? { ArgumentValue: value } : {}),
    }),
  invalidRequest: (message: string) => new AwsError('InvalidRequest', message, 400),
  invalidPart: () =>
    new AwsError(
      'InvalidPart',
      "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
      400,
    ),
  invalidPartOrder: () =>
    new AwsError(
      'InvalidPartOrder',
      'The list of parts was not in ascending order. Parts must be ordered by part number.',
      400,
    ),
  entityTooSmall: () =>
    new AwsError(
      'EntityTooSmall',
      'Your proposed upload is smaller than the minimum allowed object size.',
      400,
    ),
  entityTooLarge: (max: number) =>
    new AwsError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed object size.', 400, {
      MaxSizeAllowed: String(max),
    }),
  incompleteBody: () =>
    new AwsError(
      'IncompleteBody',
      'You did not provide the number of bytes specified by the Content-Length HTTP header',
      400,
    ),
  missingContentLength: () =>
    new AwsError('MissingContentLength', 'You must provide the Content-Length HTTP header.', 411),
  preconditionFailed: (condition: string) =>
    new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, {
      Condition: condition,
    }),
  notImplemented: (what: string) =>
    new AwsError(
      'NotImplemented',
      `A header or query you provided implies functionality that is not implemented: ${what}`,
      501,
    ),
  methodNotAllowed: (method: string) =>
    new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, {
      Method: method,
      ResourceType: 'OBJECT',
    }),
};
