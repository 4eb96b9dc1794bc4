import {
  type CryptoKey,
  createLocalJWKSet,
  errors,
  type JSONWebKeySet,
  type JWSHeaderParameters,
} from 'jose';
import type { Clock } from '../../shared/clock.js';
import { httpGet } from '../../shared/httpGet.js';
import { DISCOVERY_TIMEOUT_MS, MAX_JWKS_BYTES } from './errors.js';

/** Finds the public key for a JWS header; throws jose's `JWKSNoMatchingKey` when the issuer has none. */
export interface KeySource {
  getKey(header: JWSHeaderParameters): Promise<CryptoKey>;
  /**
   * Changes whenever the key set changes (a JWKS fetched with other keys). Tokens verified against one generation
   * are verified again under the next. A source without it is never cached against.
   */
  generation?(): number;
}

export interface IssuerKeysOptions {
  /** `<issuer>/.well-known/openid-configuration` or where the lead maps it. */
  discoveryUrl: string;
  clock: Clock;
  /**
   * After a fetch, an unknown `kid` triggers another fetch only once this much time has passed: aws-jwt-verify's
   * `SimplePenaltyBox` (10 s), so a stream of tokens with made-up `kid`s can't make us hammer the issuer.
   */
  penaltyMs?: number;
  /** After a failed fetch (issuer down), wait this long before trying again. */
  retryAfterFailureMs?: number;
  /** Told when discovery or the JWKS can't be fetched (the requests meanwhile answer 401). */
  onFetchError?: (discoveryUrl: string, message: string) => void;
}

type KeyLookup = ReturnType<typeof createLocalJWKSet>;

/**
 * The signing keys of one issuer, found the way HTTP API JWT authorizers find them: OpenID Connect discovery
 * (`jwks_uri`), then the JWKS, each with a 1500 ms timeout and the JWKS capped at 150000 bytes. Keys are cached
 * and refetched when a token names an unknown `kid`, at most once per penalty period. Time comes from the
 * injected clock, so tests move it instead of waiting.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
 */
export class IssuerKeys implements KeySource {
  readonly #opts: Required<Omit<IssuerKeysOptions, 'onFetchError'>>;
  readonly #onFetchError: IssuerKeysOptions['onFetchError'];
  #lookup: KeyLookup | undefined;
  #lastFetch = Number.NEGATIVE_INFINITY;
  #lastFailure = Number.NEGATIVE_INFINITY;
  #inflight: Promise<void> | undefined;
  /** The JWKS document the lookup was built from, to tell a changed key set from the same one fetched again. */
  #jwksText: string | undefined;
  #generation = 0;

  constructor(options: IssuerKeysOptions) {
    const url = new URL(options.discoveryUrl); // throws at construction on a malformed URL, naming nothing secret
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`discoveryUrl must be http(s): ${options.discoveryUrl}`);
    }
    this.#opts = {
      discoveryUrl: options.discoveryUrl,
      clock: options.clock,
      penaltyMs: options.penaltyMs ?? 10_000,
      retryAfterFailureMs: options.retryAfterFailureMs ?? 1_000,
    };
    this.#onFetchError = options.onFetchError;
  }

  generation(): number {
    return this.#generation;
  }

  async getKey(header: JWSHeaderParameters): Promise<CryptoKey> {
    if (!this.#lookup) await this.#refresh();
    const lookup = this.#lookup;
    if (!lookup) throw new errors.JWKSNoMatchingKey();
    try {
      return await lookup(header);
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey)) throw err;
      // Unknown kid: the issuer may have rotated its keys. Look again, unless we looked recently.
      if (this.#opts.clock.now() - this.#lastFetch < this.#opts.penaltyMs) throw err;
      await this.#refresh();
      const again = this.#lookup;
      if (!again) throw err;
      return await again(header);
    }
  }

  /** Fetches discovery + JWKS once, sharing the fetch between concurrent callers. */
  #refresh(): Promise<void> {
    if (this.#opts.clock.now() - this.#lastFailure < this.#opts.retryAfterFailureMs) {
      return Promise.reject(new errors.JWKSNoMatchingKey('the issuer could not be reached recently'));
    }
    this.#inflight ??= this.#fetchKeys().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #fetchKeys(): Promise<void> {
    try {
      const discovery = await this.#getJson(this.#opts.discoveryUrl, 1_000_000);
      const jwksUri = (discovery as { jwks_uri?: unknown }).jwks_uri;
      if (typeof jwksUri !== 'string') throw new Error('discovery document has no jwks_uri');
      const jwks = (await this.#getJson(jwksUri, MAX_JWKS_BYTES)) as JSONWebKeySet;
      this.#lookup = createLocalJWKSet(jwks); // validates the shape: throws on a document without `keys`
      const text = JSON.stringify(jwks.keys);
      if (text !== this.#jwksText) {
        this.#jwksText = text;
        this.#generation++;
      }
      this.#lastFetch = this.#opts.clock.now();
    } catch (err) {
      this.#lastFailure = this.#opts.clock.now();
      this.#onFetchError?.(this.#opts.discoveryUrl, err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  async #getJson(url: string, maxBytes: number): Promise<unknown> {
    // Redirects are not followed: a 3xx is refused like any other non-2xx answer.
    const { status, body } = await httpGet(url, {
      timeoutMs: DISCOVERY_TIMEOUT_MS,
      maxBytes,
      headers: { accept: 'application/json' },
    });
    if (status < 200 || status > 299) throw new Error(`GET ${url} answered ${status}`);
    return JSON.parse(body.toString('utf8'));
  }
}
