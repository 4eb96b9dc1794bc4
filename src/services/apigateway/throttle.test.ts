import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.js';
import { Throttler, TokenBucket } from './throttle.js';

describe('TokenBucket', () => {
  it('allows the burst, then refills at the rate on the injected clock', () => {
    const clock = new FakeClock();
    const b = new TokenBucket({ burstLimit: 3, rateLimit: 2 }, clock);
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
    clock.advance(499);
    expect(b.take()).toBe(false);
    clock.advance(1);
    expect(b.take()).toBe(true);
    clock.advance(60_000);
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
  });

  it('refuses everything with a burst of zero', () => {
    const b = new TokenBucket({ burstLimit: 0, rateLimit: 100 }, new FakeClock());
    expect(b.take()).toBe(false);
  });
});

describe('Throttler', () => {
  const stage = {
    logicalId: 'S',
    name: 'prod',
    autoDeploy: true,
    accessLogFormat: undefined,
    throttling: { burstLimit: 1, rateLimit: 1 },
    routeThrottling: { 'GET /b': { burstLimit: 2, rateLimit: 1 } },
    stageVariables: {},
  };

  it('gives each route its own bucket, from its route settings or the stage default', () => {
    const t = new Throttler([stage], new FakeClock(), undefined);
    expect([t.allow('prod', 'GET /a'), t.allow('prod', 'GET /a')]).toEqual([true, false]);
    expect([t.allow('prod', 'GET /b'), t.allow('prod', 'GET /b'), t.allow('prod', 'GET /b')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(t.allow('prod', 'GET /c')).toBe(true);
  });

  it('applies the account bucket across routes', () => {
    const clock = new FakeClock();
    const t = new Throttler([], clock, new TokenBucket({ burstLimit: 2, rateLimit: 1 }, clock));
    expect([
      t.allow('$default', 'GET /a'),
      t.allow('$default', 'GET /b'),
      t.allow('$default', 'GET /c'),
    ]).toEqual([true, true, false]);
  });
});
