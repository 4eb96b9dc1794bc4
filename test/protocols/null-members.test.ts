import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { model } from '../../src/services/cognito-idp/api/model/shapes.js';
import { startTestIdp, type TestIdp } from '../helpers/idp.js';

/**
 * `null` for any member of any modelled operation is a 4xx (the same as a missing or mistyped member), or is treated
 * as absent: never a 500 (issue 10, finding 5). Every member of every operation in the model is tried, so a new
 * operation cannot regress.
 */
const PASSWORD = 'Passw0rd!Passw0rd';

describe('null members on the user pool API', () => {
  let idp: TestIdp;
  const known: Record<string, unknown> = {};

  const call = async (op: string, body: unknown) => {
    const res = await fetch(`${idp.url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${op}`,
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    idp = await startTestIdp();
    const pool = await call('CreateUserPool', { PoolName: 'nulls', UsernameAttributes: ['email'] });
    const poolId = (pool.body.UserPool as { Id: string }).Id;
    const client = await call('CreateUserPoolClient', {
      UserPoolId: poolId,
      ClientName: 'app',
      ExplicitAuthFlows: [
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
        'ALLOW_ADMIN_USER_PASSWORD_AUTH',
      ],
    });
    const clientId = (client.body.UserPoolClient as { ClientId: string }).ClientId;
    await call('AdminCreateUser', {
      UserPoolId: poolId,
      Username: 'alice@example.com',
      MessageAction: 'SUPPRESS',
    });
    await call('AdminSetUserPassword', {
      UserPoolId: poolId,
      Username: 'alice@example.com',
      Password: PASSWORD,
      Permanent: true,
    });
    const auth = await call('InitiateAuth', {
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'alice@example.com', PASSWORD },
    });
    const tokens = auth.body.AuthenticationResult as { AccessToken: string; RefreshToken: string };
    await call('CreateGroup', { UserPoolId: poolId, GroupName: 'grp' });
    Object.assign(known, {
      UserPoolId: poolId,
      ClientId: clientId,
      Username: 'alice@example.com',
      Password: PASSWORD,
      PreviousPassword: PASSWORD,
      ProposedPassword: PASSWORD,
      TemporaryPassword: PASSWORD,
      AccessToken: tokens.AccessToken,
      Token: tokens.RefreshToken,
      GroupName: 'grp',
      PoolName: 'p2',
      ClientName: 'c2',
      ConfirmationCode: '123456',
      Code: '123456',
      AttributeName: 'email',
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'alice@example.com', PASSWORD },
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      ChallengeResponses: { USERNAME: 'alice@example.com' },
      UserAttributes: [{ Name: 'name', Value: 'Alice' }],
      UserAttributeNames: ['name'],
    });
  });
  afterAll(async () => idp?.stop());

  /** A plausible value of a shape: known member values first, then the shape's own constraints. */
  const sample = (shapeName: string, depth = 0): unknown => {
    const shape = model.shapes[shapeName];
    if (!shape || depth > 4) return undefined;
    switch (shape.type) {
      case 'structure':
        return Object.fromEntries(
          Object.keys(shape.members ?? {})
            .filter((m) => shape.required?.includes(m) || m in known)
            .map((m) => [m, known[m] ?? sample(shape.members?.[m]?.shape ?? '', depth + 1)]),
        );
      case 'list':
        return [sample(shape.member?.shape ?? '', depth + 1)];
      case 'map':
        return {};
      case 'string':
        return shape.enum?.[0] ?? 'x'.repeat(Math.max(1, shape.min ?? 1));
      case 'boolean':
        return true;
      case 'integer':
      case 'long':
        return shape.min ?? 1;
      default:
        return 1;
    }
  };

  /** `null`, and for containers the nulls inside them: `[null]`, `{"k": null}`, `{"Member": null, ...}`. */
  const nullsFor = (shapeName: string): unknown[] => {
    const shape = model.shapes[shapeName];
    const out: unknown[] = [null];
    if (shape?.type === 'list') out.push([null]);
    if (shape?.type === 'map') out.push({ k: null });
    if (shape?.type === 'structure') {
      out.push(Object.fromEntries(Object.keys(shape.members ?? {}).map((m) => [m, null])));
    }
    if (shape?.type === 'list' && model.shapes[shape.member?.shape ?? '']?.type === 'structure') {
      const item = model.shapes[shape.member?.shape ?? ''];
      out.push([Object.fromEntries(Object.keys(item?.members ?? {}).map((m) => [m, null]))]);
    }
    return out;
  };

  it('answers every null member of every operation without a 500', async () => {
    const failures: string[] = [];
    let tried = 0;
    // Deleting operations last, so the others still find the pool, client and user.
    const ops = Object.keys(model.operations).sort(
      (a, b) => Number(a.includes('Delete')) - Number(b.includes('Delete')) || a.localeCompare(b),
    );
    for (const op of ops) {
      const input = model.operations[op]?.input ?? '';
      const base = sample(input) as Record<string, unknown>;
      // The variants of one operation run concurrently; operations run one after the other.
      const variants = Object.entries(model.shapes[input]?.members ?? {}).flatMap(([member, ref]) =>
        nullsFor(ref.shape).map((value) => ({ member, value })),
      );
      tried += variants.length;
      await Promise.all(
        variants.map(async ({ member, value }) => {
          const res = await call(op, { ...base, [member]: value });
          if (res.status >= 500) {
            failures.push(
              `${op} ${member}=${JSON.stringify(value)} → ${res.status} ${JSON.stringify(res.body)}`,
            );
          }
        }),
      );
    }
    expect(tried).toBeGreaterThan(300);
    expect(failures).toEqual([]);
    // Several hundred calls, some hashing passwords: bounded generously for a loaded 2-core machine.
  }, 300_000);

  it('treats a null optional member as absent and a null required one as missing (finding 5)', async () => {
    const poolId = known.UserPoolId;
    const listed = await call('ListUsers', { UserPoolId: poolId, Filter: null });
    expect(listed.status).toBe(200);
    const signUp = await call('SignUp', {
      ClientId: known.ClientId,
      Username: 'bob@example.com',
      Password: PASSWORD,
      SecretHash: null,
    });
    expect(signUp.status).toBe(200);
    const created = await call('AdminCreateUser', {
      UserPoolId: poolId,
      Username: 'carol@example.com',
      TemporaryPassword: null,
      MessageAction: 'SUPPRESS',
    });
    expect(created.status).toBe(200);
    const missing = await call('DescribeUserPool', {});
    const nulled = await call('DescribeUserPool', { UserPoolId: null });
    expect(nulled).toEqual(missing);
    expect(nulled.status).toBe(400);
  });

  it('answers SecretHash: null as a missing SecretHash on a client with a secret (finding 5)', async () => {
    const client = await call('CreateUserPoolClient', {
      UserPoolId: known.UserPoolId,
      ClientName: 'secret',
      GenerateSecret: true,
    });
    const ClientId = (client.body.UserPoolClient as { ClientId: string }).ClientId;
    const bodies: Record<string, Record<string, unknown>> = {
      SignUp: { ClientId, Username: 'erin@example.com', Password: PASSWORD },
      ConfirmSignUp: { ClientId, Username: 'alice@example.com', ConfirmationCode: '123456' },
      ResendConfirmationCode: { ClientId, Username: 'alice@example.com' },
      ForgotPassword: { ClientId, Username: 'alice@example.com' },
      ConfirmForgotPassword: {
        ClientId,
        Username: 'alice@example.com',
        ConfirmationCode: '123456',
        Password: PASSWORD,
      },
    };
    for (const [op, body] of Object.entries(bodies)) {
      const missing = await call(op, body);
      const nulled = await call(op, { ...body, SecretHash: null });
      expect(nulled.status, op).toBe(400);
      expect(nulled.body, op).toEqual(missing.body);
    }
  });

  it('refuses null list items with the validation error (finding 5)', async () => {
    const attrs = await call('AdminCreateUser', {
      UserPoolId: known.UserPoolId,
      Username: 'dave@example.com',
      UserAttributes: [null],
    });
    expect(attrs.status).toBe(400);
    expect(attrs.body.__type).toBe('InvalidParameterException');
    expect(attrs.body.message).toContain("Value null at 'userAttributes.1.member'");
    const schema = await call('CreateUserPool', { PoolName: 'schema', Schema: [null] });
    expect(schema.status).toBe(400);
    expect(schema.body.__type).toBe('InvalidParameterException');
  });
});
