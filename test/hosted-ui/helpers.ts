import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { createUrls } from '../../src/config/index.js';
import type { UserPoolSpec } from '../../src/services/cloudformation/types.js';
import {
  listenHttp,
  type RunningHostedUi,
  startHostedUiServer,
} from '../../src/services/cognito-idp/hosted-ui/index.js';
import { type StartedIdp, startIdp } from '../../src/services/cognito-idp/index.js';
import type { Clock } from '../../src/shared/clock.js';
import type { FunctionInvoker } from '../../src/shared/invoker.js';

export const POOL_ID = 'us-east-1_DemoPool1';
export const WEB_CLIENT = 'webclient0000000000000000a';
export const PUBLIC_CLIENT = 'publicclient00000000000000';
export const M2M_CLIENT = 'machineclient0000000000000';
export const CALLBACK = 'http://localhost:3000/callback';
export const LOGOUT = 'http://localhost:3000/';
export const PASSWORD = 'Correct-Horse-9';

/** The demo's pool, built by hand: email as username, a confidential web client, a public client and an M2M client. */
export function demoPool(): UserPoolSpec {
  return {
    logicalId: 'DemoPool',
    id: POOL_ID,
    name: 'Demo pool',
    properties: {
      UserPoolName: 'Demo pool',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true }],
    },
    triggers: {},
    clients: [
      {
        logicalId: 'WebClient',
        id: WEB_CLIENT,
        properties: {
          ClientName: 'Demo web app',
          GenerateSecret: true,
          AllowedOAuthFlows: ['code', 'implicit'],
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthScopes: ['openid', 'email', 'profile', 'api/read'],
          CallbackURLs: [CALLBACK],
          LogoutURLs: [LOGOUT],
          SupportedIdentityProviders: ['COGNITO'],
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          PreventUserExistenceErrors: 'ENABLED',
        },
      },
      {
        logicalId: 'PublicClient',
        id: PUBLIC_CLIENT,
        properties: {
          ClientName: 'Public app',
          AllowedOAuthFlows: ['code'],
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthScopes: ['openid', 'email'],
          CallbackURLs: [CALLBACK],
          SupportedIdentityProviders: ['COGNITO'],
          PreventUserExistenceErrors: 'LEGACY',
        },
      },
      {
        logicalId: 'MachineClient',
        id: M2M_CLIENT,
        properties: {
          ClientName: 'Machine',
          GenerateSecret: true,
          AllowedOAuthFlows: ['client_credentials'],
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthScopes: ['api/read'],
        },
      },
    ],
    domain: { logicalId: 'DemoDomain', prefix: 'demo' },
    groups: [],
    resourceServers: [
      {
        logicalId: 'Api',
        properties: {
          Identifier: 'api',
          Name: 'Demo API',
          Scopes: [
            { ScopeName: 'read', ScopeDescription: 'Read' },
            { ScopeName: 'write', ScopeDescription: 'Write' },
          ],
        },
      },
    ],
  };
}

export const PLAIN_POOL_ID = 'us-east-1_PlainPool';
export const PLAIN_CLIENT = 'plainclient000000000000000';

/** A pool with plain usernames, a required `name`, and email verified at sign-up (the Hosted UI asks for both). */
export function plainPool(): UserPoolSpec {
  return {
    logicalId: 'PlainPool',
    id: PLAIN_POOL_ID,
    name: 'Plain pool',
    properties: {
      UserPoolName: 'Plain pool',
      AutoVerifiedAttributes: ['email'],
      Schema: [{ Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true }],
      Policies: { PasswordPolicy: { MinimumLength: 10, RequireSymbols: false } },
    },
    triggers: {},
    clients: [
      {
        logicalId: 'PlainClient',
        id: PLAIN_CLIENT,
        properties: {
          ClientName: '',
          AllowedOAuthFlows: ['code'],
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthScopes: ['openid', 'profile', 'email'],
          CallbackURLs: [CALLBACK],
        },
      },
    ],
    // The Hosted UI serves a pool only while it has a domain.
    domain: { logicalId: 'PlainDomain', prefix: 'plain' },
    groups: [],
    resourceServers: [],
  };
}

export interface HostedUiCloud {
  idp: StartedIdp;
  ui: RunningHostedUi;
  /** The Hosted UI origin, e.g. `http://127.0.0.1:PORT`. */
  base: string;
  issuer: string;
  secret(clientId: string): string;
  /** A confirmed user with email as username and PASSWORD. */
  createUser(email: string): Promise<void>;
  stop(): Promise<void>;
}

