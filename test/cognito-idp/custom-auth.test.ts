import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CustomAuthCloud, startCustomAuthCloud } from './support/customAuthCloud.js';

const PASSWORD = 'Custom-Passw0rd!';

describe('CUSTOM_AUTH driven by the three challenge triggers (SDK v3, real local Lambdas)', () => {
  let cloud: CustomAuthCloud;
  let clientId: string;

  const start = (username: string, mode?: string, id = clientId) =>
    cloud.idp.sdk.send(
      new InitiateAuthCommand({
        ClientId: id,
        AuthFlow: 'CUSTOM_AUTH',
        AuthParameters: { USERNAME: username },
        ...(mode ? { ClientMetadata: { mode } } : {}),
      }),
    );
  const answer = (username: string, session: string | undefined, ANSWER: string) =>
    cloud.idp.sdk.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'CUSTOM_CHALLENGE',
        Session: session,
        ChallengeResponses: { USERNAME: username, ANSWER },
      }),
    );
  const user = async (email: string) => {
    await cloud.idp.sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: cloud.poolId,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    await cloud.idp.sdk.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: cloud.poolId,
        Username: email,
        Password: PASSWORD,
        Permanent: true,
      }),
    );
  };

  beforeAll(async () => {
    cloud = await startCustomAuthCloud();
    clientId = await cloud.client();
    await user('ada@example.com');
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('runs the rounds with the session history, a wrong answer retried, and issues tokens', async () => {
    const before = cloud.events().length;
    const first = await start('ada@example.com');
    expect(first.ChallengeName).toBe('CUSTOM_CHALLENGE');
    const username = first.ChallengeParameters?.USERNAME as string;
    expect(first.ChallengeParameters).toEqual({ question: 'What is 2 + 2?', USERNAME: username });
    const wrong = await answer(username, first.Session, '5');
    expect(wrong.ChallengeParameters?.question).toBe('What is 2 + 2?');
    expect(wrong.Session).not.toBe(first.Session);
    const q2 = await answer(username, wrong.Session, '4');
    expect(q2.ChallengeParameters?.question).toBe('Capital of France?');
    const done = await answer(username, q2.Session, 'Paris');
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    expect(done.AuthenticationResult?.RefreshToken).toBeTruthy();

    const events = cloud.events().slice(before);
    expect(events.map((e) => e.triggerSource)).toEqual([
      'DefineAuthChallenge_Authentication',
      'CreateAuthChallenge_Authentication',
      'VerifyAuthChallengeResponse_Authentication',
      'DefineAuthChallenge_Authentication',
      'CreateAuthChallenge_Authentication',
      'VerifyAuthChallengeResponse_Authentication',
      'DefineAuthChallenge_Authentication',
      'CreateAuthChallenge_Authentication',
      'VerifyAuthChallengeResponse_Authentication',
      'DefineAuthChallenge_Authentication',
    ]);
    expect(events[0]).toMatchObject({
      version: '1',
      region: 'us-east-1',
      userPoolId: cloud.poolId,
      userName: username,
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
      request: {
        userAttributes: { email: 'ada@example.com', 'cognito:user_status': 'CONFIRMED' },
        session: [],
        userNotFound: false,
      },
      response: { challengeName: null, issueTokens: null, failAuthentication: null },
    });
    expect(events[1]?.request).toMatchObject({ challengeName: 'CUSTOM_CHALLENGE', session: [] });
    expect(events[2]?.request).toMatchObject({
      privateChallengeParameters: { answer: '4' },
      challengeAnswer: '5',
      userNotFound: false,
    });
    expect(events[2]?.response).toEqual({ answerCorrect: null });
    expect(events[9]?.request).toHaveProperty('session');
    expect((events[9]?.request as { session: unknown } | undefined)?.session).toEqual([
      { challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'Q1' },
      { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'Q1' },
      { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'Q2' },
    ]);
  });

  it('passes ClientMetadata to the functions and runs through the Admin operations', async () => {
    const first = await cloud.idp.sdk.send(
      new AdminInitiateAuthCommand({
        UserPoolId: cloud.poolId,
        ClientId: clientId,
        AuthFlow: 'CUSTOM_AUTH',
        AuthParameters: { USERNAME: 'ada@example.com' },
        ClientMetadata: { app: 'admin' },
      }),
    );
    const respond = (Session: string | undefined, ANSWER: string) =>
      cloud.idp.sdk.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: cloud.poolId,
          ClientId: clientId,
          ChallengeName: 'CUSTOM_CHALLENGE',
          Session,
          ChallengeResponses: { USERNAME: 'ada@example.com', ANSWER },
          ClientMetadata: { app: 'admin' },
        }),
      );
    const q2 = await respond(first.Session, '4');
    const done = await respond(q2.Session, 'paris');
    expect(done.AuthenticationResult?.IdToken).toBeTruthy();
    const last = cloud.events().at(-1) as { request: { clientMetadata?: unknown } };
    expect(last.request.clientMetadata).toEqual({ app: 'admin' });
  });

  it('refuses a sign-in after three wrong answers, when Define fails it, or when the rounds never end', async () => {
    let step = await start('ada@example.com');
    for (let i = 0; i < 2; i++) step = await answer('ada@example.com', step.Session, 'no');
    await expect(answer('ada@example.com', step.Session, 'no')).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    await expect(start('ada@example.com', 'fail')).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    // mode=loop: Define asks for a custom challenge forever; Cognito's round limit ends it.
    const loop = await start('ada@example.com', 'loop');
    let session = loop.Session;
    let rounds = 1;
    const loopAnswer = (s: string | undefined) =>
      cloud.idp.sdk.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'CUSTOM_CHALLENGE',
          Session: s,
          ChallengeResponses: { USERNAME: 'ada@example.com', ANSWER: 'x' },
          ClientMetadata: { mode: 'loop' },
        }),
      );
    const error = await (async () => {
      for (;;) {
        try {
          session = (await loopAnswer(session)).Session;
          rounds++;
        } catch (err) {
          return err;
        }
      }
    })();
    expect(rounds).toBe(8);
    expect(error).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('maps a failing function to UserLambdaValidationException', async () => {
    await expect(start('ada@example.com', 'throw')).rejects.toMatchObject({
      name: 'UserLambdaValidationException',
      message: 'DefineAuthChallenge failed with error define is broken.',
    });
  });

  it('expires the session after three minutes on the test clock, and takes each session once', async () => {
    const first = await start('ada@example.com');
    const next = await answer('ada@example.com', first.Session, '4');
    await expect(answer('ada@example.com', first.Session, '4')).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    });
    await cloud.advance(181);
    await expect(answer('ada@example.com', next.Session, 'paris')).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    });
  });

  it('keeps the session when ANSWER is missing', async () => {
    const first = await start('ada@example.com');
    await expect(
      cloud.idp.sdk.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'CUSTOM_CHALLENGE',
          Session: first.Session,
          ChallengeResponses: { USERNAME: 'ada@example.com' },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Missing required parameter ANSWER',
    });
    expect((await answer('ada@example.com', first.Session, '4')).ChallengeName).toBe('CUSTOM_CHALLENGE');
  });

  it("answers unknown, unconfirmed and disabled users as Cognito does, and honours the client's flows", async () => {
    await expect(start('nobody@example.com')).rejects.toMatchObject({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
    await cloud.idp.sdk.send(
      new SignUpCommand({ ClientId: clientId, Username: 'pending@example.com', Password: PASSWORD }),
    );
    await expect(start('pending@example.com')).rejects.toMatchObject({
      name: 'UserNotConfirmedException',
      message: 'User is not confirmed.',
    });
    await user('off@example.com');
    await cloud.idp.sdk.send(
      new AdminDisableUserCommand({ UserPoolId: cloud.poolId, Username: 'off@example.com' }),
    );
    await expect(start('off@example.com')).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'User is disabled.',
    });
    const srpOnly = await cloud.client({
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    await expect(start('ada@example.com', undefined, srpOnly)).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'CUSTOM_AUTH flow not enabled for this client',
    });
  });

  it('runs the challenges for an unknown user under PreventUserExistenceErrors, and never issues tokens', async () => {
    const hidden = await cloud.client({ PreventUserExistenceErrors: 'ENABLED' });
    const before = cloud.events().length;
    const first = await start('ghost@example.com', undefined, hidden);
    expect(first.ChallengeName).toBe('CUSTOM_CHALLENGE');
    expect(cloud.events()[before]).toMatchObject({
      userName: 'ghost@example.com',
      request: { userAttributes: {}, session: [], userNotFound: true },
    });
    const respond = (s: string | undefined, ANSWER: string) =>
      cloud.idp.sdk.send(
        new RespondToAuthChallengeCommand({
          ClientId: hidden,
          ChallengeName: 'CUSTOM_CHALLENGE',
          Session: s,
          ChallengeResponses: { USERNAME: 'ghost@example.com', ANSWER },
        }),
      );
    const q2 = await respond(first.Session, '4');
    await expect(respond(q2.Session, 'paris')).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('refuses CUSTOM_AUTH on a pool without the challenge triggers', async () => {
    const bare = await cloud.idp.sdk.send(new CreateUserPoolCommand({ PoolName: 'bare' }));
    const c = await cloud.idp.sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: bare.UserPool?.Id,
        ClientName: 'c',
        ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    await expect(start('anyone', undefined, c.UserPoolClient?.ClientId)).rejects.toMatchObject({
      name: 'UserNotFoundException',
    });
    await cloud.idp.sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: bare.UserPool?.Id,
        Username: 'anyone',
        MessageAction: 'SUPPRESS',
      }),
    );
    await expect(start('anyone', undefined, c.UserPoolClient?.ClientId)).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Custom auth lambda trigger is not configured for the user pool.',
    });
    // UpdateUserPool's LambdaConfig takes effect at once.
    const arn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
    await cloud.idp.sdk.send(
      new UpdateUserPoolCommand({
        UserPoolId: bare.UserPool?.Id,
        LambdaConfig: {
          DefineAuthChallenge: arn('define'),
          CreateAuthChallenge: arn('create'),
          VerifyAuthChallengeResponse: arn('verify'),
        },
      }),
    );
    const r = await start('anyone', undefined, c.UserPoolClient?.ClientId);
    expect(r).toMatchObject({
      ChallengeName: 'CUSTOM_CHALLENGE',
      ChallengeParameters: { question: 'What is 2 + 2?' },
    });
  });
});
