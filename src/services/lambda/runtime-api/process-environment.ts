import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  EnvironmentFactory,
  EnvironmentOptions,
  ExecutionEnvironment,
  RuntimeMessage,
} from './contract.js';
import { RuntimeApiServer } from './http-server.js';
import { pythonAwsHttpsSource } from './local-cloud.js';
import { PYTHON_BOOTSTRAP } from './python-bootstrap.js';

const SYNC = '\x1egatehouse-sync ';
/** How long an answer waits for its output's sync line before it is passed on anyway. */
const SYNC_GRACE_MS = 1000;

export interface ProcessRuntimeOptions {
  /** The python3 executable for `python3.x` functions. */
  python: string;
}

/**
 * An execution environment in a child process that speaks the Runtime API over HTTP (`AWS_LAMBDA_RUNTIME_API`):
 * `python3.x` functions through our bootstrap (./python-bootstrap.ts), `provided.*` functions through the
 * `bootstrap` executable in their code. The process's stdout and stderr become the function's log lines.
 * Memory is the process's peak resident set (VmHWM), for REPORT lines. It is not capped while the process runs: an
 * invocation that went past the memory size ends the environment with Runtime.OutOfMemory when it answers.
 */
export function processEnvironments(options: ProcessRuntimeOptions): EnvironmentFactory {
  return (o) => {
    const python = o.spec.runtime.startsWith('python');
    const command = python ? options.python : join(o.spec.codeDir, 'bootstrap');
    // The local cloud's hook runs first (./local-cloud.ts).
    const source =
      o.awsEndpoint === undefined ? PYTHON_BOOTSTRAP : pythonAwsHttpsSource(o.awsEndpoint) + PYTHON_BOOTSTRAP;
    const args = python ? ['-c', source] : [];
    return new ProcessEnvironment(o, command, args, python);
  };
}

class ProcessEnvironment implements ExecutionEnvironment {
  readonly #o: EnvironmentOptions;
  readonly #api: RuntimeApiServer;
  /** Whether the runtime writes sync lines (our bootstrap does; a custom one does not). */
  readonly #syncs: boolean;
  #child: ChildProcess | undefined;
  #ended = false;
  #exitSent = false;
  #maxMb = 0;
  #partial = '';
  readonly #synced = new Set<string>();
  #held: { id: string; message: RuntimeMessage; timer: NodeJS.Timeout } | undefined;

  constructor(o: EnvironmentOptions, command: string, args: string[], syncs: boolean) {
    this.#o = o;
    this.#syncs = syncs;
    this.#api = new RuntimeApiServer((m) => this.#fromApi(m));
    this.#api.listen().then(
      (address) => this.#spawn(command, args, address),
      (e: Error) => this.#fail('Runtime.ApiError', `Could not start the Runtime API: ${e.message}`),
    );
  }

  deliver(invocation: Parameters<ExecutionEnvironment['deliver']>[0]): void {
    this.#api.deliver(invocation);
  }

  maxMemoryMb(): number {
    const pid = this.#child?.pid;
    if (pid === undefined || this.#ended) return this.#maxMb;
    try {
      const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (kb !== undefined) this.#maxMb = Math.max(this.#maxMb, Math.ceil(Number(kb) / 1024));
    } catch {
      // No /proc (not Linux) or the process just ended: keep the last reading.
    }
    return this.#maxMb;
  }

  memoryExceeded(): boolean {
    return this.maxMemoryMb() > this.#o.spec.memorySize;
  }

  ref(): void {
    this.#api.ref();
    this.#child?.ref();
  }

  unref(): void {
    this.#api.unref();
    this.#child?.unref();
  }

  async terminate(): Promise<void> {
    const child = this.#child;
    const exited =
      child && child.exitCode === null && child.signalCode === null
        ? new Promise<void>((r) => child.once('close', () => r()))
        : Promise.resolve();
    this.#ended = true;
    child?.kill('SIGKILL');
    await Promise.all([exited, this.#api.close()]);
  }

  #spawn(command: string, args: string[], address: string): void {
    if (this.#ended) return;
    const child = spawn(command, args, {
      cwd: this.#o.spec.codeDir,
      env: { ...this.#o.env, AWS_LAMBDA_RUNTIME_API: address },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    child.stdout?.setEncoding('utf8').on('data', (c: string) => this.#output(c));
    child.stderr?.setEncoding('utf8').on('data', (c: string) => this.#output(c));
    child.once('error', (e) => this.#fail('Runtime.InvalidEntrypoint', `${command}: ${e.message}`));
    child.once('close', (code, signal) => {
      if (this.#partial !== '') this.#o.onMessage({ t: 'log', line: this.#partial });
      this.#partial = '';
      this.#release();
      if (signal !== null && !this.#ended) {
        this.#o.onMessage({
          t: 'crash',
          errorType: 'Runtime.ExitError',
          errorMessage: `Runtime exited with error: signal: ${signal === 'SIGKILL' ? 'killed' : signal.toLowerCase()}`,
        });
      }
      this.#finish(code ?? 128);
    });
  }

  #fail(errorType: string, errorMessage: string): void {
    this.#o.onMessage({ t: 'crash', errorType, errorMessage });
    this.#finish(127);
  }

  #finish(code: number): void {
    if (this.#exitSent) return;
    this.#exitSent = true;
    this.#ended = true;
    void this.#api.close();
    this.#o.onMessage({ t: 'exit', code });
  }

  #output(chunk: string): void {
    const text = this.#partial + chunk;
    const lines = text.split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith(SYNC)) {
        const id = line.slice(SYNC.length);
        if (this.#held?.id === id) this.#release();
        else this.#synced.add(id);
      } else {
        this.#o.onMessage({ t: 'log', line });
      }
    }
  }

  /** Answers wait for their sync line, so the invocation's output is logged before its END. */
  #fromApi(m: RuntimeMessage): void {
    const id = m.t === 'response' || m.t === 'error' ? m.requestId : m.t === 'initError' ? 'init' : undefined;
    if (id === undefined || !this.#syncs || this.#synced.delete(id)) {
      this.#o.onMessage(m);
      return;
    }
    this.#release();
    this.#held = { id, message: m, timer: setTimeout(() => this.#release(), SYNC_GRACE_MS) };
  }

  #release(): void {
    const held = this.#held;
    if (held === undefined) return;
    this.#held = undefined;
    clearTimeout(held.timer);
    this.#o.onMessage(held.message);
  }
}
