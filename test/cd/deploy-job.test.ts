import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCloud, startLocalCloud } from '../helpers/local-cloud.js';
import { aws, awsJson } from '../logs/support.js';

const root = resolve(import.meta.dirname, '../..');

/** Runs a command with the local cloud as AWS (`AWS_ENDPOINT_URL`) and throwaway credentials. */
function run(
  cmd: string,
  args: string[],
  cwd: string,
  endpoint: string,
): Promise<{ code: number; out: string }> {
  return new Promise((res) => {
    execFile(
      cmd,
      args,
      {
        cwd,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ENDPOINT_URL: endpoint,
          AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
          AWS_SECRET_ACCESS_KEY: 'local-secret',
          AWS_REGION: 'us-east-1',
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        res({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout + stderr }),
    );
  });
}

const handler = (marker: string) =>
  `exports.handler = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deployed: '${marker}' }) });\n`;

/**
 * The original CD job's code-only path, offline: its steps from .github/workflows/deploy.yml (zip the handler,
 * `aws s3 cp`, `aws lambda update-function-code --s3-*`, `aws lambda wait function-updated`), then this project's
 * own `npm run deploy:code` (SDK v3), each followed by a call to the API that must answer with the new code.
 */
describe('the CD job against the local cloud', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-cd-'));
  const work = mkdtempSync(join(tmpdir(), 'gatehouse-cd-work-'));
  let cloud: RunningCloud;
  let bucket: string;
  const endpoint = () => cloud.endpoints.awsEndpoint;
  const api = () => cloud.endpoints.apis[0]?.url as string;

  beforeAll(async () => {
    // "Build the function bundle: npm run synth" is the cloud's own start-up synth.
    cloud = await startLocalCloud(dataDir);
    const stacks = await awsJson<{ Stacks: { Outputs: { OutputKey: string; OutputValue: string }[] }[] }>(
      endpoint(),
      ['cloudformation', 'describe-stacks', '--stack-name', 'Gatehouse'],
    );
    bucket = stacks.Stacks[0]?.Outputs.find((o) => o.OutputKey === 'BucketName')?.OutputValue as string;
  }, 600_000);
  afterAll(async () => {
    await cloud?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('runs the original steps with the aws CLI: zip, s3 cp, update-function-code, wait', async () => {
    expect(
      (await aws(endpoint(), ['cloudformation', 'describe-stacks', '--stack-name', 'Gatehouse'])).code,
    ).toBe(0);
    writeFileSync(join(work, 'index.js'), handler('cli'));
    expect((await run('zip', ['-q', 'deploy.zip', 'index.js'], work, endpoint())).code).toBe(0);
    const cp = await run('aws', ['s3', 'cp', 'deploy.zip', `s3://${bucket}`], work, endpoint());
    expect(cp).toMatchObject({ code: 0 });
    const updated = await awsJson<{ LastUpdateStatus: string }>(endpoint(), [
      'lambda',
      'update-function-code',
      '--function-name',
      'api-backend-demo',
      '--s3-bucket',
      bucket,
      '--s3-key',
      'deploy.zip',
    ]);
    expect(updated.LastUpdateStatus).toBe('InProgress');
    expect(
      (await aws(endpoint(), ['lambda', 'wait', 'function-updated', '--function-name', 'api-backend-demo']))
        .code,
    ).toBe(0);
    const res = await fetch(`${api()}/`);
    expect(await res.json()).toEqual({ deployed: 'cli' });
  }, 240_000);

  it('runs npm run deploy:code unmodified with AWS_ENDPOINT_URL set', async () => {
    const assetDir = join(work, 'asset');
    mkdirSync(assetDir, { recursive: true });
    writeFileSync(join(assetDir, 'index.js'), handler('deploy:code'));
    const r = await run(
      'npm',
      [
        'run',
        '--silent',
        'deploy:code',
        '--',
        '--asset-dir',
        assetDir,
        '--cdk-out',
        join(dataDir, 'cdk.out'),
      ],
      root,
      endpoint(),
    );
    expect(r.out).toContain('"functionName":"api-backend-demo"');
    expect(r.code).toBe(0);
    const res = await fetch(`${api()}/`);
    expect(await res.json()).toEqual({ deployed: 'deploy:code' });
  }, 120_000);

  it('runs the deploy script with no flags at all beside a synthesized cdk.out, as the CD job does', async () => {
    // The CD job runs `npm run synth` then `npm run deploy:code` in the checkout; here the checkout's cdk.out is the
    // one the cloud synthesized, so the script runs from there: no outputs file, so it asks DescribeStacks.
    const r = await run(
      join(root, 'node_modules/.bin/tsx'),
      [join(root, 'scripts/deploy-code.ts')],
      dataDir,
      endpoint(),
    );
    expect(r.out).toContain(`Uploaded s3://${bucket}/lambda/api-backend-demo/`);
    expect(r.code).toBe(0);
    const res = await fetch(`${api()}/`);
    expect(await res.json()).toMatchObject({ message: expect.stringContaining('Hello from Gatehouse!') });
  }, 120_000);
});
