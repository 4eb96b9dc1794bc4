import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inlinePackageFiles, responseModuleFor } from './cfnResponse.js';

describe('responseModuleFor', () => {
  it('gives Node.js code that requires cfn-response the module in its node_modules', () => {
    const m = responseModuleFor('index.js', `const response = require("cfn-response");\n`);
    expect(m?.path).toBe('node_modules/cfn-response/index.js');
    expect(m?.source).toContain('exports.send = function send(');
  });

  it('gives Python code with the exact import statement cfnresponse.py', () => {
    const m = responseModuleFor('index.py', 'import json\nimport cfnresponse\r\n');
    expect(m?.path).toBe('cfnresponse.py');
    expect(m?.source).toContain(
      'def send(event, context, responseStatus, responseData, physicalResourceId=None',
    );
  });

  it('gives nothing to code that does not load it, nor to other import variants (as the docs say)', () => {
    expect(responseModuleFor('index.js', 'exports.handler = async () => 1;')).toBeUndefined();
    expect(responseModuleFor('index.py', 'from cfnresponse import send\n')).toBeUndefined();
    expect(responseModuleFor('index.py', 'import cfnresponse_other\n')).toBeUndefined();
    // The Python import in Node.js code, and the reverse, is no reason either.
    expect(responseModuleFor('index.js', '// import cfnresponse\n')).toBeUndefined();
    expect(responseModuleFor('index.py', "# require('cfn-response')\n")).toBeUndefined();
  });

  it('packages inline code with its module, and code without one alone', () => {
    expect(Object.keys(inlinePackageFiles('index.py', 'import cfnresponse\n'))).toEqual([
      'index.py',
      'cfnresponse.py',
    ]);
    expect(inlinePackageFiles('index.js', 'exports.handler = 1;')).toEqual({
      'index.js': 'exports.handler = 1;',
    });
  });
});

/** Runs cfnresponse.send in python3 against a local HTTP ResponseURL; returns what was PUT there and the output. */
async function sendWithPython(withoutUrllib3: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cfnresponse-'));
  const received: { method?: string; headers?: Record<string, unknown>; body?: unknown }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method,
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString()),
      });
      res.end();
    });
  });
  try {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    writeFileSync(
      join(dir, 'cfnresponse.py'),
      responseModuleFor('index.py', 'import cfnresponse')?.source ?? '',
    );
    const script = `import sys
${withoutUrllib3 ? "sys.modules['urllib3'] = None" : ''}
sys.path.insert(0, ${JSON.stringify(dir)})
import cfnresponse
class Context:
    log_stream_name = '2026/12/04/[$LATEST]abc'
event = {'ResponseURL': 'http://127.0.0.1:${port}/response?X-Amz-Signature=x', 'StackId': 'stack-1',
         'RequestId': 'request-1', 'LogicalResourceId': 'Thing'}
cfnresponse.send(event, Context(), cfnresponse.SUCCESS, {'A': 'b'})
cfnresponse.send(event, Context(), cfnresponse.FAILED, {}, physicalResourceId='p-1', noEcho=True, reason='no')
print('urllib3' if cfnresponse.http is not None else 'urllib')
`;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile('python3', ['-c', script], (e, out, err) =>
        e ? reject(new Error(err || e.message)) : resolve(out),
      ),
    );
    return { received, stdout };
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the Python cfnresponse module', () => {
  for (const withoutUrllib3 of [false, true]) {
    it(`PUTs the response object to the ResponseURL ${withoutUrllib3 ? 'with urllib.request when urllib3 is missing' : 'with urllib3'}`, async () => {
      const { received, stdout } = await sendWithPython(withoutUrllib3);
      if (withoutUrllib3) expect(stdout).toContain('urllib\n');
      expect(stdout).toContain('Status code: 200');
      expect(received.map((r) => r.method)).toEqual(['PUT', 'PUT']);
      expect(received[0]?.headers?.['content-type']).toBe('');
      expect(received[0]?.body).toEqual({
        Status: 'SUCCESS',
        Reason: 'See the details in CloudWatch Log Stream: 2026/12/04/[$LATEST]abc',
        PhysicalResourceId: '2026/12/04/[$LATEST]abc',
        StackId: 'stack-1',
        RequestId: 'request-1',
        LogicalResourceId: 'Thing',
        NoEcho: false,
        Data: { A: 'b' },
      });
      expect(received[1]?.body).toMatchObject({
        Status: 'FAILED',
        Reason: 'no',
        PhysicalResourceId: 'p-1',
        NoEcho: true,
        Data: {},
      });
    });
  }
});
