import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type EndpointsFile, removeEndpointsFile, writeEndpointsFile } from './endpoints.js';

const sample: EndpointsFile = {
  region: 'us-east-1',
  awsEndpoint: 'http://127.0.0.1:9229',
  cognitoIdpEndpoint: 'http://127.0.0.1:9229',
  inboxUrl: 'http://127.0.0.1:9229/_gatehouse/inbox',
  userPools: [],
  apis: [],
};

describe('endpoints.json', () => {
  it('is written whole, leaving no temp file behind, and removed on shutdown', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gh-endpoints-'));
    const path = writeEndpointsFile(join(dir, 'nested'), sample);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(sample);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['endpoints.json']);
    removeEndpointsFile(join(dir, 'nested'));
    expect(existsSync(path)).toBe(false);
  });
});
