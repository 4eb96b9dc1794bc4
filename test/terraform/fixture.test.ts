/**
 * The original's Terraform configuration, in its shape (test/terraform/fixture), applied to an empty local cloud:
 * apply, the API serves the Python handler, `terraform plan` is clean (every read returns what was written), and
 * destroy takes everything out of service. One local cloud for the file; Terraform works in a temp dir.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCloud, startLocalCloud } from '../helpers/local-cloud.js';
import { requireTerraform, type TerraformDir, terraformDir } from './support.js';

const FIXTURE = resolve(import.meta.dirname, 'fixture');

/** GET with a chosen Host header (fetch cannot set one). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolveReq, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => resolveReq({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the original Terraform configuration against an empty local cloud', () => {
  let cloud: RunningCloud;
  let tf: TerraformDir;
  let dataDir: string;
  let zipPath: string;
  const vars = () => ['-var', `lambda_zip=${zipPath}`];
  const sdkConfig = () => ({
    endpoint: cloud.endpoints.awsEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });

  beforeAll(async () => {
    requireTerraform();
    dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-tf-cloud-'));
    cloud = await startLocalCloud(join(dataDir, 'data'), ['--empty']);
    tf = terraformDir(FIXTURE, cloud.endpoints.awsEndpoint);
    zipPath = join(tf.dir, 'deploy.zip');
    const handler = readFileSync(join(FIXTURE, 'handler/main.py'));
    writeFileSync(zipPath, zipSync({ 'main.py': new Uint8Array(handler) }));
    await tf.ok(['init', '-no-color']);
  }, 120_000);

  afterAll(async () => {
    await cloud?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (tf) rmSync(resolve(tf.dir, '..'), { recursive: true, force: true });
  });

  it('applies, serves the Python handler, plans clean and destroys everything', async () => {
    // A failed apply leaves a state the next apply finishes: the function's log group exists already.
    const logs = new CloudWatchLogsClient(sdkConfig());
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/tf-fixture-backend' }));
    const failed = await tf.run(['apply', '-auto-approve', '-no-color', ...vars()]);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain('ResourceAlreadyExistsException');
    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/aws/lambda/tf-fixture-backend' }));
    const applied = await tf.ok(['apply', '-auto-approve', '-no-color', ...vars()]);
    const added = Number(
      /Apply complete! Resources: (\d+) added, 0 changed, 0 destroyed\./.exec(applied)?.[1],
    );
    expect(added).toBeGreaterThanOrEqual(1);
    expect(added).toBeLessThan(23);
    expect((await tf.ok(['state', 'list', '-no-color'])).trim().split('\n')).toHaveLength(23);
    const out = await tf.outputs();
    expect(out.api_endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // The API's local endpoint plus the stage serves the handler, for every route; /person needs a token.
    const stage = `${out.api_endpoint}/${out.stage_name}`;
    const hello = await fetch(`${stage}/hello`);
    expect(hello.status).toBe(200);
    expect(await hello.json()).toEqual({ message: 'hello from python', route: 'GET /hello' });
    expect(((await (await fetch(`${stage}/items/42`)).json()) as { route: string }).route).toBe(
      'GET /items/{id}',
    );
    expect((await fetch(`${stage}/hello`, { method: 'POST', body: '{}' })).status).toBe(200);
    expect((await fetch(`${stage}/person`)).status).toBe(401);
    // Terraform's own invoke_url names `{api-id}.execute-api.<region>.amazonaws.com`: served as that API.
    const byHost = await getWithHost(
      `${out.api_endpoint}/${out.stage_name}/hello`,
      `${out.api_id}.execute-api.us-east-1.amazonaws.com`,
    );
    expect(byHost.status).toBe(200);
    expect(JSON.parse(byHost.body).route).toBe('GET /hello');

    // Every read returns what was written: the provider sees no drift.
    const plan = await tf.run(['plan', '-detailed-exitcode', '-no-color', ...vars()]);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes.');

    // Everything the apply made survives kill -9: restarted on the same ports (the endpoints are attributes),
    // the provider still sees no drift and the routes are served again.
    const ports = ['--idp-port', new URL(cloud.endpoints.awsEndpoint).port];
    ports.push('--api-port', new URL(out.api_endpoint as string).port);
    expect(await cloud.stop('SIGKILL')).toBeNull();
    rmSync(join(dataDir, 'data', 'endpoints.json'), { force: true });
    cloud = await startLocalCloud(join(dataDir, 'data'), ['--empty', ...ports]);
    const replan = await tf.run(['plan', '-detailed-exitcode', '-no-color', ...vars()]);
    expect(replan.code, replan.stdout + replan.stderr).toBe(0);
    expect((await fetch(`${stage}/hello`)).status).toBe(200);

    const destroyed = await tf.ok(['destroy', '-auto-approve', '-no-color', ...vars()]);
    expect(destroyed).toMatch(/Destroy complete! Resources: 23 destroyed\./);
    expect((await fetch(`${stage}/hello`)).status).toBe(404);
    const config = sdkConfig();
    const fns = await new LambdaClient(config).send(new ListFunctionsCommand({}));
    expect(fns.Functions ?? []).toEqual([]);
    const buckets = await new S3Client({ ...config, forcePathStyle: true }).send(new ListBucketsCommand({}));
    // Only the CDK bootstrap bucket the local cloud starts with is left.
    expect((buckets.Buckets ?? []).map((b) => b.Name)).toEqual([
      'cdk-hnb659fds-assets-000000000000-us-east-1',
    ]);
  }, 360_000);
});
