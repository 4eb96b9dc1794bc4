import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Urls } from '../../../config/index.js';
import type { Clock } from '../../../shared/clock.js';
import {
  closeHttpServer,
  httpOrigin,
  type ListenerLimits,
  listenHttp as listenShared,
} from '../../../shared/listen.js';
import type { Logger } from '../../../shared/logger.js';
import type { PoolRecord, UserRecord } from '../../../store/index.js';
import { CognitoError, UserNotConfirmedException } from '../errors.js';
import { type IdpService, sha256 } from '../service/index.js';
import {
  autoVerifiedAttributes,
  passwordPolicy,
  requiredAttributes,
  tokenValidity,
  usernameAttributes,
} from '../service/settings.js';
import {
  type AuthorizeParams,
  type AuthorizeRequest,
  authorizeQuery,
  checkAuthorize,
  errorRedirectUrl,
  pickAuthorizeParams,
  withFragment,
  withQuery,
} from './authorize.js';
import { CSRF_COOKIE, CSRF_FIELD, Csrf, cookie, randomToken, readCookie, SESSION_COOKIE } from './cookies.js';
import { type FormBody, type LoginIssueRequest, OAuthEndpoints } from './endpoints.js';
import { OAuthError, PageError } from './errors.js';
import { type Field, renderErrorPage, renderForm, STYLE_HASH } from './pages.js';
import { CODE_TTL_MS, DEFAULT_LOGIN_THROTTLE, logoutUrls, SESSION_TTL_MS } from './policy.js';
import type { OAuthStore, SessionData } from './store.js';
import { LoginThrottle } from './throttle.js';

/** The slice of a pino logger the Hosted UI uses. Only methods, paths and statuses are logged: never a query. */
export type HostedUiLog = Logger;

export interface HostedUiOptions {
  service: IdpService;
  /** The one source of every URL: the Hosted UI base decides the cookies' Secure flag. */
  urls: Urls;
  clock: Clock;
  log: HostedUiLog;
  /** Defaults to the OAuth tables of the service's own SQLite database. */
  store?: OAuthStore;
  /** Login posts per client address per window (default 30 a minute). */
  loginThrottle?: { max: number; windowMs: number };
  /** Key of the CSRF tokens; random per process by default (open forms then expire on restart). */
  csrfKey?: Buffer;
  /** An already-listening node:http server to serve on (so URLs can name its port before routes exist). */
  server?: Server;
  /** How often expired sessions and codes are purged; default one minute (0 turns it off). */
  purgeEveryMs?: number;
  /** Time limits of the server bound when `server` is not given (the shared defaults otherwise). */
  limits?: ListenerLimits;
}

