import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { removeEndpointsFile } from '../../src/cli/endpoints.js';
import { loadTopology } from '../../src/services/cloudformation/index.js';
import { type RunningCloud, startLocalCloud } from '../helpers/local-cloud.js';

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };

describe('S3 of `gatehouse start`: the stack bucket, and acknowledged objects across kill -9', () => {
  it('serves the stack bucket on awsEndpoint and keeps every acknowledged object after SIGKILL', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-s3-kill9-'));
    let cloud: RunningCloud | undefined;
    try {
      cloud = await startLocalCloud(dataDir);
      const endpoint = cloud.endpoints.awsEndpoint;
      expect(endpoint).toBe(cloud.endpoints.cognitoIdpEndpoint);
      const s3 = new S3Client({
        endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials,
        maxAttempts: 1,
      });
      const topology = loadTopology({
        cdkOutDir: join(dataDir, 'cdk.out'),
        region: 'us-east-1',
        accountId: '000000000000',
      });
      const stackBuckets = (topology.buckets ?? []).map((b) => b.name);
      expect(stackBuckets).toHaveLength(1);
      const listed = await s3.send(new ListBucketsCommand({}));
      // The stack's bucket, beside the CDK bootstrap's assets bucket the local cloud starts with.
      expect(listed.Buckets?.map((b) => b.Name).sort()).toEqual(
        [...stackBuckets, 'cdk-hnb659fds-assets-000000000000-us-east-1'].sort(),
      );
      const bucket = stackBuckets[0] as string;
      const sts = new STSClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
      expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000');
      sts.destroy();

      // Four writers put objects; each is recorded only once its PutObject has been answered.
      const acked = new Map<string, string>();
      let stop = false;
      const writer = async (w: number) => {
        for (let i = 0; !stop; i++) {
          const body = randomBytes(32 * 1024 + i);
          const key = `w${w}/object-${i}`;
          try {
            await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
            acked.set(key, md5(body));
          } catch {
            return; // the process is gone
          }
        }
      };
      const writers = [0, 1, 2, 3].map(writer);
      // An upload that has sent half its body when the process dies.
      const half = request(`${endpoint}/${bucket}/half-written`, {
        method: 'PUT',
        headers: {
          'content-length': String(1024 * 1024),
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00',
        },
      });
      half.on('error', () => {});
      half.write(Buffer.alloc(512 * 1024, 1));
      for (let i = 0; i < 600 && acked.size < 40; i++) await new Promise((r) => setTimeout(r, 50));
      expect(acked.size).toBeGreaterThanOrEqual(40);
      const child = cloud.child;
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      stop = true;
      await Promise.all(writers);
      half.destroy();
      s3.destroy();
      const ackedAtKill = new Map(acked);

      removeEndpointsFile(dataDir);
      cloud = await startLocalCloud(dataDir, ['--no-synth']);
      const again = new S3Client({
        endpoint: cloud.endpoints.awsEndpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials,
        maxAttempts: 1,
      });
      for (const [key, sum] of ackedAtKill) {
        const got = await again.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        expect(md5((await got.Body?.transformToByteArray()) ?? new Uint8Array()), key).toBe(sum);
      }
      const cut = await again
        .send(new HeadObjectCommand({ Bucket: bucket, Key: 'half-written' }))
        .catch((e) => e);
      expect(cut.$metadata.httpStatusCode).toBe(404);
      again.destroy();
    } finally {
      await cloud?.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
    // Synthesis and two starts of the whole local cloud.
  }, 600_000);
});
