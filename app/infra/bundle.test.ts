import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App } from 'aws-cdk-lib';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_CLAIMS, httpApiEvent } from '../functions/fixtures/events.js';
import { DEFAULT_STACK_CONFIG } from './config.js';
import { GatehouseStack } from './stack.js';

/** One real synth with bundling on: proves esbuild runs locally (no Docker) and the zip needs nothing else. */
describe('the synthesized function asset', () => {
  let outdir: string;
  let assetDir: string;
  let handler: string;

  beforeAll(async () => {
    outdir = await mkdtemp(join(tmpdir(), 'gatehouse-synth-'));
    // The CLI sets this context; the local cloud finds the code through the aws:asset:path metadata it enables.
    const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
    const stack = new GatehouseStack(app, 'Gatehouse', { config: DEFAULT_STACK_CONFIG });
    const template = app.synth().getStackByName(stack.stackName).template as {
      Resources: Record<
        string,
        { Type: string; Properties: Record<string, unknown>; Metadata: Record<string, string> }
      >;
    };
    const fn = Object.values(template.Resources).find(
      (resource) =>
        resource.Type === 'AWS::Lambda::Function' && resource.Properties.FunctionName === 'api-backend-demo',
    );
    assetDir = join(outdir, String(fn?.Metadata['aws:asset:path']));
    handler = String(fn?.Properties.Handler);
  });

  afterAll(async () => {
    await rm(outdir, { recursive: true, force: true });
  });

  it('is a single self-contained ESM file named after the handler', async () => {
    expect(handler).toBe('index.handler');
    expect(await readdir(assetDir)).toEqual(['index.mjs']);
  });

  it('answers a real payload-2.0 event when loaded from the asset directory', async () => {
    const mod = (await import(pathToFileURL(join(assetDir, 'index.mjs')).href)) as {
      handler: (event: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
    };

    const result = await mod.handler(
      httpApiEvent({ method: 'DELETE', path: '/person', claims: { ...ACCESS_TOKEN_CLAIMS } }),
    );

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(String(result.body)).message).toBe('[DELETE METHOD]Hello,world');
  });
});
