import { chmodSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { LambdaRuntime } from '../../src/services/lambda/index.js';
import type { InvokeResult } from '../../src/shared/invoker.js';
import { ACCOUNT, cleanup, codeDir, fn, memoryLogger, REGION } from './helpers.js';

const runtimes: LambdaRuntime[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.close()));
  cleanup();
});

function start(functions: ReturnType<typeof fn>[]) {
  const lines: { line: string; fn: string; stream: string }[] = [];
  const log = memoryLogger();
  const rt = new LambdaRuntime({
    functions,
    log,
    region: REGION,
    accountId: ACCOUNT,
    consoleSink: (line, f, stream) => lines.push({ line, fn: f, stream }),
  });
  runtimes.push(rt);
  return { rt, lines, log };
}

function payload(r: InvokeResult): unknown {
  if (!r.ok) throw new Error(`invocation failed: ${r.kind} ${r.errorType} ${r.errorMessage}`);
  return r.payload;
}

/** The original project's handler shape: a `main.py` with `lambda_handler(event, context)`. */
const MAIN_PY = `import json, logging, os
logger = logging.getLogger()
logger.setLevel(logging.INFO)
calls = 0

def lambda_handler(event, context):
    global calls
    calls += 1
    print("hello from python")
    logger.info("event %s", json.dumps(event))
    mode = event.get("mode")
    if mode == "raise":
        raise ValueError("bad value")
    if mode == "exit":
        os._exit(3)
    if mode == "hang":
        import time
        time.sleep(30)
    if mode == "set":
        return {"s": {1, 2}}
    if mode == "hog":
        hog = bytearray(160 * 1024 * 1024)
        return len(hog)
    return {
        "statusCode": 200,
        "calls": calls,
        "body": json.dumps({"message": "Hello from Lambda!"}),
        "context": {
            "function_name": context.function_name,
            "function_version": context.function_version,
            "invoked_function_arn": context.invoked_function_arn,
            "memory_limit_in_mb": context.memory_limit_in_mb,
            "aws_request_id": context.aws_request_id,
            "log_group_name": context.log_group_name,
            "log_stream_name": context.log_stream_name,
            "remaining": context.get_remaining_time_in_millis(),
        },
        "env": {k: os.environ.get(k) for k in ["AWS_LAMBDA_FUNCTION_NAME", "AWS_REGION", "AWS_EXECUTION_ENV", "_HANDLER", "TABLE", "HOME"]},
        "runtime_api": os.environ.get("AWS_LAMBDA_RUNTIME_API"),
        "cwd": os.getcwd(),
    }
`;

const py = (name: string, dir: string, over: Parameters<typeof fn>[2] = {}) =>
  fn(name, dir, { runtime: 'python3.12', handler: 'main.lambda_handler', ...over });

