/**
 * What a function of the local cloud sees of AWS: in Lambda, a function reaches AWS over HTTPS with its execution
 * role's credentials and the runtime's own AWS SDK. Locally, with `awsEndpoint` set (the CLI sets it for the local
 * cloud's functions):
 * - the SDKs are pointed at the local AWS endpoint (`AWS_ENDPOINT_URL`) with the credentials Lambda would give the
 *   role (local ones, `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`);
 * - raw HTTPS to `*.amazonaws.com` (`https.request`, `https.get`, `fetch`) goes to that endpoint over HTTP, the
 *   request's path, query and `Host` unchanged: CloudFormation's presigned ResponseURL, which CDK's custom resource
 *   handlers PUT to with `https.request` on port 443, reaches the local CloudFormation. Other hosts are untouched;
 * - the AWS SDK for JavaScript v3 the local cloud itself ships is on `NODE_PATH`, as Lambda's Node runtimes provide
 *   one (`/var/runtime/node_modules`).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
import { createHash } from 'node:crypto';
import { mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';

/**
 * A node_modules directory with only the local cloud's `@aws-sdk` in it (a link), as Lambda's runtime provides only
 * the SDK: a function's other missing dependencies are not found in the local cloud's own node_modules. The SDK's
 * own dependencies resolve from where it really is (Node follows the link). Undefined when the SDK is not installed.
 */
function sdkNodeModules(): string | undefined {
  let scope: string;
  try {
    const entry = createRequire(import.meta.url).resolve('@aws-sdk/client-s3');
    const at = entry.lastIndexOf(`${sep}node_modules${sep}`);
    if (at < 0) return undefined;
    scope = join(entry.slice(0, at), 'node_modules', '@aws-sdk');
  } catch {
    return undefined;
  }
  const dir = join(
    tmpdir(),
    `gatehouse-lambda-sdk-${createHash('sha256').update(scope).digest('hex').slice(0, 12)}`,
    'node_modules',
  );
  try {
    mkdirSync(dir, { recursive: true });
    symlinkSync(scope, join(dir, '@aws-sdk'), 'dir');
  } catch (e) {
    // Made before (another start, another process): the link is the same.
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  return dir;
}

let nodeModules: string | undefined | null = null;

/** The variables a local cloud function gets beside Lambda's reserved ones (../env.ts). */
export function localCloudEnvironment(awsEndpoint: string): Record<string, string> {
  if (nodeModules === null) nodeModules = sdkNodeModules();
  return {
    AWS_ENDPOINT_URL: awsEndpoint,
    AWS_ACCESS_KEY_ID: 'local-function-role',
    AWS_SECRET_ACCESS_KEY: 'local-function-role-secret',
    AWS_SESSION_TOKEN: 'local-function-role-session',
    // The handler's own node_modules come first (module resolution walks up from its code); NODE_PATH is last.
    ...(nodeModules ? { NODE_PATH: nodeModules } : {}),
  };
}

/**
 * Plain JavaScript run in a Node worker before the handler loads (see ./worker-environment.ts): sends HTTPS to
 * `*.amazonaws.com` to `endpoint` over HTTP. `endpoint` is an `http://host:port` origin.
 */
export function awsHttpsSource(endpoint: string): string {
  return String.raw`
(function (endpoint) {
  const http = require('node:http');
  const https = require('node:https');
  const target = new URL(endpoint);
  const isAws = (h) => typeof h === 'string' && /(^|\.)amazonaws\.com$/i.test(h.replace(/:\d+$/, ''));
  const original = https.request;
  function request(...args) {
    let i = 0;
    let merged = {};
    if (typeof args[0] === 'string' || args[0] instanceof URL) {
      const u = new URL(String(args[0]));
      merged = { protocol: u.protocol, hostname: u.hostname, port: u.port, path: u.pathname + u.search };
      i = 1;
    }
    if (args[i] !== null && typeof args[i] === 'object') merged = { ...merged, ...args[i++] };
    const cb = typeof args[i] === 'function' ? args[i] : undefined;
    const host = merged.hostname || (merged.host ? String(merged.host).replace(/:\d+$/, '') : undefined);
    if (!isAws(host)) return original.apply(https, args);
    const headers = { ...(merged.headers || {}) };
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'host')) headers.host = host;
    const o = { ...merged, protocol: 'http:', hostname: target.hostname, port: target.port || 80, headers };
    delete o.host;
    delete o.agent;
    delete o.servername;
    return cb ? http.request(o, cb) : http.request(o);
  }
  https.request = request;
  https.get = (...args) => {
    const req = request(...args);
    req.end();
    return req;
  };
  const fetch = globalThis.fetch;
  if (typeof fetch === 'function') {
    globalThis.fetch = function (input, init) {
      const raw = typeof input === 'string' || input instanceof URL ? String(input) : input && input.url;
      let u;
      try {
        u = new URL(raw);
      } catch {
        return fetch(input, init);
      }
      if (u.protocol !== 'https:' || !isAws(u.hostname)) return fetch(input, init);
      const local = target.origin + u.pathname + u.search;
      return fetch(typeof input === 'string' || input instanceof URL ? local : new Request(local, input), init);
    };
  }
})(${JSON.stringify(endpoint)});
`;
}

/**
 * The same hook for the Python runtime: Python source run by the bootstrap (./python-bootstrap.ts) before the handler
 * loads. HTTPS to `*.amazonaws.com` goes to `endpoint` over HTTP, the request's path, query and `Host` unchanged:
 * - `http.client.HTTPSConnection`, and so `urllib.request` (cfnresponse-style handlers) and crhelper;
 * - `urllib3`'s HTTPS connections (the `cfnresponse` module Lambda provides, `requests`, botocore), patched when
 *   `urllib3.connection` is first imported, so functions that never use it do not pay for importing it.
 * Other hosts, proxies and tunnels are untouched. `endpoint` is an `http://host:port` origin.
 */
export function pythonAwsHttpsSource(endpoint: string): string {
  return String.raw`
def _gatehouse_aws_https(endpoint):
    import http.client, importlib.machinery, re, socket, sys, urllib.parse
    target = urllib.parse.urlsplit(endpoint)
    address = (target.hostname, target.port or 80)
    aws = re.compile(r'(^|\.)amazonaws\.com\.?$', re.IGNORECASE)

    def local(conn):
        return isinstance(conn.host, str) and aws.search(conn.host) is not None and not getattr(conn, '_tunnel_host', None)

    def patch(cls):
        original = cls.connect
        def connect(self):
            if not local(self):
                return original(self)
            self.sock = socket.create_connection(address, self.timeout)
            # What TLS to AWS would have given: urllib3 warns about unverified HTTPS otherwise.
            self.is_verified = True
        cls.connect = connect

    # A Python built without ssl has no HTTPSConnection (and no HTTPS to send).
    if hasattr(http.client, 'HTTPSConnection'):
        patch(http.client.HTTPSConnection)

    class Urllib3Hook:
        def find_spec(self, name, path=None, target=None):
            if name != 'urllib3.connection':
                return None
            sys.meta_path.remove(self)
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            if spec is None or spec.loader is None:
                return spec
            exec_module = spec.loader.exec_module
            def exec_and_patch(module):
                exec_module(module)
                patch(module.HTTPSConnection)
            spec.loader.exec_module = exec_and_patch
            return spec

    if 'urllib3.connection' in sys.modules:
        patch(sys.modules['urllib3.connection'].HTTPSConnection)
    else:
        sys.meta_path.insert(0, Urllib3Hook())

_gatehouse_aws_https(${JSON.stringify(endpoint)})
del _gatehouse_aws_https
`;
}
