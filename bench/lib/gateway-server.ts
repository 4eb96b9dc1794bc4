/**
 * Starts one server process of the gateway benchmark (bench/lib/gateway-child.ts) and signs, for the issuer that
 * process serves, the same access token the local pool would issue.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type generateKeyPair, type JWK, SignJWT } from 'jose';
import { onCpus } from './affinity.js';
import { CLIENT_ID, type Mode, type Ready, type Rss } from './gateway-common.js';

export type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export interface RunningServer {
  pid: number;
  url: string;
  headers: Record<string, string>;
  rss(): Promise<Rss>;
  stop(): Promise<void>;
}

/** Starts one server process (baseline or gateway) with its own issuer, and a token for that issuer. */
export async function startServer(
  mode: Mode,
  jwk: JWK,
  privateKey: PrivateKey,
  codeDir: string,
  cpus?: string,
): Promise<RunningServer> {
  // Spawned through taskset when pinned, so every thread the process ever starts is on `cpus` from the first.
  const [cmd, args] = onCpus(cpus, process.execPath, [
    ...process.execArgv,
    ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=.bench-prof'] : []),
    fileURLToPath(new URL('./gateway-child.ts', import.meta.url)),
    '--child',
    mode,
    JSON.stringify(jwk),
    codeDir,
  ]);
  const proc = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  // Whatever happens, the server process does not outlive the benchmark.
  const killer = () => proc.kill();
  process.once('exit', killer);
  const next = <T>(t: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: { t: string }) => {
        if (m.t === t) {
          proc.off('message', onMessage);
          proc.off('exit', onExit);
          resolve(m as T);
        }
      };
      const onExit = (code: number | null) => reject(new Error(`${mode} server exited with ${code}`));
      proc.on('message', onMessage);
      proc.once('exit', onExit);
    });
  const { url, issuer } = await next<Ready>('ready');
  // The same claims the local pool puts in an access token, for the issuer the child serves.
  const token = await new SignJWT({
    sub: 'bench-user',
    client_id: CLIENT_ID,
    token_use: 'access',
    scope: 'openid',
    username: 'bench',
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'bench-key' })
    .setIssuer(issuer)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
  const headers = { authorization: `Bearer ${token}` };
  const probe = await fetch(url, { headers });
  if (probe.status !== 200) {
    proc.kill();
    throw new Error(`${mode}: GET /person answered ${probe.status}: ${await probe.text()}`);
  }
  return {
    pid: proc.pid as number,
    url,
    headers,
    rss() {
      const reply = next<Rss>('rss');
      proc.send({ t: 'rss' });
      return reply;
    },
    async stop() {
      process.off('exit', killer);
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.send({ t: 'stop' });
      await exited;
    },
  };
}
