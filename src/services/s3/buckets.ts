import { readBody, restXmlIdHeaders, send, sendXml } from '../../protocols/index.js';
import { readXmlBody } from '../../protocols/restXml.js';
import { S3Errors } from './errors.js';
import { S3_XMLNS, type S3Context, type S3Operation, type S3Request } from './types.js';

/**
 * S3's bucket naming rules: 3-63 characters of lower-case letters, digits, dots and hyphens, starting and ending
 * with a letter or digit, no `..`, not an IP address.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export function validBucketName(name: string): boolean {
  return (
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !name.startsWith('xn--') &&
    !name.endsWith('-s3alias')
  );
}

/** The bucket, or NoSuchBucket. */
export function requireBucket(ctx: S3Context, name: string) {
  const b = ctx.store.getBucket(name);
  if (!b) throw S3Errors.noSuchBucket(name);
  return b;
}

const owner = (ctx: S3Context) => ({ ID: ctx.accountId.padStart(64, '0'), DisplayName: 'local' });

/** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html */
export const listBuckets: S3Operation = async (ctx, r) => {
  const buckets = ctx.store.listBuckets();
  sendXml(
    r.res,
    200,
    'ListAllMyBucketsResult',
    {
      Owner: owner(ctx),
      Buckets: buckets.length
        ? {
            Bucket: buckets.map((b) => ({
              Name: b.name,
              CreationDate: new Date(b.createdAt).toISOString(),
              BucketRegion: b.region,
            })),
          }
        : '',
    },
    r.ids,
    S3_XMLNS,
  );
};

/**
 * Creates a bucket in the LocationConstraint's region (default: the configured one). Creating a bucket you already
 * own answers 200 in us-east-1 and BucketAlreadyOwnedByYou elsewhere, as S3 does.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
 */
export const createBucket: S3Operation = async (ctx, r) => {
  if (!validBucketName(r.bucket)) throw S3Errors.invalidBucketName(r.bucket);
  const body = await readBody(r.req, 64 * 1024);
  let region = ctx.region;
  if (body.length) {
    const xml = readXmlBody(body);
    const conf = xml?.CreateBucketConfiguration;
    if (!xml || (conf !== '' && (typeof conf !== 'object' || conf === null))) throw S3Errors.malformedXml();
    const lc = typeof conf === 'object' ? (conf as Record<string, unknown>).LocationConstraint : undefined;
    if (typeof lc === 'string' && lc !== '') region = lc === 'EU' ? 'eu-west-1' : lc;
  }
  const created = ctx.store.createBucket({ name: r.bucket, region, createdAt: ctx.clock.now() });
  if (!created && ctx.region !== 'us-east-1') throw S3Errors.bucketAlreadyOwnedByYou(r.bucket);
  send(r.res, 200, { ...restXmlIdHeaders(r.ids), location: `/${r.bucket}` });
};

/** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html */
export const deleteBucket: S3Operation = async (ctx, r) => {
  const result = ctx.store.deleteBucket(r.bucket);
  if (result === 'missing') throw S3Errors.noSuchBucket(r.bucket);
  if (result === 'not-empty') throw S3Errors.bucketNotEmpty(r.bucket);
  send(r.res, 204, restXmlIdHeaders(r.ids));
};

/** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html */
export const headBucket: S3Operation = async (ctx, r) => {
  const b = requireBucket(ctx, r.bucket);
  send(r.res, 200, { ...restXmlIdHeaders(r.ids), 'x-amz-bucket-region': b.region });
};

/** us-east-1 is the empty LocationConstraint, as S3 answers. */
export const getBucketLocation: S3Operation = async (ctx, r: S3Request) => {
  const b = requireBucket(ctx, r.bucket);
  sendXml(
    r.res,
    200,
    'LocationConstraint',
    { '#text': b.region === 'us-east-1' ? '' : b.region },
    r.ids,
    S3_XMLNS,
  );
};