const CSP = [
  "default-src 'none'",
  `style-src ${STYLE_HASH}`,
  "img-src 'self' data:",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const CSRF_ERROR = 'This form has expired or did not come from this page. Please try again.';

/** Fixed notices a page may show, chosen by key: nothing from the query is ever shown as is. */
const NOTICES: Record<string, string> = {
  confirmed: 'Your account is confirmed. Sign in to continue.',
  password_reset: 'Your password has been changed. Sign in with your new password.',
  code_sent: 'We have sent a code by email or text message. Enter it below.',
  signed_out: 'You have been signed out.',
};

const ATTRIBUTE_LABELS: Record<string, string> = {
  email: 'Email',
  phone_number: 'Phone number',
  name: 'Full name',
  given_name: 'Given name',
  family_name: 'Family name',
  middle_name: 'Middle name',
  nickname: 'Nickname',
  preferred_username: 'Preferred username',
  birthdate: 'Birth date',
  address: 'Address',
  gender: 'Gender',
  locale: 'Locale',
  zoneinfo: 'Time zone',
  website: 'Website',
  profile: 'Profile URL',
  picture: 'Picture URL',
};

const ATTRIBUTE_AUTOCOMPLETE: Record<string, string> = {
  email: 'email',
  phone_number: 'tel',
  name: 'name',
  given_name: 'given-name',
  family_name: 'family-name',
  middle_name: 'additional-name',
  nickname: 'nickname',
  birthdate: 'bday',
  address: 'street-address',
  gender: 'sex',
  website: 'url',
};

interface PageState {
  error?: string | undefined;
  notice?: string | undefined;
  values?: Record<string, string>;
}

interface PageCtx {
  req: FastifyRequest;
  reply: FastifyReply;
  auth: AuthorizeRequest;
  /** The form field value for this browser's CSRF cookie. */
  csrf: string;
  /** `username` from the page's query (confirm pages). */
  username: string | undefined;
}

/** What a form handler decided: a redirect (already sent) or the same page again with an error. */
type Outcome = { done: true } | { done: false; state: PageState; status?: number };

const str = (v: unknown, max = 2048): string | undefined =>
  typeof v === 'string' && v.length <= max ? v : undefined;

/**
 * The Hosted UI and the OAuth2/OIDC endpoints, on their own listener (one host for every pool, keyed by client_id):
 * `/oauth2/authorize`, `/login`, `/signup`, `/confirmUser`, `/forgotPassword`, `/confirmForgotPassword`, `/logout`,
 * `/oauth2/token`, `/oauth2/userInfo` and `/oauth2/revoke`, with Cognito's paths and parameters. Sign-in, sign-up,
 * codes, mail, lockout and tokens are the user pool service's, shared with the JSON API.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-userpools-server-contract-reference.html
 */
export function createHostedUiServer(opts: HostedUiOptions): FastifyInstance {
  const { service, urls, clock, log } = opts;
  const store = opts.store ?? service.hostedUiStore;
  const endpoints = new OAuthEndpoints(service, store, clock);
  const csrf = new Csrf(opts.csrfKey);
  const throttle = new LoginThrottle(
    clock,
    opts.loginThrottle?.max ?? DEFAULT_LOGIN_THROTTLE.max,
    opts.loginThrottle?.windowMs ?? DEFAULT_LOGIN_THROTTLE.windowMs,
  );
  const secure = urls.hostedUiBase().startsWith('https:');

  const app = Fastify({
    logger: false,
    bodyLimit: 64 * 1024,
    genReqId: () => randomUUID(),
    requestTimeout: 30_000,
    ...(opts.server
      ? {
          serverFactory: (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
            opts.server?.on('request', handler);
            return opts.server as Server;
          },
        }
      : {}),
  });
  void app.register(formbody);

  app.addHook('onSend', async (_req, reply) => {
    reply.header('x-frame-options', 'DENY');
    reply.header('content-security-policy', CSP);
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', 'no-store');
    reply.header('pragma', 'no-cache');
  });
  app.addHook('onResponse', async (req, reply) => {
    // The path only: queries carry codes, states and nonces.
    log.info(
      {
        reqId: req.id,
        method: req.method,
        path: req.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'hosted ui request',
    );
  });

  const isApi = (req: FastifyRequest) =>
    req.url.startsWith('/oauth2/') && !req.url.startsWith('/oauth2/authorize');
  const sendPage = (reply: FastifyReply, status: number, html: string) =>
    reply.code(status).header('content-type', 'text/html; charset=utf-8').send(html);
  const sendOAuthError = (reply: FastifyReply, err: OAuthError) => {
    for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
    return reply.code(err.status).header('content-type', 'application/json').send(JSON.stringify(err.body()));
  };

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof OAuthError) return sendOAuthError(reply, err);
    if (err instanceof PageError) return sendPage(reply, err.status, renderErrorPage(err.title, err.message));
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('FST_ERR_CTP')) {
      if (isApi(req))
        return sendOAuthError(
          reply,
          new OAuthError('invalid_request', 'The request body must be form-encoded'),
        );
      return sendPage(reply, 400, renderErrorPage('Invalid request', 'The form could not be read.'));
    }
    log.error({ reqId: req.id, err }, 'unexpected error');
    if (isApi(req)) return sendOAuthError(reply, new OAuthError('server_error', 'Internal error', 500));
    return sendPage(
      reply,
      500,
      renderErrorPage('Something went wrong', `Please try again. Request id ${req.id}.`),
    );
  });
  app.setNotFoundHandler(async (_req, reply) =>
    sendPage(reply, 404, renderErrorPage('Not found', 'There is no page here.')),
  );

  // ---- Sessions and CSRF

  /** Adds a Set-Cookie, keeping any set earlier in the same reply (session and CSRF cookies can go together). */
  const appendCookie = (reply: FastifyReply, value: string) => {
    const prev = reply.getHeader('set-cookie');
    const list = prev === undefined ? [] : Array.isArray(prev) ? prev.map(String) : [String(prev)];
    reply.header('set-cookie', [...list, value]);
  };

  const loadSession = (
    req: FastifyRequest,
  ): { idHash: string; data: SessionData; expiresAt: number } | undefined => {
    const id = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (!id) return undefined;
    const rec = store.getSession(sha256(id));
    if (!rec) return undefined;
    if (rec.expiresAt <= clock.now()) {
      store.deleteSession(rec.idHash);
      return undefined;
    }
    return rec;
  };

  /** Writes the session under a NEW id (so a signed-in session never reuses an id seen before sign-in). */
  const newSession = (req: FastifyRequest, reply: FastifyReply, data: SessionData, expiresAt: number) => {
    const old = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (old) store.deleteSession(sha256(old));
    const id = randomToken();
    store.putSession({ idHash: sha256(id), data, expiresAt });
    const maxAge = Math.max(0, Math.floor((expiresAt - clock.now()) / 1000));
    appendCookie(reply, cookie(SESSION_COOKIE, id, maxAge, secure));
  };

  /** When a sign-in ends: an hour after the form (Cognito's session cookie), whatever happened to the session since. */
  const signInEnds = (s: NonNullable<SessionData['signedIn']>): number =>
    s.expiresAt ?? s.authTime * 1000 + SESSION_TTL_MS;

  const signIn = (req: FastifyRequest, reply: FastifyReply, pool: PoolRecord, user: UserRecord) => {
    const now = clock.now();
    const expiresAt = now + SESSION_TTL_MS;
    newSession(
      req,
      reply,
      { signedIn: { poolId: pool.id, sub: user.sub, authTime: Math.floor(now / 1000), expiresAt } },
      expiresAt,
    );
  };

  /**
   * Moves the session to a new id with a step before sign-in added: a sign-up to confirm, or a new password to choose.
   * A live sign-in is carried over with its own expiry and an ended one is dropped, so such a step never stretches a
   * sign-in past its hour (they used to copy it into a fresh session). The session lives at least until `until`.
   */
  const rotateSession = (
    req: FastifyRequest,
    reply: FastifyReply,
    step: Pick<SessionData, 'pendingSignUp' | 'pendingNewPassword'>,
    until: number,
  ) => {
    const s = loadSession(req);
    const prev = s?.data.signedIn;
    const signedIn = prev && signInEnds(prev) > clock.now() ? prev : undefined;
    newSession(req, reply, { ...s?.data, signedIn, ...step }, Math.max(until, s?.expiresAt ?? 0));
  };

  const ensureCsrf = (req: FastifyRequest, reply: FastifyReply): string => {
    let value = readCookie(req.headers.cookie, CSRF_COOKIE);
    if (!value) {
      value = randomToken();
      appendCookie(reply, cookie(CSRF_COOKIE, value, 86400, secure));
    }
    return csrf.field(value);
  };

  // ---- Finishing an authorize request

  /** Sends the browser to the client's callback: a one-time code, or tokens in the fragment (implicit grant). */
  const complete = async (
    reply: FastifyReply,
    auth: AuthorizeRequest,
    user: UserRecord,
    authTime: number,
  ) => {
    const q = new URLSearchParams();
    if (auth.responseType === 'code') {
      const code = randomToken();
      store.insertCode({
        codeHash: sha256(code),
        poolId: auth.pool.id,
        clientId: auth.client.id,
        sub: user.sub,
        redirectUri: auth.redirectUri,
        scopes: auth.scopes,
        nonce: auth.nonce,
        codeChallenge: auth.codeChallenge,
        authTime,
        expiresAt: clock.now() + CODE_TTL_MS,
      });
      q.set('code', code);
      if (auth.state !== undefined) q.set('state', auth.state);
      return reply.redirect(withQuery(auth.redirectUri, q), 302);
    }
    const request: LoginIssueRequest = {
      pool: auth.pool,
      client: auth.client,
      user,
      scopes: auth.scopes,
      withRefreshToken: false,
      withIdToken: auth.scopes.includes('openid'),
      ...(auth.nonce !== undefined ? { nonce: auth.nonce } : {}),
      atHash: true,
      apiFlow: false,
      triggerSource: 'TokenGeneration_HostedAuth',
      authTime,
    };
    const issued = await service.tokens.issue(request);
    // Cognito's order and its lowercase `bearer` in the fragment (authorization-endpoint.md examples); the token
    // endpoint's JSON says `Bearer`.
    if (issued.idToken) q.set('id_token', issued.idToken);
    q.set('access_token', issued.accessToken);
    q.set('token_type', 'bearer');
    q.set('expires_in', String(issued.expiresIn));
    if (auth.state !== undefined) q.set('state', auth.state);
    return reply.redirect(withFragment(auth.redirectUri, q), 302);
  };

  /** The signed-in user of this browser for the request's pool, if the session is live and the user may sign in. */
  const sessionUser = (
    req: FastifyRequest,
    pool: PoolRecord,
  ): { user: UserRecord; authTime: number } | undefined => {
    const s = loadSession(req)?.data.signedIn;
    if (!s || s.poolId !== pool.id || signInEnds(s) <= clock.now()) return undefined;
    const user = service.userBySub(pool.id, s.sub);
    if (!user?.enabled || user.status !== 'CONFIRMED') return undefined;
    return { user, authTime: s.authTime };
  };

  /** Checks the authorize parameters; sends the `error=` redirect itself and returns undefined when they fail. */
  const authorizeOrRedirect = (
    params: AuthorizeParams,
    reply: FastifyReply,
  ): AuthorizeRequest | undefined => {
    const r = checkAuthorize(service, params);
    if (r.ok) return r.req;
    void reply.redirect(errorRedirectUrl(r.redirect), 302);
    return undefined;
  };

  const brand = (auth: AuthorizeRequest) => auth.client.name || auth.pool.name;
  const page = (path: string, auth: AuthorizeRequest, extra: Record<string, string> = {}) =>
    `${path}${authorizeQuery(auth.params, extra)}`;
  /** The username field as the pool signs in: email, phone number, either, or a plain username. */
  const usernameField = (pool: PoolRecord, value: string | undefined, autocomplete = 'username'): Field => {
    const ua = usernameAttributes(pool);
    const base = {
      name: 'username',
      autocomplete,
      maxlength: 128,
      ...(value !== undefined ? { value } : {}),
    };
    if (ua.includes('email') && ua.includes('phone_number')) {
      return {
        ...base,
        label: 'Email or phone number',
        type: 'text',
        hint: 'Phone numbers start with +, e.g. +15555550100.',
      };
    }
    if (ua.includes('email')) return { ...base, label: 'Email', type: 'email', inputmode: 'email' };
    if (ua.includes('phone_number')) {
      return {
        ...base,
        label: 'Phone number',
        type: 'tel',
        inputmode: 'tel',
        hint: 'In international format, e.g. +15555550100.',
      };
    }
    return { ...base, label: 'Username', type: 'text' };
  };
  const codeField: Field = {
    name: 'code',
    label: 'Verification code',
    type: 'text',
    autocomplete: 'one-time-code',
    inputmode: 'numeric',
    pattern: '[0-9]{6}',
    maxlength: 6,
    hint: 'The 6-digit code we sent you.',
  };
  const passwordHint = (pool: PoolRecord): string => {
    const p = passwordPolicy(pool);
    const parts: string[] = [];
    if (p.RequireLowercase) parts.push('a lowercase letter');
    if (p.RequireUppercase) parts.push('an uppercase letter');
    if (p.RequireNumbers) parts.push('a number');
    if (p.RequireSymbols) parts.push('a symbol');
    const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? '');
    return `At least ${p.MinimumLength} characters${list ? `, with ${list}` : ''}.`;
  };
  /** The attributes the sign-up form asks for: the pool's required ones and the contact it verifies. */
  const signUpAttributes = (pool: PoolRecord): string[] => {
    const ua = usernameAttributes(pool);
    const out: string[] = [];
    for (const a of [...requiredAttributes(pool), ...autoVerifiedAttributes(pool)]) {
      if (!ua.includes(a) && !out.includes(a)) out.push(a);
    }
    return out;
  };

  /** A cognito error message shown in place; anything else is a server error. */
  const messageOf = (err: unknown): string => {
    if (err instanceof CognitoError && err.statusCode < 500) return err.message;
    throw err;
  };

  /**
   * Registers GET and POST for a Hosted UI page. Both re-check the authorize parameters carried in the query; POST
   * refuses a missing or wrong CSRF token (403) before anything else.
   */
  const formRoute = (
    path: string,
    render: (ctx: PageCtx, state: PageState) => string,
    handle: (ctx: PageCtx, body: FormBody) => Promise<Outcome>,
    onGet?: (ctx: PageCtx) => Promise<boolean>,
  ) => {
    const context = (req: FastifyRequest, reply: FastifyReply): PageCtx | undefined => {
      const auth = authorizeOrRedirect(pickAuthorizeParams(req.query), reply);
      if (!auth) return undefined;
      const username = str((req.query as Record<string, unknown>).username, 128);
      return { req, reply, auth, csrf: ensureCsrf(req, reply), username };
    };
    app.get(path, async (req, reply) => {
      const ctx = context(req, reply);
      if (!ctx) return reply;
      if (onGet && (await onGet(ctx))) return reply;
      const noticeKey = str((req.query as Record<string, unknown>).notice, 32);
      return sendPage(reply, 200, render(ctx, { notice: noticeKey ? NOTICES[noticeKey] : undefined }));
    });
    app.post(path, async (req, reply) => {
      const ctx = context(req, reply);
      if (!ctx) return reply;
      const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as FormBody;
      const values: Record<string, string> = {};
      for (const [k, v] of Object.entries(body))
        if (typeof v === 'string' && k !== 'password' && k !== CSRF_FIELD) values[k] = v;
      if (!csrf.check(readCookie(req.headers.cookie, CSRF_COOKIE), body[CSRF_FIELD])) {
        return sendPage(reply, 403, render(ctx, { error: CSRF_ERROR, values }));
      }
      const outcome = await handle(ctx, body);
      if (outcome.done) return reply;
      return sendPage(
        reply,
        outcome.status ?? 400,
        render(ctx, { ...outcome.state, values: { ...values, ...outcome.state.values } }),
      );
    });
  };

  const field = (body: FormBody, name: string, max = 2048): string => str(body[name], max) ?? '';

  // ---- /oauth2/authorize

  app.get('/oauth2/authorize', async (req, reply) => {
    const auth = authorizeOrRedirect(pickAuthorizeParams(req.query), reply);
    if (!auth) return reply;
    const s = sessionUser(req, auth.pool);
    if (s) return complete(reply, auth, s.user, s.authTime);
    return reply.redirect(page('/login', auth), 302);
  });

  // ---- /login

  formRoute(
    '/login',
    (ctx, st) =>
      renderForm({
        brand: brand(ctx.auth),
        title: 'Sign in',
        action: page('/login', ctx.auth),
        csrf: ctx.csrf,
        fields: [
          usernameField(ctx.auth.pool, st.values?.username ?? ctx.username),
          {
            name: 'password',
            label: 'Password',
            type: 'password',
            autocomplete: 'current-password',
            maxlength: 256,
          },
        ],
        submit: 'Sign in',
        error: st.error,
        notice: st.notice,
        links: [
          { href: page('/forgotPassword', ctx.auth), text: 'Forgot your password?' },
          { href: page('/signup', ctx.auth), text: 'Sign up', lead: 'Need an account?' },
        ],
      }),
    async (ctx, body) => {
      const username = field(body, 'username', 128).trim();
      const password = field(body, 'password', 256);
      if (!username || !password)
        return { done: false, state: { error: 'Enter your username and password.' } };
      if (!throttle.allow(ctx.req.ip)) {
        return {
          done: false,
          status: 429,
          state: { error: 'Too many sign-in attempts. Wait a minute and try again.' },
        };
      }
      const { pool, client } = ctx.auth;
      try {
        const { user, newPasswordRequired } = service.auth.authenticatePassword(client, username, password);
        if (newPasswordRequired) {
          const expiresAt = clock.now() + tokenValidity(client).sessionSec * 1000;
          rotateSession(
            ctx.req,
            ctx.reply,
            { pendingNewPassword: { poolId: pool.id, sub: user.sub, expiresAt } },
            expiresAt,
          );
          await ctx.reply.redirect(page('/forceChangePassword', ctx.auth), 302);
          return { done: true };
        }
        signIn(ctx.req, ctx.reply, pool, user);
        await complete(ctx.reply, ctx.auth, user, Math.floor(clock.now() / 1000));
        return { done: true };
      } catch (err) {
        if (err instanceof UserNotConfirmedException) {
          // The password was right: send a fresh code and let confirming sign the user in, as after sign-up.
          const user = service.findUser(pool, username);
          if (user) {
            try {
              await service.accounts.resendConfirmationCode(client, username);
            } catch (e) {
              return { done: false, state: { error: messageOf(e) } };
            }
            rotateSession(
              ctx.req,
              ctx.reply,
              { pendingSignUp: { poolId: pool.id, sub: user.sub } },
              clock.now() + SESSION_TTL_MS,
            );
            await ctx.reply.redirect(page('/confirmUser', ctx.auth, { username, notice: 'code_sent' }), 302);
            return { done: true };
          }
        }
        return { done: false, state: { error: messageOf(err) } };
      }
    },
    async (ctx) => {
      const s = sessionUser(ctx.req, ctx.auth.pool);
      if (!s) return false;
      await complete(ctx.reply, ctx.auth, s.user, s.authTime);
      return true;
    },
  );

  // ---- /signup

  formRoute(
    '/signup',
    (ctx, st) => {
      const pool = ctx.auth.pool;
      const attrs: Field[] = signUpAttributes(pool).map((a) => ({
        name: a,
        label: ATTRIBUTE_LABELS[a] ?? a,
        type: a === 'email' ? 'email' : a === 'phone_number' ? 'tel' : 'text',
        ...(ATTRIBUTE_AUTOCOMPLETE[a] ? { autocomplete: ATTRIBUTE_AUTOCOMPLETE[a] } : {}),
        ...(a === 'phone_number' ? { hint: 'In international format, e.g. +15555550100.' } : {}),
        ...(st.values?.[a] !== undefined ? { value: st.values[a] } : {}),
        maxlength: 2048,
      }));
      return renderForm({
        brand: brand(ctx.auth),
        title: 'Create an account',
        action: page('/signup', ctx.auth),
        csrf: ctx.csrf,
        fields: [
          usernameField(
            pool,
            st.values?.username,
            usernameAttributes(pool).includes('email') ? 'email' : 'username',
          ),
          ...attrs,
          {
            name: 'password',
            label: 'Password',
            type: 'password',
            autocomplete: 'new-password',
            maxlength: 256,
            hint: passwordHint(pool),
          },
        ],
        submit: 'Sign up',
        error: st.error,
        notice: st.notice,
        links: [{ href: page('/login', ctx.auth), text: 'Sign in', lead: 'Already have an account?' }],
      });
    },
    async (ctx, body) => {
      const { pool, client } = ctx.auth;
      const username = field(body, 'username', 128).trim();
      const password = field(body, 'password', 256);
      if (!username || !password)
        return { done: false, state: { error: 'Enter a username and a password.' } };
      const attributes: Record<string, string> = {};
      for (const a of signUpAttributes(pool)) {
        const v = (str(body[a]) ?? str(body[`requiredAttributes[${a}]`]) ?? '').trim();
        if (v) attributes[a] = v;
      }
      try {
        const res = await service.accounts.signUp(client, { username, password, attributes });
        const user = service.userBySub(pool.id, res.UserSub);
        if (res.UserConfirmed && user) {
          signIn(ctx.req, ctx.reply, pool, user);
          await complete(ctx.reply, ctx.auth, user, Math.floor(clock.now() / 1000));
          return { done: true };
        }
        rotateSession(
          ctx.req,
          ctx.reply,
          { pendingSignUp: { poolId: pool.id, sub: res.UserSub } },
          clock.now() + SESSION_TTL_MS,
        );
        await ctx.reply.redirect(page('/confirmUser', ctx.auth, { username, notice: 'code_sent' }), 302);
        return { done: true };
      } catch (err) {
        return { done: false, state: { error: messageOf(err) } };
      }
    },
  );

  // ---- /confirmUser

  formRoute(
    '/confirmUser',
    (ctx, st) => {
      const username = st.values?.username ?? ctx.username;
      return renderForm({
        brand: brand(ctx.auth),
        title: 'Confirm your account',
        intro: ctx.username
          ? `Enter the verification code we sent you to finish creating the account ${ctx.username}.`
          : 'Enter the verification code we sent you to finish creating your account.',
        action: page('/confirmUser', ctx.auth, ctx.username ? { username: ctx.username } : {}),
        csrf: ctx.csrf,
        fields: [
          ctx.username
            ? { name: 'username', label: 'Username', type: 'hidden', value: ctx.username }
            : usernameField(ctx.auth.pool, username),
          codeField,
        ],
        submit: 'Confirm account',
        secondary: [{ name: 'resend', value: '1', label: 'Send a new code' }],
        error: st.error,
        notice: st.notice,
        links: [{ href: page('/login', ctx.auth), text: 'Back to sign in' }],
      });
    },
    async (ctx, body) => {
      const { pool, client } = ctx.auth;
      const username = (ctx.username ?? field(body, 'username', 128)).trim();
      if (!username) return { done: false, state: { error: 'Enter your username.' } };
      try {
        if (body.resend !== undefined) {
          await service.accounts.resendConfirmationCode(client, username);
          return { done: false, status: 200, state: { notice: 'We have sent you a new code.' } };
        }
        const code = field(body, 'code', 16).trim();
        if (!code) return { done: false, state: { error: 'Enter the verification code.' } };
        const user = await service.accounts.confirmSignUp(client, { username, code });
        const s = loadSession(ctx.req);
        const pending = s?.data.pendingSignUp;
        if (pending && pending.poolId === pool.id && pending.sub === user.sub && user.enabled) {
          // The browser that signed up (or proved the password) confirms: it is signed in, as in Cognito.
          signIn(ctx.req, ctx.reply, pool, user);
          await complete(ctx.reply, ctx.auth, user, Math.floor(clock.now() / 1000));
          return { done: true };
        }
        await ctx.reply.redirect(page('/login', ctx.auth, { username, notice: 'confirmed' }), 302);
        return { done: true };
      } catch (err) {
        return { done: false, state: { error: messageOf(err) } };
      }
    },
  );

  // ---- /forceChangePassword: a temporary password is replaced before the first sign-in completes

  const pendingNewPassword = (ctx: PageCtx): UserRecord | undefined => {
    const p = loadSession(ctx.req)?.data.pendingNewPassword;
    if (!p || p.poolId !== ctx.auth.pool.id || p.expiresAt <= clock.now()) return undefined;
    const user = service.userBySub(p.poolId, p.sub);
    return user?.enabled && user.status === 'FORCE_CHANGE_PASSWORD' ? user : undefined;
  };
  const missingRequired = (pool: PoolRecord, user: UserRecord | undefined): string[] =>
    requiredAttributes(pool).filter((a) => !user?.attributes[a]);

  formRoute(
    '/forceChangePassword',
    (ctx, st) => {
      const user = pendingNewPassword(ctx);
      return renderForm({
        brand: brand(ctx.auth),
        title: 'Change your password',
        intro: 'You signed in with a temporary password. Choose a new password to continue.',
        action: page('/forceChangePassword', ctx.auth),
        csrf: ctx.csrf,
        fields: [
          ...missingRequired(ctx.auth.pool, user).map(
            (a): Field => ({
              name: a,
              label: ATTRIBUTE_LABELS[a] ?? a,
              type: a === 'email' ? 'email' : a === 'phone_number' ? 'tel' : 'text',
              ...(ATTRIBUTE_AUTOCOMPLETE[a] ? { autocomplete: ATTRIBUTE_AUTOCOMPLETE[a] } : {}),
              ...(st.values?.[a] !== undefined ? { value: st.values[a] } : {}),
              maxlength: 2048,
            }),
          ),
          {
            name: 'password',
            label: 'New password',
            type: 'password',
            autocomplete: 'new-password',
            maxlength: 256,
            hint: passwordHint(ctx.auth.pool),
          },
        ],
        submit: 'Change password and sign in',
        error: st.error,
        notice: st.notice,
        links: [{ href: page('/login', ctx.auth), text: 'Back to sign in' }],
      });
    },
    async (ctx, body) => {
      const user = pendingNewPassword(ctx);
      if (!user)
        return { done: false, state: { error: 'Your sign-in has expired. Go back and sign in again.' } };
      const password = field(body, 'password', 256);
      if (!password) return { done: false, state: { error: 'Enter a new password.' } };
      const { pool } = ctx.auth;
      const attributes: Record<string, string> = {};
      for (const a of missingRequired(pool, user)) {
        const v = field(body, a).trim();
        if (!v)
          return { done: false, state: { error: `Enter your ${(ATTRIBUTE_LABELS[a] ?? a).toLowerCase()}.` } };
        attributes[a] = v;
      }
      try {
        // The same checks and state change as RespondToAuthChallenge NEW_PASSWORD_REQUIRED: policy, then CONFIRMED.
        service.accounts.adminSetUserPassword(pool.id, user.username, password, true);
        if (Object.keys(attributes).length) {
          await service.accounts.adminUpdateUserAttributes(pool.id, user.username, attributes);
        }
      } catch (err) {
        return { done: false, state: { error: messageOf(err) } };
      }
      const confirmed = service.userBySub(pool.id, user.sub) ?? user;
      signIn(ctx.req, ctx.reply, pool, confirmed);
      await complete(ctx.reply, ctx.auth, confirmed, Math.floor(clock.now() / 1000));
      return { done: true };
    },
    async (ctx) => {
      if (pendingNewPassword(ctx)) return false;
      await ctx.reply.redirect(page('/login', ctx.auth), 302);
      return true;
    },
  );

  // ---- /forgotPassword and /confirmForgotPassword

  formRoute(
    '/forgotPassword',
    (ctx, st) =>
      renderForm({
        brand: brand(ctx.auth),
        title: 'Reset your password',
        intro: 'Enter your username and we will send you a code to reset your password.',
        action: page('/forgotPassword', ctx.auth),
        csrf: ctx.csrf,
        fields: [usernameField(ctx.auth.pool, st.values?.username ?? ctx.username)],
        submit: 'Send code',
        error: st.error,
        notice: st.notice,
        links: [{ href: page('/login', ctx.auth), text: 'Back to sign in' }],
      }),
    async (ctx, body) => {
      const username = field(body, 'username', 128).trim();
      if (!username) return { done: false, state: { error: 'Enter your username.' } };
      try {
        await service.accounts.forgotPassword(ctx.auth.client, username);
        await ctx.reply.redirect(
          page('/confirmForgotPassword', ctx.auth, { username, notice: 'code_sent' }),
          302,
        );
        return { done: true };
      } catch (err) {
        return { done: false, state: { error: messageOf(err) } };
      }
    },
  );

  formRoute(
    '/confirmForgotPassword',
    (ctx, st) =>
      renderForm({
        brand: brand(ctx.auth),
        title: 'Choose a new password',
        action: page('/confirmForgotPassword', ctx.auth, ctx.username ? { username: ctx.username } : {}),
        csrf: ctx.csrf,
        fields: [
          ctx.username
            ? { name: 'username', label: 'Username', type: 'hidden', value: ctx.username }
            : usernameField(ctx.auth.pool, st.values?.username),
          codeField,
          {
            name: 'password',
            label: 'New password',
            type: 'password',
            autocomplete: 'new-password',
            maxlength: 256,
            hint: passwordHint(ctx.auth.pool),
          },
        ],
        submit: 'Change password',
        error: st.error,
        notice: st.notice,
        links: [{ href: page('/login', ctx.auth), text: 'Back to sign in' }],
      }),
    async (ctx, body) => {
      const username = (ctx.username ?? field(body, 'username', 128)).trim();
      const code = field(body, 'code', 16).trim();
      const password = field(body, 'password', 256);
      if (!username || !code || !password) {
        return { done: false, state: { error: 'Enter the code and a new password.' } };
      }
      try {
        await service.accounts.confirmForgotPassword(ctx.auth.client, { username, code, password });
        await ctx.reply.redirect(page('/login', ctx.auth, { username, notice: 'password_reset' }), 302);
        return { done: true };
      } catch (err) {
        return { done: false, state: { error: messageOf(err) } };
      }
    },
  );

  // ---- /logout

  app.get('/logout', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const clientId = str(q.client_id, 128);
    const client = clientId ? service.findClient(clientId) : undefined;
    if (!client)
      throw new PageError(400, 'Invalid request', 'The client_id is missing or not a known app client.');
    const clear = () => {
      const id = readCookie(req.headers.cookie, SESSION_COOKIE);
      if (id) store.deleteSession(sha256(id));
      appendCookie(reply, cookie(SESSION_COOKIE, '', 0, secure));
    };
    const logoutUri = str(q.logout_uri);
    if (logoutUri !== undefined) {
      if (!logoutUrls(client).includes(logoutUri)) {
        throw new PageError(
          400,
          'Invalid request',
          'The logout_uri is not one of the sign-out URLs registered for this app client.',
        );
      }
      clear();
      return reply.redirect(logoutUri, 302);
    }
    if (q.redirect_uri !== undefined || q.response_type !== undefined) {
      const auth = authorizeOrRedirect(pickAuthorizeParams(q), reply);
      if (!auth) return reply;
      clear();
      return reply.redirect(page('/login', auth), 302);
    }
    // Neither target: Cognito requires logout_uri or redirect_uri (logout-endpoint.html) and shows its error page
    // with this message, yet the browser is signed out all the same (reported in streamlit/streamlit#14601).
    // [unverified: the error page's status; Cognito redirects to /error first.]
    clear();
    return sendPage(
      reply,
      400,
      renderErrorPage('Invalid request', "Required String parameter 'redirect_uri' is not present"),
    );
  });

  // ---- OAuth endpoints (JSON)

  const auth = (req: FastifyRequest) => str(req.headers.authorization, 8192);
  const formBody = (req: FastifyRequest): FormBody => {
    const type = String(req.headers['content-type'] ?? '');
    if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      throw new OAuthError('invalid_request', 'The request body must be application/x-www-form-urlencoded');
    }
    return (typeof req.body === 'object' && req.body !== null ? req.body : {}) as FormBody;
  };

  app.post('/oauth2/token', async (req, reply) => {
    const res = await endpoints.token(auth(req), formBody(req));
    return reply.code(200).header('content-type', 'application/json').send(JSON.stringify(res));
  });

  app.post('/oauth2/revoke', async (req, reply) => {
    endpoints.revoke(auth(req), formBody(req));
    return reply.code(200).send('');
  });

  const userInfo = async (req: FastifyRequest, reply: FastifyReply) => {
    const info = await endpoints.userInfo(auth(req));
    return reply.code(200).header('content-type', 'application/json').send(JSON.stringify(info));
  };
  app.get('/oauth2/userInfo', userInfo);
  app.post('/oauth2/userInfo', userInfo);

  const every = opts.purgeEveryMs ?? 60_000;
  if (every > 0) {
    const timer = setInterval(() => {
      try {
        store.purgeExpired(clock.now());
      } catch (err) {
        log.warn({ err }, 'hosted ui purge failed');
      }
    }, every);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }
  return app;
}

