import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCloud, startLocalCloud } from '../helpers/local-cloud.js';

const fixture = resolve(import.meta.dirname, '../fixtures/templates/triggers');

// The triggers fixture's one asset serves every function: PreSignUp, PostConfirmation and CustomMessage
// (PreSignUpFn), PreTokenGeneration (gatehouse-pre-token) and the API handler. This replaces it with handlers as
// people write them; each trigger event is appended to events.ndjson beside the code so the test sees exactly
// what the user pool service sent through the Lambda runtime.
const HANDLER = `import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
const record = (event) => appendFileSync(join(import.meta.dirname, 'events.ndjson'), JSON.stringify(event) + '\\n');
export const handler = async (event) => {
  if (typeof event.triggerSource !== 'string') {
    return { statusCode: 200, body: JSON.stringify({ routeKey: event.routeKey, claims: event.requestContext.authorizer?.jwt?.claims ?? null }) };
  }
  record(event);
  console.log('trigger', event.triggerSource);
  const email = event.request.userAttributes?.email ?? '';
  switch (event.triggerSource) {
    case 'PreSignUp_SignUp':
    case 'PreSignUp_AdminCreateUser':
      if (email.endsWith('@blocked.example')) throw new Error('Domain not allowed');
      if (email.startsWith('crash@')) process.exit(7);
      if (email.startsWith('auto@')) { event.response.autoConfirmUser = true; event.response.autoVerifyEmail = true; }
      return event;
    case 'CustomMessage_SignUp':
      event.response.emailSubject = 'Welcome, ' + process.env.STAGE;
      event.response.emailMessage = 'Your code is ' + event.request.codeParameter;
      return event;
    case 'CustomMessage_AdminCreateUser':
      event.response.emailSubject = 'You are invited';
      event.response.emailMessage = 'User ' + event.request.usernameParameter + ' password ' + event.request.codeParameter;
      return event;
    case 'TokenGeneration_Authentication':
    case 'TokenGeneration_RefreshTokens':
      event.response.claimsOverrideDetails = {
        claimsToAddOrOverride: { tenant: 'acme', trigger: event.triggerSource },
        claimsToSuppress: ['email'],
      };
      return event;
    default:
      return event;
  }
};
`;

/**
 * Cognito triggers on \`npm start\`'s own wiring: the CLI reads the fixture's cloud assembly (--no-synth), runs the
 * functions in its Lambda runtime, and the AWS SDK drives the real JSON API. The last step takes the customised
 * ID token through the gateway's JWT authorizer to the API function.
 */
