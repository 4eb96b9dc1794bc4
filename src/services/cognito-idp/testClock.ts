import type { FastifyInstance } from 'fastify';
import type { TestClockControl } from './server.js';

/** The largest single step: ten years, enough to outlive any token or code. */
const MAX_ADVANCE_SECONDS = 10 * 365 * 86400;

const state = (clock: TestClockControl, offsetMs: number) => ({
  now: new Date(clock.now()).toISOString(),
  offsetSeconds: Math.round(offsetMs / 1000),
});

/**
 * `GET /_gatehouse/clock` reads the local cloud's clock; `POST /_gatehouse/clock {"advanceSeconds":N}` moves it
 * forward, so an app's tests can expire tokens, codes and sessions without waiting. Registered only when the test
 * clock is turned on (`--test-clock`); it does not exist on AWS.
 */
export function registerTestClock(app: FastifyInstance, clock: TestClockControl): void {
  let offsetMs = 0;
  app.get('/_gatehouse/clock', async () => state(clock, offsetMs));
  app.post('/_gatehouse/clock', async (req, reply) => {
    let body: unknown;
    try {
      body = typeof req.body === 'string' && req.body.trim() !== '' ? JSON.parse(req.body) : {};
    } catch {
      return reply.code(400).send({ message: 'The body must be JSON: {"advanceSeconds": N}' });
    }
    const n = (body as { advanceSeconds?: unknown } | null)?.advanceSeconds;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_ADVANCE_SECONDS) {
      return reply
        .code(400)
        .send({ message: `advanceSeconds must be a whole number from 0 to ${MAX_ADVANCE_SECONDS}` });
    }
    offsetMs = clock.advance(n * 1000);
    return state(clock, offsetMs);
  });
}
