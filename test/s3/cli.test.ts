import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsEndpoint, type TestEndpoint } from '../helpers/aws-endpoint.js';

const run = promisify(execFile);
/** Each aws invocation starts a Python interpreter: seconds apiece on a loaded 2-core machine. */
const CLI_TIMEOUT = 240_000;

/**
 * The aws CLI against the local S3 (`--endpoint-url`). Written for both CLI v1 (this machine) and v2 (CI may have
 * it): only output both print the same way is asserted, and JSON output is requested explicitly.
 */
describe('S3 through the aws CLI', () => {
  let ep: TestEndpoint;
  let dir: string;
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local-secret',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
  };
  const aws = async (...args: string[]) =>
    (await run('aws', [...args, '--endpoint-url', ep.url], { env, maxBuffer: 64 * 1024 * 1024 })).stdout;
  const json = async (...args: string[]) =>
    JSON.parse(await aws(...args, '--output', 'json')) as Record<string, unknown>;

  beforeAll(async () => {
    ep = await startAwsEndpoint();
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-cli-'));
  });
  afterAll(async () => {
    await ep?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(
    'mb, cp up and down, ls with prefixes, rm and rb',
    async () => {
      await aws('s3', 'mb', 's3://cli-bucket');
      const file = join(dir, 'deploy.zip');
      await writeFile(file, Buffer.alloc(70_000, 3));
      await aws('s3', 'cp', file, 's3://cli-bucket/builds/deploy.zip');
      await aws('s3', 'cp', file, 's3://cli-bucket/builds/v1/old deploy.zip');
      await aws('s3', 'cp', file, 's3://cli-bucket/top.txt');
      const root = await aws('s3', 'ls', 's3://cli-bucket/');
      expect(root).toMatch(/PRE builds\//);
      expect(root).toMatch(/70000 top\.txt/);
      const builds = await aws('s3', 'ls', 's3://cli-bucket/builds/');
      expect(builds).toMatch(/PRE v1\//);
      expect(builds).toMatch(/70000 deploy\.zip/);
      expect(await aws('s3', 'ls', 's3://cli-bucket/builds/v1/')).toMatch(/70000 old deploy\.zip/);
      const back = join(dir, 'back.zip');
      await aws('s3', 'cp', 's3://cli-bucket/builds/deploy.zip', back);
      expect(await readFile(back)).toEqual(await readFile(file));
      await aws('s3', 'rm', 's3://cli-bucket/', '--recursive');
      expect(await aws('s3', 'ls', 's3://cli-bucket/')).toBe('');
      await aws('s3', 'rb', 's3://cli-bucket');
      expect(await aws('s3', 'ls')).not.toMatch(/cli-bucket/);
    },
    CLI_TIMEOUT,
  );

  it(
    'uploads a file over the multipart threshold as a multipart object',
    async () => {
      await aws('s3', 'mb', 's3://cli-big');
      const file = join(dir, 'big.bin');
      const data = Buffer.alloc(9 * 1024 * 1024);
      for (let i = 0; i < data.length; i += 4096) data[i] = i % 251;
      await writeFile(file, data);
      await aws('s3', 'cp', file, 's3://cli-big/big.bin');
      const head = await json('s3api', 'head-object', '--bucket', 'cli-big', '--key', 'big.bin');
      expect(head.ContentLength).toBe(data.length);
      expect(String(head.ETag)).toMatch(/^"[0-9a-f]{32}-\d+"$/);
      const back = join(dir, 'big-back.bin');
      await aws('s3', 'cp', 's3://cli-big/big.bin', back);
      const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
      expect(sha(await readFile(back))).toBe(sha(data));
    },
    CLI_TIMEOUT,
  );

  it(
    's3api: put-object with metadata, head-object, ranged get-object, copy-object, delete-objects',
    async () => {
      await aws('s3api', 'create-bucket', '--bucket', 'cli-api');
      const file = join(dir, 'doc.txt');
      await writeFile(file, 'abcdefghij');
      const put = await json(
        's3api',
        'put-object',
        '--bucket',
        'cli-api',
        '--key',
        'doc.txt',
        '--body',
        file,
        '--content-type',
        'text/plain',
        '--metadata',
        'team=platform',
      );
      expect(put.ETag).toBe(`"${createHash('md5').update('abcdefghij').digest('hex')}"`);
      const head = await json('s3api', 'head-object', '--bucket', 'cli-api', '--key', 'doc.txt');
      expect(head.ContentType).toBe('text/plain');
      expect(head.Metadata).toEqual({ team: 'platform' });
      const out = join(dir, 'range.txt');
      const ranged = await json(
        's3api',
        'get-object',
        '--bucket',
        'cli-api',
        '--key',
        'doc.txt',
        '--range',
        'bytes=3-5',
        out,
      );
      expect(ranged.ContentRange).toBe('bytes 3-5/10');
      expect(await readFile(out, 'utf8')).toBe('def');
      await aws(
        's3api',
        'copy-object',
        '--bucket',
        'cli-api',
        '--key',
        'copy.txt',
        '--copy-source',
        'cli-api/doc.txt',
      );
      const del = await json(
        's3api',
        'delete-objects',
        '--bucket',
        'cli-api',
        '--delete',
        JSON.stringify({ Objects: [{ Key: 'doc.txt' }, { Key: 'copy.txt' }] }),
      );
      expect((del.Deleted as { Key: string }[]).map((d) => d.Key).sort()).toEqual(['copy.txt', 'doc.txt']);
      const err = await aws('s3api', 'head-bucket', '--bucket', 'cli-missing').then(
        () => '',
        (e: { stderr: string }) => e.stderr,
      );
      expect(err).toMatch(/404/);
      const noKey = await aws(
        's3api',
        'get-object',
        '--bucket',
        'cli-api',
        '--key',
        'gone',
        join(dir, 'x'),
      ).then(
        () => '',
        (e: { stderr: string }) => e.stderr,
      );
      expect(noKey).toMatch(/NoSuchKey/);
    },
    CLI_TIMEOUT,
  );
});
