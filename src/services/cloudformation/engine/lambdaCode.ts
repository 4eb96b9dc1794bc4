/**
 * AWS::Lambda::Function's code: a function deployed by `cdk deploy` has its code in S3 (`Code.S3Bucket`/`S3Key`,
 * uploaded by the CLI); the engine reads the zip through S3's internal operation and installs it through Lambda's, and
 * records where it went so the topology serves that code. Code already on disk (npm start's cdk.out, by the
 * `aws:asset:path` metadata) and inline `ZipFile` code are used as they are.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isRecord } from '../template.js';
import type { ProviderRequest, ProviderResult, ResourceProvider } from './providers.js';
import { ResourceFailure } from './providers.js';

/** The resource attribute that holds the installed code's directory (internal; not a CloudFormation attribute). */
export const CODE_DIR = 'gatehouse:codeDir';

async function installCode(r: ProviderRequest): Promise<Record<string, unknown>> {
  const metadata = r.resolver.resource(r.logicalId)?.Metadata?.['aws:asset:path'];
  if (typeof metadata === 'string' && r.assetBaseDir && existsSync(resolve(r.assetBaseDir, metadata)))
    return {};
  const code = isRecord(r.properties.Code) ? r.properties.Code : {};
  if (typeof code.ZipFile === 'string' || code.ImageUri !== undefined) return {};
  const { S3Bucket: bucket, S3Key: key } = code;
  if (typeof bucket !== 'string' || typeof key !== 'string') {
    throw new ResourceFailure('Properties validation failed: Code needs S3Bucket and S3Key, or ZipFile');
  }
  const s3 = r.targets.s3;
  const install = r.targets.installCode;
  if (!s3 || !install)
    throw new ResourceFailure('S3 and Lambda code installation are not available in this local cloud');
  const zip = s3.readObject(bucket, key);
  if (!zip) {
    throw new ResourceFailure(
      `Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist. (s3://${bucket}/${key})`,
    );
  }
  try {
    return { [CODE_DIR]: install(zip, r.resolver.ref(r.logicalId, r.logicalId)) };
  } catch (e) {
    throw new ResourceFailure(e instanceof Error ? e.message : String(e));
  }
}

/** The Lambda function provider: installs the code, then serves the function from the topology. */
export function lambdaFunction(base: ResourceProvider): ResourceProvider {
  const withCode = async (r: ProviderRequest, op: 'create' | 'update'): Promise<ProviderResult> => {
    const attributes = await installCode(r);
    const result = await base[op](r);
    return { ...result, attributes: { ...result.attributes, ...attributes } };
  };
  return {
    create: (r) => withCode(r, 'create'),
    update: (r) => withCode(r, 'update'),
    delete: (r) => base.delete(r),
  };
}
