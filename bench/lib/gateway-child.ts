/**
 * One server process of the gateway benchmark (forked by gateway-server.ts): the baseline (bare node:http + jose)
 * or the gateway-only process (gateway, Lambda runtime), each with a small JWKS issuer of its own. RSS is sampled
 * in-process every 100 ms and reported on request.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, type JWK, jwtVerify } from 'jose';
import { listenOn } from '../../src/shared/listen.js';
import { CLIENT_ID, type Mode, type Ready, type Rss, WORKERS } from './gateway-common.js';

async function child(mode: Mode, jwk: JWK, codeDir: string): Promise<void> {
  let peak = 0;
  let peakDetail = '';
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > peak) {
      peak = m.rss;
      if (process.env.BENCH_MEM_DETAIL) {
        const mb = (n: number) => (n / 2 ** 20).toFixed(0);
        peakDetail = `rss ${mb(m.rss)} heapTotal ${mb(m.heapTotal)} heapUsed ${mb(m.heapUsed)} external ${mb(m.external)} arrayBuffers ${mb(m.arrayBuffers)}`;
      }
    }
  };
  process.on('exit', () => {
    if (peakDetail) console.error(`${mode} peak: ${peakDetail}`);
  });
  const sampler = setInterval(sample, 100);
  sampler.unref();

  // The issuer: discovery + JWKS over node:http, as the local IdP serves them. Bound on port 0 for real first;
  // nothing is served before `issuer` is set.
  let issuer = '';
  const idp = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/us-east-1_bench/.well-known/openid-configuration') {
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/.well-known/jwks.json` }));
    } else if (req.url === '/us-east-1_bench/.well-known/jwks.json') {
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  issuer = `http://127.0.0.1:${await listenOn(idp, '127.0.0.1', 0)}/us-east-1_bench`;

  let url: string;
  let close: () => Promise<void>;
  if (mode === 'baseline') {
    const jwks = createLocalJWKSet({ keys: [jwk] });
    const server = createServer((req, res) => {
      const auth = req.headers.authorization ?? '';
      const token = auth.startsWith('Bearer ') ? auth.slice(7) : auth;
      jwtVerify(token, jwks, { issuer, algorithms: ['RS256'] }).then(
        ({ payload }) => {
          if (payload.client_id !== CLIENT_ID) throw new Error('audience');
          const body = JSON.stringify({ message: '[GET METHOD]Hello,world', sub: payload.sub });
          res.writeHead(200, {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          });
          res.end(body);
        },
        () => {
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end('{"message":"Unauthorized"}');
        },
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/person`;
    close = () => new Promise((r) => server.close(() => r()));
  } else {
    const { startGateway } = await import('../../src/services/apigateway/index.js');
    const { LambdaRuntime } = await import('../../src/services/lambda/index.js');
    const { systemClock } = await import('../../src/shared/clock.js');
    const quiet = { info() {}, warn() {}, error() {} };
    const runtime = new LambdaRuntime({
      functions: [
        {
          logicalId: 'ApiFunction',
          name: 'gatehouse-api',
          arn: 'arn:aws:lambda:us-east-1:000000000000:function:gatehouse-api',
          handler: 'index.handler',
          runtime: 'nodejs20.x',
          codeDir,
          timeout: 3,
          memorySize: 128,
          environment: {},
        },
      ],
      log: quiet,
      region: 'us-east-1',
      accountId: '000000000000',
      maxConcurrency: WORKERS,
      // Function logs (START/END/REPORT per invocation) are dropped: the figure is the gateway + worker hop.
      consoleSink: () => {},
    });
    const route = (routeKey: string) => ({
      logicalId: routeKey.replace(/\W+/g, ''),
      routeKey,
      authorizationType: 'JWT',
      authorizerLogicalId: 'Authorizer',
      authorizationScopes: [],
      integrationLogicalId: 'Integration',
    });
    const gw = await startGateway({
      apis: [
        {
          logicalId: 'HttpApi',
          id: 'benchapi01',
          name: 'serverless_lambda_gw',
          cors: undefined,
          stages: [
            {
              logicalId: 'Stage',
              name: 'serverless_lambda_stage',
              autoDeploy: true,
              accessLogFormat: undefined,
              throttling: undefined,
              routeThrottling: {},
              stageVariables: {},
            },
          ],
          routes: ['GET /person', 'POST /person', 'PUT /person', 'DELETE /person'].map(route),
          authorizers: [
            {
              logicalId: 'Authorizer',
              name: 'Authorizer',
              type: 'JWT',
              identitySource: ['$request.header.Authorization'],
              issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_bench',
              audience: [CLIENT_ID],
            },
          ],
          integrations: [
            {
              logicalId: 'Integration',
              type: 'AWS_PROXY',
              functionName: 'gatehouse-api',
              payloadFormatVersion: '2.0',
              timeoutMs: 30_000,
            },
          ],
        },
      ],
      invoker: runtime,
      clock: systemClock,
      log: quiet,
      region: 'us-east-1',
      accountId: '000000000000',
      // The lead's mapping: the template's Cognito issuer is the local pool's issuer.
      resolveIssuer: () => ({ issuer, discoveryUrl: `${issuer}/.well-known/openid-configuration` }),
    });
    url = `${gw.apis[0]?.url}/person`;
    close = async () => {
      await gw.close();
      await runtime.close();
    };
  }

  sample();
  const readyMb = process.memoryUsage().rss / 2 ** 20;
  process.send?.({ t: 'ready', url, issuer } satisfies Ready);
  process.on('message', async (m: { t: string }) => {
    sample();
    if (m.t === 'rss')
      process.send?.({
        t: 'rss',
        peakMb: peak / 2 ** 20,
        nowMb: process.memoryUsage().rss / 2 ** 20,
        readyMb,
      } satisfies Rss);
    if (m.t === 'stop') {
      // Never outlive the parent, even if a close hangs.
      setTimeout(() => process.exit(0), 3000).unref();
      await close();
      idp.close();
      process.exit(0);
    }
  });
}

if (process.argv[2] === '--child') {
  await child(
    process.argv[3] as Mode,
    JSON.parse(process.argv[4] as string) as JWK,
    process.argv[5] as string,
  );
}
