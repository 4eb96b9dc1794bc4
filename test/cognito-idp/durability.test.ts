import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openStores } from '../../src/store/index.js';

const child = fileURLToPath(new URL('./fixtures/durabilityChild.ts', import.meta.url));
const SIGN_UPS = 200;
/** The test's own deadline, below its vitest timeout, so that `finally` still runs (and kills the child) when slow. */
const DEADLINE_MS = 60_000;

describe('durability', () => {
  it(
    'keeps every acknowledged sign-up after the process is killed with SIGKILL',
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-kill9-'));
      const proc = spawn(process.execPath, ['--import', 'tsx', child, dataDir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        proc.once('exit', (_code, signal) => resolve(signal)),
      );
      let timer: NodeJS.Timeout | undefined;
      try {
        const acked: string[] = [];
        let poolId = '';
        let stderr = '';
        proc.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
        });
        await new Promise<void>((resolve, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new Error(`only ${acked.length} of ${SIGN_UPS} sign-ups acknowledged in ${DEADLINE_MS} ms`),
              ),
            DEADLINE_MS,
          );
          let buf = '';
          proc.stdout.on('data', (d: Buffer) => {
            buf += d.toString();
            let nl = buf.indexOf('\n');
            while (nl >= 0) {
              const line = buf.slice(0, nl);
              buf = buf.slice(nl + 1);
              if (line.startsWith('pool ')) poolId = line.split(' ')[1] as string;
              if (line.startsWith('ack ')) acked.push(line.slice(4));
              nl = buf.indexOf('\n');
            }
            // Kill it while it is still writing, without any chance to flush or close.
            if (acked.length >= SIGN_UPS && !proc.killed) {
              proc.kill('SIGKILL');
              resolve();
            }
          });
          proc.once('exit', () =>
            acked.length >= SIGN_UPS ? resolve() : reject(new Error(`child exited early: ${stderr}`)),
          );
        });
        expect(await exited).toBe('SIGKILL');
        const stores = openStores(dataDir);
        try {
          for (const username of acked) {
            const user = stores.idp.users.get(poolId, username);
            expect(user?.username, `acknowledged ${username} is missing`).toBe(username);
            expect(user?.status).toBe('UNCONFIRMED');
            expect(stores.outbox.list(`${username}@example.com`)).toHaveLength(1);
          }
        } finally {
          stores.close();
        }
      } finally {
        clearTimeout(timer);
        // On a failure or the deadline the child is still signing up: stop it before removing its data dir.
        if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
        await exited;
        await rm(dataDir, { recursive: true, force: true });
      }
    },
    DEADLINE_MS + 30_000,
  );
});
