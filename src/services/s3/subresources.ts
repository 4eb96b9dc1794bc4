/**
 * Bucket sub-resources (acl, policy, cors, website, versioning, accelerate, requestPayment, logging, lifecycle,
 * replication, encryption, object-lock, tagging, ownershipControls, publicAccessBlock) and object tagging: what the
 * Terraform provider reads after every bucket it creates, and writes for `aws_s3_bucket_*` resources.
 *
 * A PUT's document is kept as sent (checked to be well-formed XML, or JSON for a policy) and a GET returns it, so a
 * read is exactly what was written. Where nothing is set, S3's own answer: its default (versioning off, SSE-S3,
 * BucketOwnerEnforced, public access blocked, the owner's FULL_CONTROL ACL) or its "not configured" error
 * (NoSuchCORSConfiguration and the like). Each document is committed to the S3 store (`s3.sqlite`) before the
 * answer, so it survives restarts and kill -9. Nothing here changes how objects are served (a website, CORS or a
 * policy is not enforced).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html
 */
import { createHash } from 'node:crypto';
import { AwsError, buildXml, readBody, readXmlBody, restXmlIdHeaders, send } from '../../protocols/index.js';
import type { S3Store } from '../../store/s3/index.js';
import { S3Errors } from './errors.js';
import { S3_XMLNS, type S3Context, type S3Operation, type S3Request } from './types.js';

const notSet = (code: string, message: string, bucket: string) =>
  new AwsError(code, message, 404, { BucketName: bucket });

/** What a GET answers when nothing was PUT: a document, or S3's error. */
type Default = (ctx: S3Context, bucket: string) => string | AwsError;

const xml = (root: string, inner = '') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_XMLNS}">${inner}</${root}>`;

/** The account's canonical user id (64 hex characters, stable for the account). */
const canonicalId = (accountId: string) =>
  createHash('sha256').update(`gatehouse:${accountId}`).digest('hex');

const ownerAcl = (ctx: S3Context) => {
  const id = canonicalId(ctx.accountId);
  return xml(
    'AccessControlPolicy',
    `<Owner><ID>${id}</ID></Owner><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>${id}</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList>`,
  );
};

/**
 * The sub-resources served, by query key: the operation name's stem, the answer when unset, and (for the two a
 * bucket is created with) the error once deleted.
 */
const BUCKET: Record<string, { name: string; unset: Default; deleted?: Default; del?: string }> = {
  acl: { name: 'BucketAcl', unset: (ctx) => ownerAcl(ctx) },
  policy: {
    del: 'DeleteBucketPolicy',
    name: 'BucketPolicy',
    unset: (_c, b) => notSet('NoSuchBucketPolicy', 'The bucket policy does not exist', b),
  },
  cors: {
    del: 'DeleteBucketCors',
    name: 'BucketCors',
    unset: (_c, b) => notSet('NoSuchCORSConfiguration', 'The CORS configuration does not exist', b),
  },
  website: {
    del: 'DeleteBucketWebsite',
    name: 'BucketWebsite',
    unset: (_c, b) =>
      notSet('NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration', b),
  },
  versioning: { name: 'BucketVersioning', unset: () => xml('VersioningConfiguration') },
  accelerate: { name: 'BucketAccelerateConfiguration', unset: () => xml('AccelerateConfiguration') },
  requestPayment: {
    name: 'BucketRequestPayment',
    unset: () => xml('RequestPaymentConfiguration', '<Payer>BucketOwner</Payer>'),
  },
  logging: { name: 'BucketLogging', unset: () => xml('BucketLoggingStatus') },
  lifecycle: {
    del: 'DeleteBucketLifecycle',
    name: 'BucketLifecycleConfiguration',
    unset: (_c, b) => notSet('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', b),
  },
  replication: {
    del: 'DeleteBucketReplication',
    name: 'BucketReplication',
    unset: (_c, b) =>
      notSet('ReplicationConfigurationNotFoundError', 'The replication configuration was not found', b),
  },
  encryption: {
    del: 'DeleteBucketEncryption',
    name: 'BucketEncryption',
    unset: () =>
      xml(
        'ServerSideEncryptionConfiguration',
        '<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule>',
      ),
  },
  'object-lock': {
    name: 'ObjectLockConfiguration',
    unset: (_c, b) =>
      notSet(
        'ObjectLockConfigurationNotFoundError',
        'Object Lock configuration does not exist for this bucket',
        b,
      ),
  },
  tagging: {
    del: 'DeleteBucketTagging',
    name: 'BucketTagging',
    unset: (_c, b) => notSet('NoSuchTagSet', 'The TagSet does not exist', b),
  },
  ownershipControls: {
    del: 'DeleteBucketOwnershipControls',
    name: 'BucketOwnershipControls',
    unset: () =>
      xml('OwnershipControls', '<Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule>'),
    deleted: (_c, b) =>
      notSet('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', b),
  },
  publicAccessBlock: {
    del: 'DeletePublicAccessBlock',
    name: 'PublicAccessBlock',
    unset: () =>
      xml(
        'PublicAccessBlockConfiguration',
        '<BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets>',
      ),
    deleted: (_c, b) =>
      notSet(
        'NoSuchPublicAccessBlockConfiguration',
        'The public access block configuration was not found',
        b,
      ),
  },
};

/** What a DELETE leaves: the sub-resource is gone (not back to the default the bucket was created with). */
const DELETED = '\u0000deleted';

/** Documents by bucket (with its creation time: a re-created bucket starts bare) and sub-resource. */
const docsOf = (ctx: S3Context) => ctx.store.subresources;

