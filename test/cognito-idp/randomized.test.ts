import { afterEach, describe, expect, it } from 'vitest';
import { deferredSrp, PASSWORD, type ServiceHarness, serviceHarness } from '../helpers/idpService.js';

/** mulberry32: a small seeded PRNG, so every run makes the same choices. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 0x5eed_2026;
/** Bounded by operations, not time. */
const OPERATIONS = 1500;
const USERS = 4;
const GROUPS = ['readers', 'writers'] as const;

/** What the pool must show: every acknowledged write, the last one per field. */
interface ModelUser {
  email: string;
  enabled: boolean;
  name: string | undefined;
  familyName: string | undefined;
  password: string;
  groups: Set<string>;
  token: string | undefined;
}

/** One operation: the field it writes (none for reads and failed sign-ins), the call, and its effect once acknowledged. */
interface Op {
  field: string | undefined;
  run: () => Promise<unknown>;
  apply: (result: unknown) => void;
}

/**
 * Issue 10: a randomized run of concurrent admin and self-service operations (fixed seed, a fixed number of
 * operations) ends with every acknowledged write visible. Each batch runs in parallel with at most one write per
 * user and field, beside reads and wrong-password sign-ins that must not disturb anything; the pool is checked
 * against the model after every batch, and every password by signing in at the end.
 */