/** The IdP (JSON API, discovery, JWKS, inbox) and the Hosted UI on two 127.0.0.1 ports, one temp SQLite file. */
export async function startHostedUiCloud(
  o: {
    clock?: Clock;
    loginThrottle?: { max: number; windowMs: number };
    log?: Logger;
    /** More pools besides the demo's and the plain one. */
    pools?: UserPoolSpec[];
    /** Name the Hosted UI `http://localhost:PORT` (a passkey relying party cannot be an IP address). */
    localhost?: boolean;
    /** Runs the pools' Lambda triggers (none without it). */
    invoker?: FunctionInvoker;
  } = {},
): Promise<HostedUiCloud> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-oauth-'));
  const log = o.log ?? pino({ level: 'silent' });
  const listening = await listenHttp('127.0.0.1', 0);
  const bound = o.localhost ? { ...listening, origin: `http://localhost:${listening.port}` } : listening;
  const idp = await startIdp({
    dataDir,
    region: 'us-east-1',
    issuerMode: 'local',
    log,
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.invoker ? { invoker: o.invoker } : {}),
    topology: { userPools: [demoPool(), plainPool(), ...(o.pools ?? [])] },
    urls: (origin) =>
      createUrls({
        region: 'us-east-1',
        issuerMode: 'local',
        idpOrigin: origin,
        hostedUiOrigin: bound.origin,
        apiOrigin: origin,
      }),
  });
  const ui = await startHostedUiServer({
    service: idp.service,
    urls: idp.urls,
    clock: o.clock ?? { now: () => Date.now() },
    log,
    server: bound.server,
    ...(o.loginThrottle ? { loginThrottle: o.loginThrottle } : {}),
  });
  return {
    idp,
    ui,
    base: bound.origin,
    issuer: idp.urls.issuer(POOL_ID),
    secret(clientId) {
      const s = idp.service.client(clientId).secret;
      if (!s) throw new Error(`client ${clientId} has no secret`);
      return s;
    },
    async createUser(email) {
      await idp.service.accounts.adminCreateUser(POOL_ID, {
        username: email,
        attributes: { email, email_verified: 'true' },
        messageAction: 'SUPPRESS',
      });
      idp.service.accounts.adminSetUserPassword(POOL_ID, email, PASSWORD, true);
    },
    async stop() {
      await ui.close();
      await idp.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A minimal browser for driving the Hosted UI with fetch: keeps cookies, never follows redirects by itself, and
 * reads the CSRF field of the page it was last shown.
 */
export class FormBrowser {
  readonly cookies = new Map<string, string>();
  lastHtml = '';

  constructor(readonly base: string) {}

  #store(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/Max-Age=0/i.test(c) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  #cookieHeader(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  }

  url(pathOrUrl: string): string {
    return new URL(pathOrUrl, this.base).toString();
  }

  async get(pathOrUrl: string): Promise<Response> {
    const res = await fetch(this.url(pathOrUrl), { redirect: 'manual', headers: this.#cookieHeader() });
    this.#store(res);
    if ((res.headers.get('content-type') ?? '').includes('text/html'))
      this.lastHtml = await res.clone().text();
    return res;
  }

  async post(pathOrUrl: string, form: Record<string, string>): Promise<Response> {
    const res = await fetch(this.url(pathOrUrl), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...this.#cookieHeader() },
      body: new URLSearchParams(form).toString(),
    });
    this.#store(res);
    if ((res.headers.get('content-type') ?? '').includes('text/html'))
      this.lastHtml = await res.clone().text();
    return res;
  }

  /** The `_csrf` field and the form action of the last page. */
  form(): { csrf: string; action: string } {
    const csrf = /name="_csrf" value="([^"]+)"/.exec(this.lastHtml)?.[1];
    const action = /<form method="post" action="([^"]+)"/.exec(this.lastHtml)?.[1];
    if (!csrf || !action) throw new Error('the page has no form');
    return { csrf, action: action.replace(/&amp;/g, '&') };
  }

  /** GET the URL, follow same-host redirects, stop at the first redirect elsewhere (the callback) or a page. */
  async follow(pathOrUrl: string): Promise<Response> {
    let res = await this.get(pathOrUrl);
    for (let i = 0; i < 5 && res.status === 302; i++) {
      const loc = res.headers.get('location') ?? '';
      const next = new URL(loc, this.base);
      if (next.origin !== new URL(this.base).origin) return res;
      res = await this.get(next.toString());
    }
    return res;
  }

  /** Fills and posts the current page's form. */
  async submit(fields: Record<string, string>): Promise<Response> {
    const { csrf, action } = this.form();
    return this.post(action, { _csrf: csrf, ...fields });
  }

  /** authorize → /login → credentials → the 302 to the callback. */
  async signIn(authorizeUrl: string, username: string, password: string): Promise<Response> {
    const page = await this.follow(authorizeUrl);
    if (page.status !== 200) throw new Error(`login page answered ${page.status}`);
    return this.submit({ username, password });
  }
}

/** The code (or error) in a callback redirect. */
export function callbackParams(res: Response): URLSearchParams {
  const loc = res.headers.get('location');
  if (!loc) throw new Error(`expected a redirect, got ${res.status}`);
  return new URL(loc).searchParams;
}
