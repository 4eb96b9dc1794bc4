import {
  AdminInitiateAuthCommand,
  CompleteWebAuthnRegistrationCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserCommand,
  GetUserPoolMfaConfigCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
  StartWebAuthnRegistrationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AmplifyCloud, startAmplifyCloud } from '../amplify/harness.js';
import { createUser, latestSignInCode, PASSWORD } from './helpers.js';

const FACTORS = ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'] as const;

/** USER_AUTH through the SDK v3 over HTTP: pool settings, the factors, SELECT_CHALLENGE, sign-in after sign-up. */
describe('USER_AUTH choice-based sign-in (SDK v3)', () => {
  let cloud: AmplifyCloud;
  let poolId: string;
  let clientId: string;
  let inbox: string;

  const initiate = (params: Record<string, string>, session?: string) =>
    cloud.sdk.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_AUTH',
        ClientId: clientId,
        AuthParameters: params,
        ...(session ? { Session: session } : {}),
      }),
    );
  const respond = (name: string, session: string | undefined, responses: Record<string, string>) =>
    cloud.sdk.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: name as never,
        Session: session,
        ChallengeResponses: responses,
      }),
    );
  const error = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: Error) => ({ name: e.name, message: e.message }),
    );

  beforeAll(async () => {
    cloud = await startAmplifyCloud();
    inbox = cloud.idp.urls.inboxUrl;
    const pool = await cloud.sdk.send(
      new CreateUserPoolCommand({
        PoolName: 'passwordless',
        AutoVerifiedAttributes: ['email'],
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: [...FACTORS] } },
      }),
    );
    poolId = pool.UserPool?.Id as string;
    const client = await cloud.sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'app',
        ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    clientId = client.UserPoolClient?.ClientId as string;
    await createUser(cloud.sdk, poolId, 'alice', { email: 'alice@example.com', phone: '+15550100001' });
    await createUser(cloud.sdk, poolId, 'bob', { email: 'bob@example.com' });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('DescribeUserPool shows the tier (ESSENTIALS by default) and the allowed first factors', async () => {
    const d = await cloud.sdk.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(d.UserPool?.UserPoolTier).toBe('ESSENTIALS');
    expect(d.UserPool?.Policies?.SignInPolicy?.AllowedFirstAuthFactors).toEqual([...FACTORS]);
  });

  it('without PREFERRED_CHALLENGE: SELECT_CHALLENGE lists what this user can use', async () => {
    const a = await initiate({ USERNAME: 'alice' });
    expect(a.ChallengeName).toBe('SELECT_CHALLENGE');
    expect(a.AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP']);
    // bob has no phone: no SMS_OTP for him.
    const b = await initiate({ USERNAME: 'bob' });
    expect(b.AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
  });

  it('SELECT_CHALLENGE answered with PASSWORD signs in', async () => {
    const a = await initiate({ USERNAME: 'alice' });
    const r = await respond('SELECT_CHALLENGE', a.Session, {
      USERNAME: 'alice',
      ANSWER: 'PASSWORD',
      PASSWORD,
    });
    expect(r.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('SELECT_CHALLENGE answered with EMAIL_OTP sends an 8-digit code by mail', async () => {
    const a = await initiate({ USERNAME: 'alice' });
    const c = await respond('SELECT_CHALLENGE', a.Session, { USERNAME: 'alice', ANSWER: 'EMAIL_OTP' });
    expect(c.ChallengeName).toBe('EMAIL_OTP');
    expect(c.ChallengeParameters?.CODE_DELIVERY_DELIVERY_MEDIUM).toBe('EMAIL');
    const code = await latestSignInCode(inbox, 'alice@example.com');
    const r = await respond('EMAIL_OTP', c.Session, { USERNAME: 'alice', EMAIL_OTP_CODE: code });
    const me = await cloud.sdk.send(new GetUserCommand({ AccessToken: r.AuthenticationResult?.AccessToken }));
    expect(me.Username).toBe('alice');
  });

  it('PREFERRED_CHALLENGE SMS_OTP sends the code to the outbox by phone number; a wrong code is refused', async () => {
    const c = await initiate({ USERNAME: 'alice', PREFERRED_CHALLENGE: 'SMS_OTP' });
    expect(c.ChallengeName).toBe('SMS_OTP');
    expect(c.ChallengeParameters?.CODE_DELIVERY_DELIVERY_MEDIUM).toBe('SMS');
    const code = await latestSignInCode(inbox, '+15550100001');
    const wrong = code === '00000000' ? '11111111' : '00000000';
    expect(
      await error(respond('SMS_OTP', c.Session, { USERNAME: 'alice', SMS_OTP_CODE: wrong })),
    ).toMatchObject({
      name: 'CodeMismatchException',
    });
    const r = await respond('SMS_OTP', c.Session, { USERNAME: 'alice', SMS_OTP_CODE: code });
    expect(r.AuthenticationResult?.IdToken).toBeTruthy();
    // The session is spent.
    expect(
      await error(respond('SMS_OTP', c.Session, { USERNAME: 'alice', SMS_OTP_CODE: code })),
    ).toMatchObject({
      name: 'NotAuthorizedException',
    });
  });

  it('PREFERRED_CHALLENGE PASSWORD signs in at once; a wrong password is refused', async () => {
    const r = await initiate({ USERNAME: 'bob', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD });
    expect(r.AuthenticationResult?.AccessToken).toBeTruthy();
    expect(
      await error(initiate({ USERNAME: 'bob', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'nope' })),
    ).toEqual({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('AdminInitiateAuth USER_AUTH works too', async () => {
    const r = await cloud.sdk.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'USER_AUTH',
        AuthParameters: { USERNAME: 'bob', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD },
      }),
    );
    expect(r.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('errors: a wrong factor, a factor not offered, a client without ALLOW_USER_AUTH', async () => {
    expect(await error(initiate({ USERNAME: 'alice', PREFERRED_CHALLENGE: 'CARRIER_PIGEON' }))).toMatchObject(
      {
        name: 'InvalidParameterException',
      },
    );
    const a = await initiate({ USERNAME: 'bob' });
    expect(
      await error(respond('SELECT_CHALLENGE', a.Session, { USERNAME: 'bob', ANSWER: 'SMS_OTP' })),
    ).toMatchObject({
      name: 'InvalidParameterException',
    });
    const plain = await cloud.sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'srp',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'],
      }),
    );
    expect(
      await error(
        cloud.sdk.send(
          new InitiateAuthCommand({
            AuthFlow: 'USER_AUTH',
            ClientId: plain.UserPoolClient?.ClientId,
            AuthParameters: { USERNAME: 'bob' },
          }),
        ),
      ),
    ).toEqual({ name: 'InvalidParameterException', message: 'USER_AUTH flow not enabled for this client' });
  });

  it('a factor the pool does not allow is refused', async () => {
    const p = await cloud.sdk.send(new CreateUserPoolCommand({ PoolName: 'password-only' }));
    const c = await cloud.sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: p.UserPool?.Id,
        ClientName: 'app',
        ExplicitAuthFlows: ['ALLOW_USER_AUTH'],
      }),
    );
    await createUser(cloud.sdk, p.UserPool?.Id as string, 'carol', { email: 'carol@example.com' });
    expect(
      await error(
        cloud.sdk.send(
          new InitiateAuthCommand({
            AuthFlow: 'USER_AUTH',
            ClientId: c.UserPoolClient?.ClientId,
            AuthParameters: { USERNAME: 'carol', PREFERRED_CHALLENGE: 'EMAIL_OTP' },
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidParameterException' });
  });

  it('the LITE tier refuses passwordless factors and email MFA with FeatureUnavailableInTierException', async () => {
    expect(
      await error(
        cloud.sdk.send(
          new CreateUserPoolCommand({
            PoolName: 'lite',
            UserPoolTier: 'LITE',
            Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
          }),
        ),
      ),
    ).toMatchObject({ name: 'FeatureUnavailableInTierException' });
    const lite = await cloud.sdk.send(new CreateUserPoolCommand({ PoolName: 'lite', UserPoolTier: 'LITE' }));
    const d = await cloud.sdk.send(new DescribeUserPoolCommand({ UserPoolId: lite.UserPool?.Id }));
    expect(d.UserPool?.UserPoolTier).toBe('LITE');
    expect(
      await error(
        cloud.sdk.send(
          new SetUserPoolMfaConfigCommand({
            UserPoolId: lite.UserPool?.Id,
            MfaConfiguration: 'OPTIONAL',
            EmailMfaConfiguration: { Subject: 'Code', Message: 'Code {####}' },
          }),
        ),
      ),
    ).toMatchObject({ name: 'FeatureUnavailableInTierException' });
  });

  it('WebAuthnConfiguration is set and read back through the MFA config', async () => {
    const set = await cloud.sdk.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'required' },
      }),
    );
    expect(set.WebAuthnConfiguration).toEqual({ RelyingPartyId: 'localhost', UserVerification: 'required' });
    const got = await cloud.sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
    expect(got.WebAuthnConfiguration).toEqual({ RelyingPartyId: 'localhost', UserVerification: 'required' });
  });

  it('ConfirmSignUp returns a Session that USER_AUTH accepts once, for the same user only', async () => {
    await cloud.sdk.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: 'dora',
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: 'dora@example.com' }],
      }),
    );
    const res = await fetch(`${inbox}?to=dora%40example.com`);
    const [mail] = (await res.json()) as { text: string }[];
    const code = /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1] as string;
    const confirmed = await cloud.sdk.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: 'dora', ConfirmationCode: code }),
    );
    expect(confirmed.Session).toBeTruthy();
    expect(await error(initiate({ USERNAME: 'bob' }, confirmed.Session))).toMatchObject({
      name: 'NotAuthorizedException',
    });
    // The failed attempt spent it (single use), so a fresh sign-up session is needed for the real one.
    expect(await error(initiate({ USERNAME: 'dora' }, confirmed.Session))).toMatchObject({
      name: 'NotAuthorizedException',
    });
  });

  it('passkey registration errors: not enabled on the pool, completing without a start', async () => {
    const r = await initiate({ USERNAME: 'bob', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD });
    const token = r.AuthenticationResult?.AccessToken as string;
    expect(
      await error(cloud.sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: token }))),
    ).toMatchObject({
      name: 'WebAuthnNotEnabledException',
    });
    const p = await cloud.sdk.send(
      new CreateUserPoolCommand({
        PoolName: 'passkeys',
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } },
      }),
    );
    const c = await cloud.sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: p.UserPool?.Id,
        ClientName: 'a',
        ExplicitAuthFlows: ['ALLOW_USER_AUTH'],
      }),
    );
    await createUser(cloud.sdk, p.UserPool?.Id as string, 'erin', { email: 'erin@example.com' });
    const signedIn = await cloud.sdk.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_AUTH',
        ClientId: c.UserPoolClient?.ClientId,
        AuthParameters: { USERNAME: 'erin', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD },
      }),
    );
    const erin = signedIn.AuthenticationResult?.AccessToken as string;
    // No relying party id and no domain.
    expect(
      await error(cloud.sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: erin }))),
    ).toMatchObject({
      name: 'WebAuthnConfigurationMissingException',
    });
    await cloud.sdk.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: p.UserPool?.Id,
        WebAuthnConfiguration: { RelyingPartyId: 'localhost' },
      }),
    );
    const started = await cloud.sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: erin }));
    expect(started.CredentialCreationOptions).toMatchObject({
      rp: { id: 'localhost' },
      user: { name: 'erin' },
    });
    // A made-up credential is refused and spends the challenge; a second completion finds none.
    const fake = {
      id: 'AAAA',
      rawId: 'AAAA',
      type: 'public-key',
      response: { clientDataJSON: 'e30', attestationObject: 'AA' },
    };
    expect(
      await error(
        cloud.sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: erin, Credential: fake })),
      ),
    ).toMatchObject({ name: 'InvalidParameterException' });
    expect(
      await error(
        cloud.sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: erin, Credential: fake })),
      ),
    ).toMatchObject({ name: 'WebAuthnChallengeNotFoundException' });
  });

  it('the sign-up Session signs the new user in', async () => {
    await cloud.sdk.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: 'fred',
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: 'fred@example.com' }],
      }),
    );
    const res = await fetch(`${inbox}?to=fred%40example.com`);
    const [mail] = (await res.json()) as { text: string }[];
    const code = /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1] as string;
    const confirmed = await cloud.sdk.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: 'fred', ConfirmationCode: code }),
    );
    const r = await initiate({ USERNAME: 'fred' }, confirmed.Session);
    const me = await cloud.sdk.send(new GetUserCommand({ AccessToken: r.AuthenticationResult?.AccessToken }));
    expect(me.Username).toBe('fred');
  });
});
