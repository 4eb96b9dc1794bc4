import { afterAll, describe, expect, it } from 'vitest';
import * as srp from '../srp/index.js';
import { createSrpWorkers } from './srpWorkers.js';

describe('SRP workers', () => {
  const workers = createSrpWorkers(1, { inlineBudgetMs: 0 });
  afterAll(async () => workers.close());

  it('computes verifiers the inline module accepts, and checks passwords like it', async () => {
    const { salt, verifier } = await workers.createVerifier('us-east-1_abc', 'user', 'Passw0rd!');
    expect(srp.verifyPassword('us-east-1_abc', 'user', 'Passw0rd!', salt, verifier)).toBe(true);
    expect(await workers.verifyPassword('us-east-1_abc', 'user', 'Passw0rd!', salt, verifier)).toBe(true);
    expect(await workers.verifyPassword('us-east-1_abc', 'user', 'wrong', salt, verifier)).toBe(false);
    // All three ran on the worker, not in the inline fallback.
    expect(workers.completedInWorkers()).toBe(3);
  });

  it('runs the maths inline until they take more than the budget of one second, then starts the worker', async () => {
    // Each inline operation reads the clock twice; this clock makes each one take 8 ms.
    let t = 0;
    let reads = 0;
    const w = createSrpWorkers(1, { inlineBudgetMs: 20, now: () => (reads++ % 2 === 0 ? t : t + 8) });
    try {
      const { salt, verifier } = await w.createVerifier('us-east-1_abc', 'u', 'pw'); // 8 ms
      t += 500;
      expect(await w.verifyPassword('us-east-1_abc', 'u', 'pw', salt, verifier)).toBe(true); // 16 ms
      t += 2_000; // a new window
      expect(await w.verifyPassword('us-east-1_abc', 'u', 'nope', salt, verifier)).toBe(false); // 8 ms
      t += 100;
      expect(await w.verifyPassword('us-east-1_abc', 'u', 'pw', salt, verifier)).toBe(true); // 16 ms
      expect(w.completedInWorkers()).toBe(0);
      t += 100;
      expect(await w.verifyPassword('us-east-1_abc', 'u', 'pw', salt, verifier)).toBe(true); // 24 ms: over
      t += 60_000;
      expect(await w.verifyPassword('us-east-1_abc', 'u', 'pw', salt, verifier)).toBe(true);
      expect(await w.verifyPassword('us-east-1_abc', 'u', 'nope', salt, verifier)).toBe(false);
      // From then on, every operation runs on the worker.
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
