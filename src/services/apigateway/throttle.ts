import type { Clock } from '../../shared/clock.js';
import type { StageSpec } from '../cloudformation/types.js';

export interface ThrottleSettings {
  burstLimit: number;
  /** Requests per second. */
  rateLimit: number;
}

/**
 * A token bucket: holds up to `burstLimit` tokens, refilled at `rateLimit` per second, one token per request.
 * Time comes from the injected clock.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
 */
export class TokenBucket {
  readonly #burst: number;
  readonly #ratePerMs: number;
  readonly #clock: Clock;
  #tokens: number;
  #last: number;

  constructor(settings: ThrottleSettings, clock: Clock) {
    this.#burst = Math.max(0, settings.burstLimit);
    this.#ratePerMs = Math.max(0, settings.rateLimit) / 1000;
    this.#clock = clock;
    this.#tokens = this.#burst;
    this.#last = clock.now();
  }

  /** Takes one token; false when the bucket is empty (the request is throttled). */
  take(): boolean {
    const now = this.#clock.now();
    if (now > this.#last) {
      this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#ratePerMs);
      this.#last = now;
    }
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** The account-level default per Region: 10,000 requests per second with a burst of 5,000 (limits.md). */
export const ACCOUNT_THROTTLING: ThrottleSettings = { burstLimit: 5000, rateLimit: 10_000 };

/**
 * The throttles of one API: the account bucket, then one bucket per (stage, route) using the route's own
 * settings (`RouteSettings`) or else the stage's default route settings.
 */
export class Throttler {
  readonly #clock: Clock;
  readonly #stages: Map<string, StageSpec>;
  readonly #buckets = new Map<string, TokenBucket | null>();
  readonly #account: TokenBucket | undefined;

  constructor(stages: readonly StageSpec[], clock: Clock, account: TokenBucket | undefined) {
    this.#clock = clock;
    this.#stages = new Map(stages.map((s) => [s.name, s]));
    this.#account = account;
  }

  allow(stageName: string, routeKey: string): boolean {
    const key = `${stageName}\u0000${routeKey}`;
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      const stage = this.#stages.get(stageName);
      const settings = stage?.routeThrottling[routeKey] ?? stage?.throttling;
      bucket = settings ? new TokenBucket(settings, this.#clock) : null;
      this.#buckets.set(key, bucket);
    }
    if (bucket !== null && !bucket.take()) return false;
    return this.#account ? this.#account.take() : true;
  }
}