describe('a randomized burst of admin and self-service operations', () => {
  let h: ServiceHarness | undefined;
  afterEach(() => h?.close());

  it(`keeps every acknowledged write (seed ${SEED}, ${OPERATIONS} operations)`, async () => {
    const random = prng(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const word = () => Math.floor(random() * 1e9).toString(36);
    h = serviceHarness({ srp: deferredSrp });
    const harness = h;
    const { poolId, clientId, hash } = await harness.setup();
    for (const g of GROUPS) await harness.call('CreateGroup', { UserPoolId: poolId, GroupName: g });
    const users: ModelUser[] = [];
    for (let i = 0; i < USERS; i++) {
      const email = `random${i}@example.com`;
      await harness.confirmedUser(clientId, hash, email);
      const { AccessToken } = await harness.signIn(clientId, email);
      users.push({
        email,
        enabled: true,
        name: undefined,
        familyName: undefined,
        password: PASSWORD,
        groups: new Set(),
        token: AccessToken,
      });
    }

    const admin = (u: ModelUser) => ({ UserPoolId: poolId, Username: u.email });
    const ops: ((u: ModelUser) => Op)[] = [
      (u) => ({
        field: 'enabled',
        run: () => harness.call('AdminDisableUser', admin(u)),
        apply: () => {
          u.enabled = false;
          u.token = undefined;
        },
      }),
      (u) => ({
        field: 'enabled',
        run: () => harness.call('AdminEnableUser', admin(u)),
        apply: () => {
          u.enabled = true;
        },
      }),
      (u) => {
        const name = word();
        return {
          field: 'name',
          run: () =>
            harness.call('AdminUpdateUserAttributes', {
              ...admin(u),
              UserAttributes: [{ Name: 'name', Value: name }],
            }),
          apply: () => {
            u.name = name;
          },
        };
      },
      (u) => {
        const familyName = word();
        const token = u.token;
        return {
          field: 'family_name',
          run: () =>
            harness.call('UpdateUserAttributes', {
              AccessToken: token ?? 'none',
              UserAttributes: [{ Name: 'family_name', Value: familyName }],
            }),
          apply: () => {
            u.familyName = familyName;
          },
        };
      },
      (u) => {
        const password = `Adm1n-${word()}!`;
        return {
          field: 'password',
          run: () =>
            harness.call('AdminSetUserPassword', { ...admin(u), Password: password, Permanent: true }),
          apply: () => {
            u.password = password;
          },
        };
      },
      (u) => {
        const password = `Chg-${word()}1!`;
        const token = u.token;
        const previous = u.password;
        return {
          field: 'password',
          run: () =>
            harness.call('ChangePassword', {
              AccessToken: token ?? 'none',
              PreviousPassword: previous,
              ProposedPassword: password,
            }),
          apply: () => {
            u.password = password;
          },
        };
      },
      (u) => {
        const group = pick(GROUPS);
        return {
          field: `group:${group}`,
          run: () => harness.call('AdminAddUserToGroup', { ...admin(u), GroupName: group }),
          apply: () => {
            u.groups.add(group);
          },
        };
      },
      (u) => {
        const group = pick(GROUPS);
        return {
          field: `group:${group}`,
          run: () => harness.call('AdminRemoveUserFromGroup', { ...admin(u), GroupName: group }),
          apply: () => {
            u.groups.delete(group);
          },
        };
      },
      // A fresh access token when the password and status allow one (not a modelled write).
      (u) => {
        const password = u.password;
        return {
          field: 'password',
          run: () =>
            harness.call<{ AuthenticationResult: { AccessToken: string } }>('AdminInitiateAuth', {
              ...admin(u),
              ClientId: clientId,
              AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
              AuthParameters: { USERNAME: u.email, PASSWORD: password },
            }),
          apply: (r) => {
            u.token = (
              r as { AuthenticationResult: { AccessToken: string } }
            ).AuthenticationResult.AccessToken;
          },
        };
      },
      // Noise that must change nothing the model tracks.
      (u) => ({
        field: undefined,
        run: () =>
          harness.call('InitiateAuth', {
            ClientId: clientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: u.email, PASSWORD: 'Wr0ng-Passw0rd!' },
          }),
        apply: () => {},
      }),
      (u) => ({ field: undefined, run: () => harness.call('AdminGetUser', admin(u)), apply: () => {} }),
      (u) => ({
        field: undefined,
        run: () => harness.call('GetUser', { AccessToken: u.token ?? 'none' }),
        apply: () => {},
      }),
    ];

    const check = async () => {
      for (const u of users) {
        const got = await harness.call<{
          Enabled: boolean;
          UserAttributes: { Name: string; Value: string }[];
        }>('AdminGetUser', admin(u));
        const attr = (n: string) => got.UserAttributes.find((a) => a.Name === n)?.Value;
        expect({
          user: u.email,
          enabled: got.Enabled,
          name: attr('name'),
          familyName: attr('family_name'),
        }).toEqual({ user: u.email, enabled: u.enabled, name: u.name, familyName: u.familyName });
        const groups = await harness.call<{ Groups: { GroupName: string }[] }>(
          'AdminListGroupsForUser',
          admin(u),
        );
        expect(groups.Groups.map((g) => g.GroupName).sort()).toEqual([...u.groups].sort());
      }
    };

    let done = 0;
    let acknowledged = 0;
    while (done < OPERATIONS) {
      const size = Math.min(OPERATIONS - done, 4 + Math.floor(random() * 9));
      const taken = new Set<string>();
      const batch: Op[] = [];
      while (batch.length < size) {
        const u = pick(users);
        const op = pick(ops)(u);
        const key = op.field && `${u.email}/${op.field}`;
        if (key && taken.has(key)) continue;
        if (key) taken.add(key);
        batch.push(op);
      }
      const results = await Promise.allSettled(batch.map((op) => op.run()));
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') {
          batch[i]?.apply(r.value);
          acknowledged++;
        } else {
          // Refusals are fine (wrong password, lockout, revoked token); a crash is not.
          expect(r.reason, String(r.reason)).toHaveProperty('code');
        }
      });
      done += batch.length;
      await check();
      // Time moves on, so lockouts end and the run keeps exercising successful writes.
      harness.clock.advance(30_000);
    }

    // Every acknowledged password signs in (once any lockout is over), and the user's state is still as written.
    harness.clock.advance(16 * 60_000);
    for (const u of users) {
      if (!u.enabled) await harness.call('AdminEnableUser', admin(u));
      u.enabled = true;
      const res = await harness.call<{ AuthenticationResult?: { AccessToken: string } }>(
        'AdminInitiateAuth',
        {
          ...admin(u),
          ClientId: clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: u.email, PASSWORD: u.password },
        },
      );
      expect(res.AuthenticationResult?.AccessToken, u.email).toBeTruthy();
    }
    await check();
    // The run did real work: most operations were acknowledged.
    expect(acknowledged).toBeGreaterThan(OPERATIONS / 3);
  });
});
