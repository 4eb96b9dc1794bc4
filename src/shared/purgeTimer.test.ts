import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startPurgeTimer } from './purgeTimer.js';

describe('startPurgeTimer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('purges once per period until stopped', () => {
    const purge = vi.fn();
    const stop = startPurgeTimer(1000, purge, () => {});
    vi.advanceTimersByTime(999);
    expect(purge).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2001);
    expect(purge).toHaveBeenCalledTimes(3);
    stop();
    vi.advanceTimersByTime(5000);
    expect(purge).toHaveBeenCalledTimes(3);
  });

  it('hands a failing purge to onFailure and keeps purging', () => {
    const failures: unknown[] = [];
    let calls = 0;
    const stop = startPurgeTimer(
      100,
      () => {
        calls += 1;
        if (calls === 1) throw new Error('database is locked');
      },
      (err) => failures.push(err),
    );
    vi.advanceTimersByTime(300);
    stop();
    expect(calls).toBe(3);
    expect(failures).toHaveLength(1);
    expect((failures[0] as Error).message).toBe('database is locked');
  });

  it('starts nothing for a period of 0', () => {
    const purge = vi.fn();
    const stop = startPurgeTimer(0, purge, () => {});
    vi.advanceTimersByTime(60_000);
    expect(purge).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
    stop();
  });
});