describe('Python functions through the Runtime API', () => {
  it('runs the original main.lambda_handler with a Lambda context and environment, warm on the second call', async () => {
    const dir = codeDir({ 'main.py': MAIN_PY });
    const { rt } = start([py('pyfn', dir, { environment: { TABLE: 't1' }, memorySize: 256, timeout: 5 })]);
    const r1 = await rt.invoke('pyfn', { hello: 'world' });
    const p = payload(r1) as Record<string, Record<string, unknown> | unknown>;
    expect(p).toMatchObject({ statusCode: 200, calls: 1, body: '{"message": "Hello from Lambda!"}' });
    expect(p.context).toMatchObject({
      function_name: 'pyfn',
      function_version: '$LATEST',
      invoked_function_arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:pyfn`,
      memory_limit_in_mb: '256',
      aws_request_id: r1.requestId,
      log_group_name: '/aws/lambda/pyfn',
    });
    const ctx = p.context as { remaining: number; log_stream_name: string };
    expect(ctx.remaining).toBeGreaterThan(3000);
    expect(ctx.remaining).toBeLessThanOrEqual(5000);
    expect(ctx.log_stream_name).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(p.env).toEqual({
      AWS_LAMBDA_FUNCTION_NAME: 'pyfn',
      AWS_REGION: REGION,
      AWS_EXECUTION_ENV: 'AWS_Lambda_python3.12',
      _HANDLER: 'main.lambda_handler',
      TABLE: 't1',
      HOME: null,
    });
    expect(p.runtime_api).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(p.cwd).toBe(dir);
    expect(r1.ok && r1.coldStart).toBe(true);
    const r2 = await rt.invoke('pyfn', {});
    expect(r2.ok && r2.coldStart).toBe(false);
    expect((payload(r2) as { calls: number }).calls).toBe(2);
  });

  it('logs print and logging output between START and END, in one stream per environment, with memory in REPORT', async () => {
    const { rt, lines } = start([py('talk', codeDir({ 'main.py': MAIN_PY }), { memorySize: 192 })]);
    const r = await rt.invoke('talk', { a: 1 });
    const id = r.requestId;
    const text = lines.map((l) => l.line);
    const at = text.indexOf(`START RequestId: ${id} Version: $LATEST`);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(text[at + 1]).toBe('hello from python');
    expect(text[at + 2]).toMatch(
      new RegExp(
        `^\\[INFO\\]\t\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z\t${id}\tevent \\{"a": 1\\}$`,
      ),
    );
    expect(text[at + 3]).toBe(`END RequestId: ${id}`);
    const report = text[at + 4] ?? '';
    expect(report).toMatch(/Memory Size: 192 MB\tMax Memory Used: \d+ MB\tInit Duration: /);
    expect(Number(/Max Memory Used: (\d+)/.exec(report)?.[1])).toBeGreaterThan(1);
    expect(new Set(lines.map((l) => l.stream)).size).toBe(1);
  });

  it("returns a raised exception as the Python runtime's error and keeps the environment", async () => {
    const { rt, lines } = start([py('err', codeDir({ 'main.py': MAIN_PY }))]);
    const r = await rt.invoke('err', { mode: 'raise' });
    expect(r).toMatchObject({
      ok: false,
      kind: 'Unhandled',
      errorType: 'ValueError',
      errorMessage: 'bad value',
    });
    expect(lines.some((l) => l.line.startsWith('[ERROR] ValueError: bad value\rTraceback'))).toBe(true);
    expect(await rt.invoke('err', { mode: 'set' })).toMatchObject({
      ok: false,
      errorType: 'Runtime.MarshalError',
      errorMessage: expect.stringContaining(
        'Unable to marshal response: Object of type set is not JSON serializable',
      ),
    });
    const next = await rt.invoke('err', {});
    expect((payload(next) as { calls: number }).calls).toBe(3);
  });

  it('replaces a runtime that exits or runs past its Timeout', async () => {
    const { rt, lines } = start([py('crash', codeDir({ 'main.py': MAIN_PY }), { timeout: 1 })]);
    const exited = await rt.invoke('crash', { mode: 'exit' });
    expect(exited).toMatchObject({ ok: false, kind: 'Crash', errorType: 'Runtime.ExitError' });
    expect(!exited.ok && exited.errorMessage).toMatch(/Runtime exited with error: exit status 3$/);
    const hung = await rt.invoke('crash', { mode: 'hang' });
    expect(hung).toMatchObject({ ok: false, kind: 'Timeout', errorType: 'Sandbox.Timedout' });
    expect(lines.find((l) => l.line.startsWith(`REPORT RequestId: ${hung.requestId}`))?.line).toMatch(
      /Status: timeout/,
    );
    const fresh = await rt.invoke('crash', {});
    expect(fresh).toMatchObject({ ok: true, coldStart: true });
    expect(rt.stats().functions.crash).toMatchObject({ timeouts: 1, crashes: 1, workers: 1 });
  });

  it('ends an environment that went past its memory size with Runtime.OutOfMemory and starts a new one', async () => {
    const { rt, lines } = start([py('hog', codeDir({ 'main.py': MAIN_PY }), { memorySize: 128 })]);
    const r = await rt.invoke('hog', { mode: 'hog' });
    expect(r).toMatchObject({ ok: false, kind: 'Crash', errorType: 'Runtime.OutOfMemory' });
    expect(lines.find((l) => l.line.startsWith(`REPORT RequestId: ${r.requestId}`))?.line).toMatch(
      /Memory Size: 128 MB\tMax Memory Used: 1[6-9]\d MB.*\tStatus: error\tError Type: Runtime.OutOfMemory$/,
    );
    expect(await rt.invoke('hog', {})).toMatchObject({ ok: true, coldStart: true });
  });

  it('reports init failures with the Python runtime error types', async () => {
    const dir = codeDir({ 'main.py': MAIN_PY, 'broken.py': 'def oops(:\n', 'other.py': 'x = 1\n' });
    const { rt } = start([
      py('nomodule', dir, { handler: 'missing.lambda_handler' }),
      py('syntax', dir, { handler: 'broken.oops' }),
      py('nohandler', dir, { handler: 'other.lambda_handler' }),
      py('malformed', dir, { handler: 'main' }),
    ]);
    expect(await rt.invoke('nomodule', {})).toMatchObject({
      ok: false,
      kind: 'Crash',
      errorType: 'Runtime.ImportModuleError',
      errorMessage: "Unable to import module 'missing': No module named 'missing'",
    });
    expect(await rt.invoke('syntax', {})).toMatchObject({ errorType: 'Runtime.UserCodeSyntaxError' });
    expect(await rt.invoke('nohandler', {})).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: "Handler 'lambda_handler' missing on module 'other'",
    });
    expect(await rt.invoke('malformed', {})).toMatchObject({ errorType: 'Runtime.MalformedHandlerName' });
  });

  it('keeps the log lines of an invocation for LogType=Tail', async () => {
    const { rt } = start([py('tail', codeDir({ 'main.py': MAIN_PY }))]);
    const r = await rt.invoke('tail', {}, { tail: true });
    expect(r.log).toContain(`START RequestId: ${r.requestId}`);
    expect(r.log).toContain('hello from python');
    expect(r.log).toMatch(/REPORT RequestId: .*\n$/);
  });
});

describe('provided runtimes through the Runtime API over HTTP', () => {
  it('runs a bootstrap executable that calls next and response with curl', async () => {
    const dir = codeDir({
      bootstrap: `#!/bin/sh
set -eu
while true; do
  HEADERS=$(mktemp)
  EVENT=$(curl -sS -D "$HEADERS" "http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation/next")
  ID=$(grep -i lambda-runtime-aws-request-id "$HEADERS" | tr -d '\\r' | cut -d' ' -f2)
  echo "got $EVENT"
  curl -sS -X POST "http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation/$ID/response" -d "{\\"echo\\":$EVENT}" >/dev/null
done
`,
    });
    chmodSync(`${dir}/bootstrap`, 0o755);
    const { rt } = start([fn('shell', dir, { runtime: 'provided.al2023', handler: 'unused' })]);
    expect(payload(await rt.invoke('shell', { n: 1 }))).toEqual({ echo: { n: 1 } });
    expect(payload(await rt.invoke('shell', { n: 2 }))).toEqual({ echo: { n: 2 } });
  });
});
