import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEdge, type Edge } from '../../src/edge/index.js';

/** A logger that keeps nothing (the edge logs every request). */
export const quiet = { info() {}, warn() {}, error() {} };

/** The one AWS endpoint on 127.0.0.1, port 0, with the given services registered by the caller. */
export async function startEdge(): Promise<{ edge: Edge; url: string; close(): Promise<void> }> {
  const edge = createEdge({ log: quiet });
  const server: Server = createServer(edge.listener);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    edge,
    url,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** SDK v3 client settings for a local endpoint. */
export const sdkConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
});

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the aws CLI (v1 here, v2 in CI) against the endpoint, with throwaway credentials and no config files. */
export function aws(endpoint: string, args: string[], cwd?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      'aws',
      [...args, '--output', 'json'],
      {
        cwd,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ENDPOINT_URL: endpoint,
          AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
          AWS_SECRET_ACCESS_KEY: 'local-secret',
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_PAGER: '',
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The JSON a successful CLI call printed; throws with its stderr otherwise. */
export async function awsJson<T = Record<string, unknown>>(
  endpoint: string,
  args: string[],
  cwd?: string,
): Promise<T> {
  const r = await aws(endpoint, args, cwd);
  if (r.code !== 0) throw new Error(`aws ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return (r.stdout.trim() === '' ? {} : JSON.parse(r.stdout)) as T;
}