function slot(ctx: S3Context, r: S3Request, sub: string): string {
  const b = ctx.store.getBucket(r.bucket);
  if (!b) throw S3Errors.noSuchBucket(r.bucket);
  if (r.key) {
    if (!ctx.store.getObject(r.bucket, r.key)) throw S3Errors.noSuchKey(r.key);
    return `${b.name}@${b.createdAt}/${r.key}?${sub}`;
  }
  return `${b.name}@${b.createdAt}?${sub}`;
}

/**
 * Which sub-resource operation a request is, if any: `GetBucketCors`, `PutBucketAcl`, `DeleteObjectTagging`...
 * The router calls this before its own table.
 */
export function routeSubresource(method: string, key: string, query: URLSearchParams): string | undefined {
  const verb =
    method === 'GET' ? 'Get' : method === 'PUT' ? 'Put' : method === 'DELETE' ? 'Delete' : undefined;
  if (verb === undefined) return undefined;
  if (key) return query.has('tagging') && !query.has('versionId') ? `${verb}ObjectTagging` : undefined;
  const sub = Object.keys(BUCKET).find((k) => query.has(k));
  if (sub === undefined) return undefined;
  const spec = BUCKET[sub] as { name: string; del?: string };
  // S3 has no DELETE for acl, versioning, accelerate, requestPayment, logging or object-lock.
  if (verb === 'Delete') return spec.del;
  return `${verb}${spec.name}`;
}

async function put(ctx: S3Context, r: S3Request, sub: string): Promise<void> {
  const key = slot(ctx, r, sub);
  const body = await readBody(r.req, 1024 * 1024);
  const text = body.toString('utf8');
  let doc: string;
  if (sub === 'acl' && body.length === 0) {
    // A canned ACL (`x-amz-acl: private`) reads back as the owner's grant, as S3 shows `private`.
    const canned = r.req.headers['x-amz-acl'];
    if (canned !== undefined && canned !== 'private' && canned !== 'bucket-owner-full-control') {
      throw S3Errors.invalidArgument(
        `Canned ACL ${String(canned)} is stored but not emulated beyond private`,
      );
    }
    docsOf(ctx).delete(key);
    send(r.res, 200, restXmlIdHeaders(r.ids));
    return;
  }
  if (sub === 'policy') {
    try {
      JSON.parse(text);
    } catch {
      throw new AwsError(
        'MalformedPolicy',
        "Policies must be valid JSON and the first byte must be '{'",
        400,
      );
    }
    doc = text;
  } else {
    if (body.length === 0 || readXmlBody(body) === undefined) throw S3Errors.malformedXml();
    doc = text;
  }
  docsOf(ctx).put(key, doc);
  send(r.res, sub === 'policy' ? 204 : 200, restXmlIdHeaders(r.ids));
}

async function get(ctx: S3Context, r: S3Request, sub: string): Promise<void> {
  const key = slot(ctx, r, sub);
  let doc = docsOf(ctx).get(key);
  const spec = r.key ? undefined : BUCKET[sub];
  if (doc === DELETED) {
    const gone = spec?.deleted?.(ctx, r.bucket);
    if (gone instanceof AwsError) throw gone;
    doc = undefined;
  }
  if (doc === undefined) {
    if (r.key) doc = xml('Tagging', '<TagSet></TagSet>');
    else {
      const unset = (BUCKET[sub] as { unset: Default }).unset(ctx, r.bucket);
      if (unset instanceof AwsError) throw unset;
      doc = unset;
    }
  }
  const type = sub === 'policy' ? 'application/json' : 'application/xml';
  send(r.res, 200, { 'content-type': type, ...restXmlIdHeaders(r.ids) }, doc);
}

async function remove(ctx: S3Context, r: S3Request, sub: string): Promise<void> {
  const key = slot(ctx, r, sub);
  if (!r.key && BUCKET[sub]?.deleted) docsOf(ctx).put(key, DELETED);
  else docsOf(ctx).delete(key);
  send(r.res, 204, restXmlIdHeaders(r.ids));
}

/** Every sub-resource operation, by name (merged into the S3 service's operations). */
export const subresourceOperations: Readonly<Record<string, S3Operation>> = Object.fromEntries([
  ...Object.entries(BUCKET).flatMap(([sub, v]) => [
    [`Get${v.name}`, (ctx: S3Context, r: S3Request) => get(ctx, r, sub)],
    [`Put${v.name}`, (ctx: S3Context, r: S3Request) => put(ctx, r, sub)],
    ...(v.del ? [[v.del, (ctx: S3Context, r: S3Request) => remove(ctx, r, sub)]] : []),
  ]),
  ['GetObjectTagging', (ctx: S3Context, r: S3Request) => get(ctx, r, 'tagging')],
  ['PutObjectTagging', (ctx: S3Context, r: S3Request) => put(ctx, r, 'tagging')],
  ['DeleteObjectTagging', (ctx: S3Context, r: S3Request) => remove(ctx, r, 'tagging')],
]);

/**
 * A bucket's tags set without HTTP (CloudFormation's AWS::S3::Bucket `Tags`), read back by GetBucketTagging as if
 * PutBucketTagging had sent them; no tags removes the tagging.
 */
export function setBucketTags(
  store: S3Store,
  bucket: string,
  tags: readonly { Key: string; Value: string }[],
) {
  const b = store.getBucket(bucket);
  if (!b) throw S3Errors.noSuchBucket(bucket);
  const key = `${b.name}@${b.createdAt}?tagging`;
  if (tags.length === 0) store.subresources.delete(key);
  else
    store.subresources.put(key, buildXml({ Tagging: { '@_xmlns': S3_XMLNS, TagSet: { Tag: [...tags] } } }));
}
