import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  ListObjectVersionsCommand,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  type S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertRegistryMatchesModel } from '../../src/protocols/index.js';
import { model, operations } from '../../src/services/s3/index.js';
import { startAwsEndpoint, type TestEndpoint } from '../helpers/aws-endpoint.js';

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

/** The error an SDK call failed with (the test fails if it did not). */
async function failure(p: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await p;
  } catch (e) {
    return e as S3ServiceException;
  }
  throw new Error('expected the call to fail');
}

describe('S3 through the AWS SDK v3', () => {
  let ep: TestEndpoint;
  let s3: S3Client;
  beforeAll(async () => {
    ep = await startAwsEndpoint({ buckets: ['stack-bucket'] });
    s3 = new S3Client({
      endpoint: ep.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    s3?.destroy();
    await ep?.stop();
  });

  it('serves exactly the modelled operations', () => {
    expect(() => assertRegistryMatchesModel(model, operations)).not.toThrow();
  });

  it('creates, lists, heads, locates and deletes buckets', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'b-one' }));
    const list = await s3.send(new ListBucketsCommand({}));
    expect(list.Buckets?.map((b) => b.Name)).toEqual(['b-one', 'stack-bucket']);
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'b-one' }));
    expect(head.BucketRegion).toBe('us-east-1');
    expect(
      (await s3.send(new GetBucketLocationCommand({ Bucket: 'b-one' }))).LocationConstraint,
    ).toBeUndefined();
    await s3.send(
      new CreateBucketCommand({
        Bucket: 'b-eu',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'b-eu' }))).LocationConstraint).toBe(
      'eu-west-1',
    );
    await s3.send(new PutObjectCommand({ Bucket: 'b-eu', Key: 'k', Body: 'x' }));
    expect((await failure(s3.send(new DeleteBucketCommand({ Bucket: 'b-eu' })))).name).toBe('BucketNotEmpty');
    await s3.send(new DeleteObjectCommand({ Bucket: 'b-eu', Key: 'k' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'b-eu' }));
    const gone = await failure(s3.send(new HeadBucketCommand({ Bucket: 'b-eu' })));
    expect(gone.$metadata.httpStatusCode).toBe(404);
    expect((await failure(s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })))).name).toBe(
      'InvalidBucketName',
    );
  });

  it('round-trips objects with metadata, content type, MD5 ETag and a verified CRC32', async () => {
    const body = Buffer.from('hello, local s3\n');
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: 'stack-bucket',
        Key: 'dir/hello.txt',
        Body: body,
        ContentType: 'text/plain',
        Metadata: { owner: 'alice' },
        CacheControl: 'no-cache',
      }),
    );
    expect(put.ETag).toBe(`"${md5(body)}"`);
    expect(put.ChecksumCRC32).toBeTruthy();
    const got = await s3.send(
      new GetObjectCommand({ Bucket: 'stack-bucket', Key: 'dir/hello.txt', ChecksumMode: 'ENABLED' }),
    );
    expect(Buffer.from((await got.Body?.transformToByteArray()) ?? [])).toEqual(body);
    expect(got.ContentType).toBe('text/plain');
    expect(got.Metadata).toEqual({ owner: 'alice' });
    expect(got.CacheControl).toBe('no-cache');
    expect(got.ETag).toBe(put.ETag);
    expect(got.ChecksumCRC32).toBe(put.ChecksumCRC32);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'stack-bucket', Key: 'dir/hello.txt' }));
    expect(head.ContentLength).toBe(body.length);
    const missing = await failure(s3.send(new GetObjectCommand({ Bucket: 'stack-bucket', Key: 'nope' })));
    expect(missing.name).toBe('NoSuchKey');
    expect(missing.$metadata.httpStatusCode).toBe(404);
    const noBucket = await failure(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })));
    expect(noBucket.name).toBe('NoSuchBucket');
  });

  it('takes a streamed aws-chunked body with a trailing checksum, each algorithm verified', async () => {
    const data = Buffer.alloc(300_000, 7);
    for (const alg of ['CRC32', 'CRC32C', 'SHA256'] as const) {
      const put = await s3.send(
        new PutObjectCommand({
          Bucket: 'stack-bucket',
          Key: `stream-${alg}`,
          Body: Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]),
          ContentLength: data.length,
          ChecksumAlgorithm: alg,
        }),
      );
      expect(put.ETag).toBe(`"${md5(data)}"`);
      const got = await s3.send(
        new GetObjectCommand({ Bucket: 'stack-bucket', Key: `stream-${alg}`, ChecksumMode: 'ENABLED' }),
      );
      // Digests, not toEqual: a deep comparison of 300 kB takes seconds.
      expect(md5(Buffer.from((await got.Body?.transformToByteArray()) ?? []))).toBe(md5(data));
      expect(got[`Checksum${alg}`]).toBe(put[`Checksum${alg}`]);
    }
  });

  it('refuses a body whose checksum does not match with BadDigest, and keeps nothing', async () => {
    const err = await failure(
      s3.send(
        new PutObjectCommand({
          Bucket: 'stack-bucket',
          Key: 'bad-digest',
          Body: 'payload',
          ChecksumCRC32: 'AAAAAA==',
        }),
      ),
    );
    expect(err.name).toBe('BadDigest');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(
      (await failure(s3.send(new HeadObjectCommand({ Bucket: 'stack-bucket', Key: 'bad-digest' })))).$metadata
        .httpStatusCode,
    ).toBe(404);
  });

  it('serves byte ranges and refuses unsatisfiable ones with InvalidRange', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'stack-bucket', Key: 'digits', Body: '0123456789' }));
    const part = await s3.send(
      new GetObjectCommand({ Bucket: 'stack-bucket', Key: 'digits', Range: 'bytes=2-5' }),
    );
    expect(await part.Body?.transformToString()).toBe('2345');
    expect(part.ContentRange).toBe('bytes 2-5/10');
    const tail = await s3.send(
      new GetObjectCommand({ Bucket: 'stack-bucket', Key: 'digits', Range: 'bytes=-3' }),
    );
    expect(await tail.Body?.transformToString()).toBe('789');
    const bad = await failure(
      s3.send(new GetObjectCommand({ Bucket: 'stack-bucket', Key: 'digits', Range: 'bytes=20-' })),
    );
    expect(bad.name).toBe('InvalidRange');
    expect(bad.$metadata.httpStatusCode).toBe(416);
  });

  it('copies objects, keeping or replacing metadata', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket: 'stack-bucket',
        Key: 'src key+1',
        Body: 'copy me',
        Metadata: { a: '1' },
      }),
    );
    const copy = await s3.send(
      new CopyObjectCommand({ Bucket: 'stack-bucket', Key: 'dst', CopySource: 'stack-bucket/src%20key%2B1' }),
    );
    expect(copy.CopyObjectResult?.ETag).toBe(`"${md5('copy me')}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'stack-bucket', Key: 'dst' }));
    expect(await got.Body?.transformToString()).toBe('copy me');
    expect(got.Metadata).toEqual({ a: '1' });
    await s3.send(
      new CopyObjectCommand({
        Bucket: 'stack-bucket',
        Key: 'dst',
        CopySource: 'stack-bucket/dst',
        MetadataDirective: 'REPLACE',
        Metadata: { b: '2' },
        ContentType: 'text/x-copied',
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'stack-bucket', Key: 'dst' }));
    expect(head.Metadata).toEqual({ b: '2' });
    expect(head.ContentType).toBe('text/x-copied');
    const self = await failure(
      s3.send(new CopyObjectCommand({ Bucket: 'stack-bucket', Key: 'dst', CopySource: 'stack-bucket/dst' })),
    );
    expect(self.name).toBe('InvalidRequest');
  });

  it('lists with prefix, delimiter, continuation and url encoding', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'listing' }));
    const keys = ['a/1', 'a/2', 'a/b/3', 'c d/4', 'e+f', 'z'];
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: 'listing', Key, Body: Key }));
    const all: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: 'listing', MaxKeys: 2, ContinuationToken: token }),
      );
      all.push(...(page.Contents ?? []).map((c) => c.Key as string));
      token = page.NextContinuationToken;
      expect(page.KeyCount).toBeLessThanOrEqual(2);
    } while (token);
    expect(all).toEqual(keys);
    const top = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/' }));
    expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/', 'c d/']);
    expect(top.Contents?.map((c) => c.Key)).toEqual(['e+f', 'z']);
    const pages: string[] = [];
    token = undefined;
    do {
      const page: ListObjectsV2CommandOutput = await s3.send(
        new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/', MaxKeys: 1, ContinuationToken: token }),
      );
      pages.push(
        ...(page.CommonPrefixes ?? []).map((p) => p.Prefix as string),
        ...(page.Contents ?? []).map((c) => c.Key as string),
      );
      token = page.NextContinuationToken;
    } while (token);
    expect(pages).toEqual(['a/', 'c d/', 'e+f', 'z']);
    const under = await s3.send(
      new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'a/', Delimiter: '/' }),
    );
    expect(under.Contents?.map((c) => c.Key)).toEqual(['a/1', 'a/2']);
    expect(under.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/b/']);
    const encoded = await s3.send(
      new ListObjectsV2Command({ Bucket: 'listing', EncodingType: 'url', Prefix: 'c' }),
    );
    expect(encoded.Contents?.map((c) => c.Key)).toEqual(['c%20d/4']);
    // An unversioned bucket lists each object as its one version, `null` and latest (CDK's auto-delete reads this).
    const first = await s3.send(new ListObjectVersionsCommand({ Bucket: 'listing', MaxKeys: 4 }));
    expect(first.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest])).toEqual(
      keys.slice(0, 4).map((k) => [k, 'null', true]),
    );
    expect(first.IsTruncated).toBe(true);
    const rest = await s3.send(
      new ListObjectVersionsCommand({ Bucket: 'listing', KeyMarker: first.NextKeyMarker }),
    );
    expect(rest.Versions?.map((v) => v.Key)).toEqual(keys.slice(4));
    expect(rest.IsTruncated).toBe(false);
    const del = await s3.send(
      new DeleteObjectsCommand({ Bucket: 'listing', Delete: { Objects: keys.map((Key) => ({ Key })) } }),
    );
    expect(del.Deleted?.map((d) => d.Key).sort()).toEqual([...keys].sort());
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'listing' }))).KeyCount).toBe(0);
  });

  it('runs a multipart upload with an -N ETag and a composite checksum, and aborts another', async () => {
    const partSize = 5 * 1024 * 1024;
    const p1 = Buffer.alloc(partSize, 1);
    const p2 = Buffer.from('the last part');
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({
        Bucket: 'stack-bucket',
        Key: 'big.bin',
        ContentType: 'application/x-big',
        ChecksumAlgorithm: 'CRC32',
        Metadata: { kind: 'multipart' },
      }),
    );
    const u1 = await s3.send(
      new UploadPartCommand({
        Bucket: 'stack-bucket',
        Key: 'big.bin',
        UploadId,
        PartNumber: 1,
        Body: p1,
        ChecksumAlgorithm: 'CRC32',
      }),
    );
    const u2 = await s3.send(
      new UploadPartCommand({
        Bucket: 'stack-bucket',
        Key: 'big.bin',
        UploadId,
        PartNumber: 2,
        Body: p2,
        ChecksumAlgorithm: 'CRC32',
      }),
    );
    const parts = await s3.send(new ListPartsCommand({ Bucket: 'stack-bucket', Key: 'big.bin', UploadId }));
    expect(parts.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([
      [1, partSize],
      [2, p2.length],
    ]);
    const small = await failure(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'stack-bucket',
          Key: 'big.bin',
          UploadId,
          MultipartUpload: {
            Parts: [
              { PartNumber: 2, ETag: u2.ETag },
              { PartNumber: 1, ETag: u1.ETag },
            ],
          },
        }),
      ),
    );
    expect(small.name).toBe('InvalidPartOrder');
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'stack-bucket',
        Key: 'big.bin',
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: u1.ETag, ChecksumCRC32: u1.ChecksumCRC32 },
            { PartNumber: 2, ETag: u2.ETag, ChecksumCRC32: u2.ChecksumCRC32 },
          ],
        },
      }),
    );
    const expected = createHash('md5')
      .update(Buffer.concat([createHash('md5').update(p1).digest(), createHash('md5').update(p2).digest()]))
      .digest('hex');
    expect(done.ETag).toBe(`"${expected}-2"`);
    expect(done.ChecksumCRC32).toMatch(/-2$/);
    const got = await s3.send(
      new GetObjectCommand({ Bucket: 'stack-bucket', Key: 'big.bin', ChecksumMode: 'ENABLED' }),
    );
    const bytes = Buffer.from((await got.Body?.transformToByteArray()) ?? []);
    expect(bytes.length).toBe(partSize + p2.length);
    expect(md5(bytes)).toBe(md5(Buffer.concat([p1, p2])));
    expect(got.ContentType).toBe('application/x-big');
    expect(got.Metadata).toEqual({ kind: 'multipart' });
    expect(got.ChecksumCRC32).toBe(done.ChecksumCRC32);
    const again = await failure(
      s3.send(new ListPartsCommand({ Bucket: 'stack-bucket', Key: 'big.bin', UploadId })),
    );
    expect(again.name).toBe('NoSuchUpload');

    const other = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'stack-bucket', Key: 'aborted' }));
    await s3.send(
      new UploadPartCommand({
        Bucket: 'stack-bucket',
        Key: 'aborted',
        UploadId: other.UploadId,
        PartNumber: 1,
        Body: 'x',
      }),
    );
    await s3.send(
      new AbortMultipartUploadCommand({ Bucket: 'stack-bucket', Key: 'aborted', UploadId: other.UploadId }),
    );
    expect(
      (await failure(s3.send(new HeadObjectCommand({ Bucket: 'stack-bucket', Key: 'aborted' })))).$metadata
        .httpStatusCode,
    ).toBe(404);
  });
});
