import { afterAll, describe, expect, it } from 'vitest';
import * as srp from '../srp/index.js';
import { createSrpWorkers } from './srpWorkers.js';

describe('SRP workers', () => {
  const workers = createSrpWorkers(1, { burstMs: Number.POSITIVE_INFINITY });
  afterAll(async () => workers.close());

  it('computes verifiers the inline module accepts, and checks passwords like it', async () => {
    const { salt, verifier } = await workers.createVerifier('us-east-1_abc', 'user', 'Passw0rd!');
    expect(srp.verifyPassword('us-east-1_abc', 'user', 'Passw0rd!', salt, verifier)).toBe(true);
    expect(await workers.verifyPassword('us-east-1_abc', 'user', 'Passw0rd!', salt, verifier)).toBe(true);
    expect(await workers.verifyPassword('us-east-1_abc', 'user', 'wrong', salt, verifier)).toBe(false);
    // All three ran on the worker, not in the inline fallback.
    expect(workers.completedInWorkers()).toBe(3);
  });

  it('runs inline until two operations come within the burst window, then start', async () => {
    let t = 0;
    const w = createSrpWorkers(1, { burstMs: 100, now: () => t });
    try {
      const { salt, verifier } = await w.createVerifier('us-east-1_abc', 'u', 'pw');
      t += 5_000;
      expect(await w.verifyPassword('us-east-1_abc', 'u', 'pw', salt, verifier)).toBe(true);
      t += 101;
      expect(await w.verifyPassword('us-east-1_abc', 'u', 'nope', salt, verifier)).toBe(false);
      expect(w.completedInWorkers()).toBe(0);
      t += 100;
      expect(await w.verifyPassword('us-east-1_abc', 'u', 'pw', salt, verifier)).toBe(true);
      t += 60_000;
      expect(await w.verifyPassword('us-east-1_abc', 'u', 'pw', salt, verifier)).toBe(true);
      // From the burst on, every operation runs on the worker.
      expect(w.completedInWorkers()).toBe(2);
    } finally {
      await w.close();
    }
  });

  it('keeps answering inline after it is closed', async () => {
    const w = createSrpWorkers(1);
    await w.close();
    const { salt, verifier } = await w.createVerifier('us-east-1_abc', 'u', 'pw');
    expect(await w.verifyPassword('us-east-1_abc', 'u', 'pw', salt, verifier)).toBe(true);
    expect(w.completedInWorkers()).toBe(0);
  });
});
