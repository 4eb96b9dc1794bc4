import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

/** A tiny OIDC issuer for tests: discovery + JWKS over node:http on 127.0.0.1, port 0. */
export interface TestIdp {
  issuer: string;
  discoveryUrl: string;
  /** How many times the JWKS was fetched. */
  jwksFetches(): number;
  /** Signs with the current key (RS256 unless told), kid included. */
  sign(
    payload: JWTPayload,
    opts?: { kid?: string; alg?: string; key?: KeyPair['privateKey'] },
  ): Promise<string>;
  /** Adds a new current key with a new kid and publishes it. */
  rotate(): Promise<string>;
  publicJwk(): JWK;
  kid(): string;
  close(): Promise<void>;
}

export async function startTestIdp(): Promise<TestIdp> {
  const keys: { kid: string; pair: KeyPair; jwk: JWK }[] = [];
  const addKey = async (kid: string) => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' };
    keys.push({ kid, pair, jwk });
  };
  await addKey('key-1');
  let fetches = 0;
  let issuer = '';
  const server: Server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/pool/.well-known/openid-configuration') {
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/.well-known/jwks.json` }));
    } else if (req.url === '/pool/.well-known/jwks.json') {
      fetches++;
      res.end(JSON.stringify({ keys: keys.map((k) => k.jwk) }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  issuer = `http://127.0.0.1:${port}/pool`;
  const current = () => keys[keys.length - 1] as (typeof keys)[number];
  return {
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    jwksFetches: () => fetches,
    async sign(payload, opts = {}) {
      const alg = opts.alg ?? 'RS256';
      return (
        new SignJWT(payload)
          // kid '' means a header without kid.
          .setProtectedHeader(opts.kid === '' ? { alg } : { alg, kid: opts.kid ?? current().kid })
          .sign(opts.key ?? current().pair.privateKey)
      );
    },
    async rotate() {
      const kid = `key-${keys.length + 1}`;
      await addKey(kid);
      return kid;
    },
    publicJwk: () => current().jwk,
    kid: () => current().kid,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
