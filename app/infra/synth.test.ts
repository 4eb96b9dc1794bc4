import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm run synth` itself, run the way a fresh clone without an AWS account runs it: no credentials anywhere in
 * the chain, no instance metadata, a dead proxy for any network call, and a `docker` that records being called
 * and fails. Only the output directory differs from the plain command (`cdk.json` points that at `cdk.out/`), so
 * a developer's `cdk.out` is never touched.
 */
const repo = join(import.meta.dirname, '..', '..');
let dir: string;
let outDir: string;
let dockerMarker: string;
let template: { Resources: Record<string, { Type: string }>; Outputs: Record<string, unknown> };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-npm-synth-'));
  outDir = join(dir, 'out');
  dockerMarker = join(dir, 'docker-was-called');
  const fakeDocker = join(dir, 'docker');
  await writeFile(fakeDocker, `#!/bin/sh\necho "$@" >> '${dockerMarker}'\nexit 1\n`);
  await chmod(fakeDocker, 0o755);

  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('AWS_') && !key.startsWith('CDK_')) env[key] = value;
  }
  Object.assign(env, {
    AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    CDK_DOCKER: fakeDocker,
    HTTP_PROXY: 'http://127.0.0.1:9',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    NO_PROXY: '',
  });
  execFileSync('npm', ['run', '--silent', 'synth', '--', '--output', outDir], {
    cwd: repo,
    env,
    stdio: 'pipe',
    timeout: 110_000,
  });
  template = JSON.parse(await readFile(join(outDir, 'Gatehouse.template.json'), 'utf8')) as typeof template;
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run synth', () => {
  it('writes the template with every resource of the stack, offline and without an AWS account', () => {
    const types = Object.values(template.Resources).map((resource) => resource.Type);
    for (const type of [
      'AWS::Cognito::UserPool',
      'AWS::Cognito::UserPoolDomain',
      'AWS::Cognito::UserPoolClient',
      'AWS::ApiGatewayV2::Api',
      'AWS::ApiGatewayV2::Stage',
      'AWS::ApiGatewayV2::Integration',
      'AWS::ApiGatewayV2::Authorizer',
      'AWS::ApiGatewayV2::Route',
      'AWS::Lambda::Function',
      'AWS::Logs::LogGroup',
      'AWS::S3::Bucket',
    ]) {
      expect(types, type).toContain(type);
    }
    expect(Object.keys(template.Outputs)).toEqual(
      expect.arrayContaining(['ApiEndpoint', 'FunctionName', 'BucketName', 'UserPoolId', 'UserPoolClientId']),
    );
  });

  it('needs no context lookups', async () => {
    const manifest = JSON.parse(await readFile(join(outDir, 'manifest.json'), 'utf8')) as {
      missing?: unknown[];
    };

    expect(manifest.missing ?? []).toEqual([]);
  });

  it('bundles the handler with the local esbuild and never calls Docker', async () => {
    expect(await stat(dockerMarker).catch(() => undefined)).toBeUndefined();
  });

  it('writes to cdk.out/ with telemetry and notices off when run without --output', async () => {
    const cdkJson = JSON.parse(await readFile(join(repo, 'cdk.json'), 'utf8')) as { output?: string };
    const pkg = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };

    expect(cdkJson.output).toBe('cdk.out');
    expect(pkg.scripts.synth).toMatch(/CDK_DISABLE_CLI_TELEMETRY=true .*cdk synth .*--no-notices/);
  });
});
