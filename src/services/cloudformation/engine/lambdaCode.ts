/**
 * AWS::Lambda::Function's code, as Lambda's internal operations take it: a function deployed by `cdk deploy` has
 * its code in S3 (`Code.S3Bucket`/`S3Key`, uploaded by the CLI), read through S3's internal operation; code already
 * on disk (npm start's cdk.out, by the `aws:asset:path` metadata) is used where it is; inline `ZipFile` source is
 * packaged as Lambda does, into `index.js` or `index.py`.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { inlinePackageFiles } from '../cfnResponse.js';
import { inlineFileName } from '../readFunctions.js';
import { isRecord } from '../template.js';
import type { ProviderRequest } from './providers.js';
import { ResourceFailure } from './providers.js';
import type { LambdaCode } from './targets.js';

/**
 * The resource attribute that holds the directory the function's code runs from (internal; not a CloudFormation
 * attribute): the stack's topology points at it.
 */
export const CODE_DIR = 'gatehouse:codeDir';

/** A fixed time for inline code's zip entries, so the same source is the same package (and CodeSha256). */
const INLINE_MTIME = new Date('1980-01-01T00:00:00Z');

export function functionCode(r: ProviderRequest): LambdaCode {
  const code = isRecord(r.properties.Code) ? r.properties.Code : {};
  // npm start: the asset directory the metadata names, else the `asset.<hash>` directory of a CDK `<hash>.zip` key.
  const asset = r.resolver.resource(r.logicalId)?.Metadata?.['aws:asset:path'];
  const hash = typeof code.S3Key === 'string' ? /^([0-9a-f]{64})\.zip$/.exec(code.S3Key)?.[1] : undefined;
  const local = typeof asset === 'string' ? asset : hash !== undefined ? `asset.${hash}` : undefined;
  if (local !== undefined && r.assetBaseDir) {
    const dir = resolve(r.assetBaseDir, local);
    if (existsSync(dir) && statSync(dir).isDirectory()) return { dir };
  }
  if (code.ImageUri !== undefined || r.properties.PackageType === 'Image') {
    throw new ResourceFailure(
      'Container image functions are not supported by the local cloud; use a zip (asset) function',
    );
  }
  if (typeof code.ZipFile === 'string') {
    const runtime = typeof r.properties.Runtime === 'string' ? r.properties.Runtime : '';
    const file = inlineFileName(runtime);
    if (!file) {
      throw new ResourceFailure(
        `Properties validation failed: ZipFile is only supported for nodejs and python runtimes, not ${runtime}`,
      );
    }
    const files = Object.entries(inlinePackageFiles(file, code.ZipFile)); // with cfn-response/cfnresponse
    return zipSync(Object.fromEntries(files.map(([n, s]) => [n, [strToU8(s), { mtime: INLINE_MTIME }]])));
  }
  const { S3Bucket: bucket, S3Key: key } = code;
  if (typeof bucket !== 'string' || typeof key !== 'string') {
    throw new ResourceFailure('Properties validation failed: Code needs S3Bucket and S3Key, or ZipFile');
  }
  const s3 = r.targets.s3;
  if (!s3) throw new ResourceFailure('S3 is not available in this local cloud');
  const zip = s3.readObject(bucket, key);
  if (!zip) {
    throw new ResourceFailure(
      `Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist. (s3://${bucket}/${key})`,
    );
  }
  return zip;
}
