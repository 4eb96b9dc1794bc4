import type { Clock } from '../../../shared/clock.js';

/**
 * A fixed-window counter per key (the client's address) for login posts. It only slows down guessing across many
 * usernames from one place; the per-user lockout is the pool's own (the service's sign-in), shared with the JSON API.
 */
export class LoginThrottle {
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Counts an attempt; false when the key is over its limit for the current window. */
  allow(key: string): boolean {
    const now = this.clock.now();
    let w = this.#windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.#windows.set(key, w);
      if (this.#windows.size > 10_000) this.#sweep(now);
    }
    w.count += 1;
    return w.count <= this.max;
  }

  #sweep(now: number): void {
    for (const [k, w] of this.#windows) if (now - w.start >= this.windowMs) this.#windows.delete(k);
  }
}