export interface RunningHostedUi {
  /** e.g. `http://127.0.0.1:54321` */
  url: string;
  port: number;
  app: FastifyInstance;
  close(): Promise<void>;
}

/**
 * Binds a node:http server before the Hosted UI exists, so its origin (with the real port, 0 in tests) can go into
 * the URLs the service is built with. Pass the result as `server` to {@link startHostedUiServer}.
 */
export async function listenHttp(
  host = '127.0.0.1',
  port = 0,
  limits?: ListenerLimits,
): Promise<{ server: Server; origin: string; port: number }> {
  const bound = await listenShared(host, port, limits);
  return { server: bound.server, origin: httpOrigin(host, bound.port), port: bound.port };
}

/** Starts the Hosted UI (127.0.0.1 by default; port 0 picks a free port), or serves it on `server`. */
export async function startHostedUiServer(
  opts: HostedUiOptions & { host?: string; port?: number },
): Promise<RunningHostedUi> {
  const host = opts.host ?? '127.0.0.1';
  // Bound by the shared helper, so this port has the same time limits as every other (Fastify's own
  // `requestTimeout` is not applied to a server it did not create).
  const server = opts.server ?? (await listenShared(host, opts.port ?? 0, opts.limits)).server;
  const app = createHostedUiServer({ ...opts, server });
  await app.ready();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
  return {
    url: httpOrigin(host, port),
    port,
    app,
    close: async () => {
      await app.close();
      await closeHttpServer(server);
    },
  };
}

/** The name the CLI uses: {@link startHostedUiServer}. */
export const startHostedUi = startHostedUiServer;
