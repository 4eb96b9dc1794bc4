import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { AdjustableClock, FakeClock } from '../../src/shared/clock.js';
import { startTestIdp, type TestIdp } from '../helpers/idp.js';

describe('the opt-in test clock', () => {
  let idp: TestIdp | undefined;
  afterEach(async () => {
    await idp?.stop();
    idp = undefined;
  });

  it('is off unless --test-clock or GATEHOUSE_TEST_CLOCK turns it on', async () => {
    expect(loadConfig([], {}).testClock).toBe(false);
    expect(loadConfig(['--test-clock'], {}).testClock).toBe(true);
    expect(loadConfig([], { GATEHOUSE_TEST_CLOCK: 'true' }).testClock).toBe(true);
    idp = await startTestIdp();
    const res = await fetch(`${idp.url}/_gatehouse/clock`, {
      method: 'POST',
      body: JSON.stringify({ advanceSeconds: 60 }),
    });
    expect(res.status).toBe(404);
  });

  it('moves the cloud forward only, by whole seconds, and the cloud sees it', async () => {
    const clock = new AdjustableClock(new FakeClock(Date.UTC(2026, 5, 1)));
    idp = await startTestIdp({ clock, testClock: clock });
    const post = (body: string) => fetch(`${idp?.url}/_gatehouse/clock`, { method: 'POST', body });
    for (const bad of [
      '{"advanceSeconds":-1}',
      '{"advanceSeconds":1.5}',
      '{"advanceSeconds":"9"}',
      '{',
      '[]',
    ]) {
      const res = await post(bad);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/advanceSeconds|JSON/);
    }
    const res = await post('{"advanceSeconds":3600}');
    expect(await res.json()).toEqual({ now: '2026-06-01T01:00:00.000Z', offsetSeconds: 3600 });
    expect(clock.now()).toBe(Date.UTC(2026, 5, 1, 1));
    expect(await (await fetch(`${idp.url}/_gatehouse/clock`)).json()).toMatchObject({ offsetSeconds: 3600 });
    // The Cognito API answers as before: the clock only moved.
    await expect(
      idp.sdk.send(new InitiateAuthCommand({ ClientId: 'nope', AuthFlow: 'USER_SRP_AUTH' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
