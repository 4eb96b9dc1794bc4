import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertRegistryMatchesModel } from '../../src/protocols/index.js';
import { createSsmService, ssmModel, ssmOperations } from '../../src/services/ssm/index.js';
import { ParameterStore } from '../../src/services/ssm/store.js';
import { FakeClock } from '../../src/shared/clock.js';
import { aws, awsJson, startEdge } from '../logs/support.js';

let dir: string;
let endpoint: string;
let closeEdge: () => Promise<void>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-ssm-'));
  const ssm = createSsmService({
    dataDir: dir,
    clock: new FakeClock(),
    region: 'us-east-1',
    accountId: '000000000000',
  });
  const e = await startEdge();
  e.edge.register(ssm.service);
  endpoint = e.url;
  closeEdge = e.close;
});

afterAll(async () => {
  await closeEdge?.();
  rmSync(dir, { recursive: true, force: true });
});

describe('SSM Parameter Store through the aws CLI', () => {
  it('serves every operation of the model', () => {
    const store = new ParameterStore();
    assertRegistryMatchesModel(
      ssmModel,
      ssmOperations({ store, clock: new FakeClock(), region: 'us-east-1', accountId: '1' }),
    );
  });

  it('puts, reads, versions, lists by path and deletes parameters, with the service errors', {
    timeout: 240_000,
  }, async () => {
    const put = await awsJson(endpoint, [
      'ssm',
      'put-parameter',
      '--name',
      '/app/db/host',
      '--value',
      'h1',
      '--type',
      'String',
    ]);
    expect(put).toMatchObject({ Version: 1, Tier: 'Standard' });
    const again = await aws(endpoint, [
      'ssm',
      'put-parameter',
      '--name',
      '/app/db/host',
      '--value',
      'h2',
      '--type',
      'String',
    ]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('ParameterAlreadyExists');
    await awsJson(endpoint, [
      'ssm',
      'put-parameter',
      '--name',
      '/app/db/host',
      '--value',
      'h2',
      '--overwrite',
    ]);
    await awsJson(endpoint, [
      'ssm',
      'put-parameter',
      '--name',
      '/app/db/port',
      '--value',
      '5432',
      '--type',
      'String',
    ]);
    await awsJson(endpoint, [
      'ssm',
      'put-parameter',
      '--name',
      '/app/top',
      '--value',
      'x',
      '--type',
      'SecureString',
    ]);

    const got = await awsJson<{ Parameter: Record<string, unknown> }>(endpoint, [
      'ssm',
      'get-parameter',
      '--name',
      '/app/db/host',
      '--with-decryption',
    ]);
    expect(got.Parameter).toMatchObject({
      Name: '/app/db/host',
      Value: 'h2',
      Version: 2,
      Type: 'String',
      ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/app/db/host',
    });
    const byVersion = await aws(endpoint, ['ssm', 'get-parameter', '--name', '/app/db/host:1']);
    expect(byVersion.stderr).toContain('ParameterNotFound');

    const many = await awsJson<{ Parameters: { Name: string }[]; InvalidParameters: string[] }>(endpoint, [
      'ssm',
      'get-parameters',
      '--names',
      '/app/db/host',
      '/app/nope',
    ]);
    expect(many.Parameters.map((p) => p.Name)).toEqual(['/app/db/host']);
    expect(many.InvalidParameters).toEqual(['/app/nope']);

    const shallow = await awsJson<{ Parameters: { Name: string }[] }>(endpoint, [
      'ssm',
      'get-parameters-by-path',
      '--path',
      '/app',
    ]);
    expect(shallow.Parameters.map((p) => p.Name)).toEqual(['/app/top']);
    // The CLI follows NextToken pages (1 per page here), so every page is read.
    const deep = await awsJson<{ Parameters: { Name: string }[] }>(endpoint, [
      'ssm',
      'get-parameters-by-path',
      '--path',
      '/app',
      '--recursive',
      '--page-size',
      '1',
    ]);
    expect(deep.Parameters.map((p) => p.Name)).toEqual(['/app/db/host', '/app/db/port', '/app/top']);

    await awsJson(endpoint, ['ssm', 'delete-parameter', '--name', '/app/db/port']);
    const gone = await aws(endpoint, ['ssm', 'get-parameter', '--name', '/app/db/port']);
    expect(gone.stderr).toContain('ParameterNotFound');
    const missingDelete = await aws(endpoint, ['ssm', 'delete-parameter', '--name', '/app/db/port']);
    expect(missingDelete.stderr).toContain('ParameterNotFound');
  });

  it('keeps parameters across a restart of the store', () => {
    const reopened = new ParameterStore(join(dir, 'ssm.json'));
    expect(reopened.get('/app/db/host')).toMatchObject({ value: 'h2', version: 2 });
  });
});