describe('Cognito Lambda triggers through npm start, the Lambda runtime and the JSON API', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-triggers-'));
  const cdkOut = join(dataDir, 'cdk.out');
  let assetDir = '';
  let cloud: RunningCloud;
  let cognito: CognitoIdentityProviderClient;
  let poolId = '';
  let clientId = '';
  const password = 'Trigger-Pass-9';

  const events = (): { triggerSource: string; userName: string; [k: string]: unknown }[] => {
    const file = join(assetDir, 'events.ndjson');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
  };
  const inbox = async (to: string) =>
    (await (await fetch(`${cloud.endpoints.inboxUrl}?to=${encodeURIComponent(to)}`)).json()) as {
      subject: string;
      text: string;
    }[];

  beforeAll(async () => {
    cpSync(fixture, cdkOut, { recursive: true });
    const asset = readdirSync(cdkOut).find((e) => e.startsWith('asset.'));
    if (!asset) throw new Error('fixture has no asset directory');
    assetDir = join(cdkOut, asset);
    writeFileSync(join(assetDir, 'index.mjs'), HANDLER);
    cloud = await startLocalCloud(dataDir, ['--no-synth']);
    const pool = cloud.endpoints.userPools[0];
    const web = pool?.clients.find((c) => c.secret === null);
    if (!pool || !web) throw new Error(`no pool or public client in endpoints.json: ${cloud.output()}`);
    poolId = pool.id;
    clientId = web.id;
    cognito = new CognitoIdentityProviderClient({
      endpoint: cloud.endpoints.cognitoIdpEndpoint,
      region: cloud.endpoints.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  }, 120_000);
  afterAll(async () => {
    cognito?.destroy();
    await cloud?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a sign-up that PreSignUp rejects with UserLambdaValidationException', async () => {
    await expect(
      cognito.send(
        new SignUpCommand({ ClientId: clientId, Username: 'eve@blocked.example', Password: password }),
      ),
    ).rejects.toMatchObject({
      name: 'UserLambdaValidationException',
      message: 'PreSignUp failed with error Domain not allowed.',
    });
    expect(events().map((e) => e.triggerSource)).toEqual(['PreSignUp_SignUp']);
  });

  it('maps a PreSignUp function that crashes its worker to UserLambdaValidationException and keeps serving', async () => {
    const crash = cognito.send(
      new SignUpCommand({ ClientId: clientId, Username: 'crash@example.com', Password: password }),
    );
    await expect(crash).rejects.toMatchObject({ name: 'UserLambdaValidationException' });
    await expect(crash).rejects.toThrow(/^PreSignUp failed with error RequestId: \S+ Error: Runtime exited/);
    const auto = await cognito.send(
      new SignUpCommand({ ClientId: clientId, Username: 'auto@example.com', Password: password }),
    );
    expect(auto.UserConfirmed).toBe(true);
  });

  it('sends the CustomMessage text at sign-up and calls PostConfirmation on confirmation', async () => {
    const email = 'tom@example.com';
    const before = events().length;
    const up = await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: email,
        Password: password,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    expect(up.UserConfirmed).toBe(false);
    const [mail] = await inbox(email);
    expect(mail?.subject).toBe('Welcome, dev');
    const code = /^Your code is (\d{6})$/.exec(mail?.text ?? '')?.[1];
    expect(code).toBeDefined();
    await cognito.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: code }),
    );
    const seen = events().slice(before);
    expect(seen.map((e) => e.triggerSource)).toEqual([
      'PreSignUp_SignUp',
      'CustomMessage_SignUp',
      'PostConfirmation_ConfirmSignUp',
    ]);
    for (const e of seen) {
      expect(e).toMatchObject({
        region: 'us-east-1',
        userPoolId: poolId,
        userName: up.UserSub,
        callerContext: { clientId },
      });
    }
    expect(seen[1]?.request).toMatchObject({ codeParameter: '{####}' });
    expect(seen[2]?.request).toEqual({
      userAttributes: { email, sub: up.UserSub, email_verified: 'true', 'cognito:user_status': 'CONFIRMED' },
    });
  });

  it('calls PreSignUp and CustomMessage for AdminCreateUser with the invitation parameters', async () => {
    const email = 'invitee@example.com';
    const before = events().length;
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: email,
        UserAttributes: [{ Name: 'email', Value: email }],
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    const seen = events().slice(before);
    expect(seen.map((e) => e.triggerSource)).toEqual([
      'PreSignUp_AdminCreateUser',
      'CustomMessage_AdminCreateUser',
    ]);
    expect(seen[0]?.callerContext).toMatchObject({ clientId: 'CLIENT_ID_NOT_APPLICABLE' });
    expect(seen[1]?.request).toMatchObject({ codeParameter: '{####}', usernameParameter: '{username}' });
    const [mail] = await inbox(email);
    expect(mail?.subject).toBe('You are invited');
    expect(mail?.text).toMatch(/^User \S+ password \S{8,}$/);
    expect(mail?.text).not.toContain('{####}');
  });

  it('puts PreTokenGeneration claims in the ID token at sign-in and refresh, and the gateway hands them to the API function', async () => {
    const before = events().length;
    const auth = await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'tom@example.com', PASSWORD: password },
      }),
    );
    const idToken = auth.AuthenticationResult?.IdToken ?? '';
    const id = decodeJwt(idToken);
    expect(id).toMatchObject({ tenant: 'acme', trigger: 'TokenGeneration_Authentication' });
    expect(id.email).toBeUndefined();
    // A V1_0 function customises only the ID token.
    const access = decodeJwt(auth.AuthenticationResult?.AccessToken ?? '');
    expect(access.tenant).toBeUndefined();
    expect(
      events()
        .slice(before)
        .map((e) => e.triggerSource),
    ).toEqual(['TokenGeneration_Authentication']);

    const api = cloud.endpoints.apis.find((a) => a.stage === '$default');
    const res = await fetch(`${api?.url}/orders/42`, { headers: { authorization: `Bearer ${idToken}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { routeKey: string; claims: Record<string, string> };
    expect(body.routeKey).toBe('GET /orders/{id}');
    expect(body.claims).toMatchObject({ tenant: 'acme', token_use: 'id', aud: clientId });
    expect(body.claims.email).toBeUndefined();

    const refreshed = await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: auth.AuthenticationResult?.RefreshToken ?? '' },
      }),
    );
    expect(decodeJwt(refreshed.AuthenticationResult?.IdToken ?? '')).toMatchObject({
      tenant: 'acme',
      trigger: 'TokenGeneration_RefreshTokens',
    });
    expect(events().at(-1)?.triggerSource).toBe('TokenGeneration_RefreshTokens');
  });

  it('calls CustomMessage for ForgotPassword and PostConfirmation for ConfirmForgotPassword', async () => {
    const email = 'tom@example.com';
    const before = events().length;
    await cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: email }));
    const code = /\b(\d{6})\b/.exec((await inbox(email))[0]?.text ?? '')?.[1];
    await cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: clientId,
        Username: email,
        ConfirmationCode: code,
        Password: `${password}!`,
      }),
    );
    expect(
      events()
        .slice(before)
        .map((e) => e.triggerSource),
    ).toEqual(['CustomMessage_ForgotPassword', 'PostConfirmation_ConfirmForgotPassword']);
  });

  it('runs the triggers of a pool created through the API from its own LambdaConfig', async () => {
    const created = await cognito.send(
      new CreateUserPoolCommand({
        PoolName: 'made-at-runtime',
        UsernameAttributes: ['email'],
        LambdaConfig: {
          PreSignUp: `arn:aws:lambda:${cloud.endpoints.region}:000000000000:function:gatehouse-pre-token`,
        },
      }),
    );
    const client = await cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: created.UserPool?.Id, ClientName: 'runtime' }),
    );
    await expect(
      cognito.send(
        new SignUpCommand({
          ClientId: client.UserPoolClient?.ClientId,
          Username: 'mallory@blocked.example',
          Password: password,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'UserLambdaValidationException',
      message: 'PreSignUp failed with error Domain not allowed.',
    });
    expect(events().at(-1)).toMatchObject({
      triggerSource: 'PreSignUp_SignUp',
      userPoolId: created.UserPool?.Id,
    });
  });

  it("logs the functions' console output tagged with the request id, and the beta stage's access log line", async () => {
    const beta = cloud.endpoints.apis.find((a) => a.stage === 'beta');
    expect(beta?.url).toMatch(/\/beta$/);
    const res = await fetch(`${beta?.url}/health`);
    expect(res.status).toBe(200);
    const requestId = res.headers.get('apigw-requestid');
    // Both go out as plain lines, as CloudWatch Logs would hold them: the access log in the stage's own format.
    const lines = () => cloud.output().split('\n');
    await expect
      .poll(() => lines().includes(JSON.stringify({ requestId, status: '200' })), { timeout: 10_000 })
      .toBe(true);
    expect(lines()).toContainEqual(
      expect.stringMatching(/^\S+Z\t[0-9a-f-]{36}\tINFO\ttrigger PostConfirmation_ConfirmSignUp$/),
    );
  });
});
