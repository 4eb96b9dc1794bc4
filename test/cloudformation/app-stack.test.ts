/**
 * The app's own CDK stack (app/infra), synthesized offline by the CDK CLI exactly as `npm run synth` does but
 * into a temp dir, must load completely: this is what `npm start` runs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTopology, type Topology } from '../../src/services/cloudformation/index.js';

const repo = join(import.meta.dirname, '..', '..');
const outDir = mkdtempSync(join(tmpdir(), 'gatehouse-app-synth-'));
let topology: Topology;

beforeAll(() => {
  execFileSync(
    join(repo, 'node_modules', '.bin', 'cdk'),
    ['synth', '--no-notices', '--quiet', '-o', outDir],
    {
      cwd: repo,
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CDK_DISABLE_VERSION_CHECK: '1' },
      stdio: 'pipe',
      timeout: 110_000,
    },
  );
  topology = loadTopology({ cdkOutDir: outDir, region: 'us-east-1', accountId: '000000000000' });
}, 120_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the app stack synthesized from app/infra', () => {
  it('has one user pool with a Hosted UI domain prefix', () => {
    expect(topology.userPools).toHaveLength(1);
    const pool = topology.userPools[0];
    expect(pool?.id).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    expect(pool?.domain?.prefix).toMatch(/^[a-z0-9-]+$/);
  });

  it('has one app client with its callback URLs', () => {
    const clients = topology.userPools[0]?.clients ?? [];
    expect(clients).toHaveLength(1);
    expect(clients[0]?.id).toMatch(/^[a-z0-9]{26}$/);
    const callbacks = clients[0]?.properties.CallbackURLs;
    expect(Array.isArray(callbacks) && callbacks.length > 0).toBe(true);
    for (const url of callbacks as string[]) expect(() => new URL(url)).not.toThrow();
  });

  it('has the API serverless_lambda_gw with the stage serverless_lambda_stage and five routes', () => {
    expect(topology.apis.map((a) => a.name)).toEqual(['serverless_lambda_gw']);
    const api = topology.apis[0];
    expect(api?.stages.map((s) => s.name)).toEqual(['serverless_lambda_stage']);
    expect(api?.routes).toHaveLength(5);
    for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
      expect(api?.routes.find((r) => r.routeKey === `${method} /person`)?.authorizationType).toBe('JWT');
    }
  });

  it('has one JWT authorizer whose issuer is the pool and whose audience is the client', () => {
    const api = topology.apis[0];
    expect(api?.authorizers).toHaveLength(1);
    const authorizer = api?.authorizers[0];
    expect(authorizer?.type).toBe('JWT');
    expect(authorizer?.issuer).toBe(
      `https://cognito-idp.${topology.region}.amazonaws.com/${topology.userPools[0]?.id}`,
    );
    expect(authorizer?.audience).toEqual([topology.userPools[0]?.clients[0]?.id]);
  });

  it('has one function, with bundled code in a real directory, behind every route', () => {
    expect(topology.functions).toHaveLength(1);
    const fn = topology.functions[0];
    const entry = ['index.mjs', 'index.js'].find((f) => existsSync(join(fn?.codeDir ?? '', f)));
    expect(entry).toBeDefined();
    const api = topology.apis[0];
    for (const route of api?.routes ?? []) {
      const integration = api?.integrations.find((i) => i.logicalId === route.integrationLogicalId);
      expect(integration?.functionName).toBe(fn?.name);
    }
  });
});
