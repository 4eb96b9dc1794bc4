/** The source of time. Logic never calls Date.now() itself, so tests can move the clock instead of sleeping. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; for tests of expiry (codes, tokens, sessions). */
export class FakeClock implements Clock {
  #ms: number;
  constructor(start: number | Date = Date.UTC(2026, 0, 1)) {
    this.#ms = typeof start === 'number' ? start : start.getTime();
  }
  now(): number {
    return this.#ms;
  }
  advance(ms: number): void {
    this.#ms += ms;
  }
  set(ms: number): void {
    this.#ms = ms;
  }
}

/**
 * The opt-in test clock of the local cloud (`--test-clock`): real time plus an offset that only moves forward, so an
 * app's tests can expire tokens, codes and sessions without waiting.
 */
export class AdjustableClock implements Clock {
  #offsetMs = 0;
  constructor(private readonly base: Clock = systemClock) {}
  now(): number {
    return this.base.now() + this.#offsetMs;
  }
  /** Moves the clock forward by `ms` (never back) and returns the new offset. */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    this.#offsetMs += ms;
    return this.#offsetMs;
  }
  get offsetMs(): number {
    return this.#offsetMs;
  }
}
