/**
 * The server processes of bench/idp.ts: the IdP (`idp`), or a floor (`signin`, `rs256x3`). Started by bench/idp.ts
 * through taskset, talking to it over IPC.
 */

import { KeyObject, randomUUID, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EncryptJWT, generateKeyPair, SignJWT } from 'jose';

const PASSWORD = 'Bench-Passw0rd!';
type Msg = { t: string; [k: string]: unknown };

async function idpChild(): Promise<void> {
  const { startIdp } = await import('../../src/services/cognito-idp/index.js');
  const { createVerifier } = await import('../../src/services/cognito-idp/srp/index.js');
  const { newUserRecord } = await import('../../src/store/index.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-idp-'));
  const idp = await startIdp({
    dataDir,
    region: 'us-east-1',
    issuerMode: 'local',
  });
  process.on('message', async (m: Msg) => {
    if (m.t === 'seed' && (m.n as number) === 0) {
      process.send?.({ t: 'seeded', count: idp.stores.idp.users.count(m.poolId as string) });
      return;
    }
    if (m.t === 'seed') {
      // Bulk insert in one transaction, 50 rows per INSERT, with one precomputed verifier (see the header comment).
      const poolId = m.poolId as string;
      const n = m.n as number;
      const { salt, verifier } = createVerifier(poolId, 'seed-user', PASSWORD);
      const now = Date.now();
      const t0 = performance.now();
      const store = idp.stores.idp;
      const BATCH = 10_000;
      store.tx(() => {
        for (let i = 0; i < n; i += BATCH) {
          const batch = [];
          for (let j = i; j < Math.min(n, i + BATCH); j++) {
            batch.push(
              newUserRecord({
                poolId,
                ukey: `seed${j}`,
                username: `seed${j}`,
                sub: randomUUID(),
                status: 'CONFIRMED',
                attributes: { email: `seed${j}@example.com`, email_verified: 'true' },
                srpSalt: salt,
                srpVerifier: verifier,
                now,
              }),
            );
          }
          store.users.insertMany(batch);
        }
      });
      // Fold the seeding transaction's WAL into the database now, as setup, not during the measured runs.
      idp.stores.db.pragma('wal_checkpoint(TRUNCATE)');
      process.send?.({ t: 'seeded', count: store.users.count(poolId), ms: performance.now() - t0 });
    }
    if (m.t === 'stop') {
      await idp.close();
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }
  });
  process.send?.({ t: 'ready', url: idp.url });
}

/**
 * A floor: `signin` does sign-in's crypto with jose (id and access token signed RS256, a refresh token encrypted
 * A256GCM); `rs256x3` signs three RS256 tokens with jose (the floor issue 17 was written against); `rs256x3-node`
 * signs the same three with node:crypto and KeyObjects, as the pool now signs its tokens.
 */
async function baselineChild(kind: string): Promise<void> {
  const { privateKey } = await generateKeyPair('RS256');
  const { privateKey: idKey } = await generateKeyPair('RS256');
  const { privateKey: thirdKey } = await generateKeyPair('RS256');
  const refreshKey = new Uint8Array(32).fill(7);
  const nodeKeys = [privateKey, idKey, thirdKey].map((k) => KeyObject.from(k));
  const b64 = (text: string) => Buffer.from(text).toString('base64url');
  const issuer = 'http://127.0.0.1/us-east-1_baseline';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const now = Math.floor(Date.now() / 1000);
      const sub = randomUUID();
      const common = {
        sub,
        iss: issuer,
        origin_jti: randomUUID(),
        event_id: randomUUID(),
        auth_time: now,
        iat: now,
        exp: now + 3600,
        jti: randomUUID(),
      };
      if (kind === 'rs256x3-node') {
        // The same three signatures the way the pool signs now: node:crypto, synchronously, with KeyObjects.
        const jws = (key: KeyObject, kid: string, claims: object) => {
          const input = `${b64(JSON.stringify({ kid, alg: 'RS256' }))}.${b64(JSON.stringify(claims))}`;
          return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
        };
        const body = JSON.stringify({
          AuthenticationResult: {
            AccessToken: jws(nodeKeys[0] as KeyObject, 'a', {
              ...common,
              token_use: 'access',
              scope: 'aws.cognito.signin.user.admin',
              client_id: 'c',
              username: sub,
              version: 2,
            }),
            IdToken: jws(nodeKeys[1] as KeyObject, 'i', {
              ...common,
              token_use: 'id',
              aud: 'c',
              email: 'bench@example.com',
              email_verified: true,
              'cognito:username': sub,
            }),
            RefreshToken: jws(nodeKeys[2] as KeyObject, 'r', { client_id: 'c', jti: randomUUID() }),
            ExpiresIn: 3600,
            TokenType: 'Bearer',
          },
          ChallengeParameters: {},
        });
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        res.end(body);
        return;
      }
      const accessToken = await new SignJWT({
        ...common,
        token_use: 'access',
        scope: 'aws.cognito.signin.user.admin',
        client_id: 'c',
        username: sub,
        version: 2,
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'a' })
        .sign(privateKey);
      const idToken = await new SignJWT({
        ...common,
        token_use: 'id',
        aud: 'c',
        email: 'bench@example.com',
        email_verified: true,
        'cognito:username': sub,
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'i' })
        .sign(idKey);
      const refreshToken =
        kind === 'rs256x3'
          ? await new SignJWT({ client_id: 'c', jti: randomUUID() })
              .setProtectedHeader({ alg: 'RS256', kid: 'r' })
              .sign(thirdKey)
          : await new EncryptJWT({ client_id: 'c' })
              .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
              .setJti(randomUUID())
              .setIssuedAt(now)
              .setExpirationTime(now + 30 * 86400)
              .encrypt(refreshKey);
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.end(
        JSON.stringify({
          AuthenticationResult: {
            AccessToken: accessToken,
            IdToken: idToken,
            RefreshToken: refreshToken,
            ExpiresIn: 3600,
            TokenType: 'Bearer',
          },
          ChallengeParameters: {},
        }),
      );
    });
  });
  server.listen(0, '127.0.0.1', () => {
    process.send?.({ t: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  });
  process.on('message', (m: Msg) => {
    if (m.t === 'stop') server.close(() => process.exit(0));
  });
}

const mode = process.argv[2];
(mode === 'idp' ? idpChild() : baselineChild(mode as string)).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
