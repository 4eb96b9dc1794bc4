import { type AwsService, restJsonService } from '../../protocols/index.js';
import { committing } from '../../store/records.js';
import { type LambdaApiDeps, type LambdaControl, lambdaOperations } from './api/index.js';
import { model } from './api/model.gen.js';

/** A ZipFile of 50 MB travels base64 in JSON: about 67 MB. */
const BODY_LIMIT = 70 * 1024 * 1024;

/**
 * Lambda's API (restJson1, `/2015-03-31/functions/...`) on the one AWS endpoint.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Operations.html
 */
export function lambdaApiService(d: LambdaApiDeps, control?: LambdaControl): AwsService {
  return restJsonService({
    model,
    // What the operation changed beside the registry (tags, policy, versions, aliases) is stored before it answers;
    // Invoke changes none of it and is skipped (the SDKs' hot path).
    operations: control
      ? committing(lambdaOperations(d, control), () => control.commit(), ['Invoke'])
      : lambdaOperations(d),
    bodyLimit: BODY_LIMIT,
    codes: { serialization: 'InvalidRequestContentException', internal: 'ServiceException' },
  });
}
