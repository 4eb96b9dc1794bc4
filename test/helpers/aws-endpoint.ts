import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEdge } from '../../src/edge/index.js';
import { createS3Service, ensureBuckets } from '../../src/services/s3/index.js';
import { createStsService } from '../../src/services/sts/index.js';
import { S3Store } from '../../src/store/s3/index.js';

export interface TestEndpoint {
  url: string;
  dataDir: string;
  store: S3Store;
  stop(): Promise<void>;
}

export const TEST_ACCOUNT = '123456789012';

/** The one AWS endpoint with S3 and STS, on 127.0.0.1:0 with a temp data dir (what `gatehouse start` wires). */
export async function startAwsEndpoint(
  o: { buckets?: string[]; region?: string } = {},
): Promise<TestEndpoint> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-aws-'));
  const store = new S3Store(join(dataDir, 's3'));
  const region = o.region ?? 'us-east-1';
  const s3 = { store, region, accountId: TEST_ACCOUNT };
  ensureBuckets(s3, o.buckets ?? []);
  const edge = createEdge({
    log: { info: () => {}, error: (obj) => process.stderr.write(`${JSON.stringify(obj)}\n`) },
    services: [createS3Service(s3), createStsService({ accountId: TEST_ACCOUNT })],
  });
  const server = createServer(edge.listener);
  // Longer than any pause between a test's calls, so a client never reuses a socket the server is just closing.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    dataDir,
    store,
    async stop() {
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
