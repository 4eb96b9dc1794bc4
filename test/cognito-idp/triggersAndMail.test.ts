import {
  AdminInitiateAuthCommand,
  ConfirmSignUpCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import type { UserPoolSpec } from '../../src/services/cloudformation/types.js';
import type { FunctionInvoker, InvokeResult } from '../../src/shared/invoker.js';
import { startTestIdp, type TestIdp } from '../helpers/idp.js';

const POOL = 'us-east-1_Trigger01';
const CLIENT = 'triggerclient0000000000000';

const spec = (triggers: UserPoolSpec['triggers']): UserPoolSpec => ({
  logicalId: 'UserPool',
  id: POOL,
  name: 'triggers',
  properties: { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] },
  triggers,
  clients: [
    {
      logicalId: 'Client',
      id: CLIENT,
      properties: {
        ClientName: 'c',
        ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      },
    },
  ],
  domain: undefined,
  groups: [],
  resourceServers: [],
});

/** A stand-in for the Lambda runtime: records events and answers like the handlers below would. */
class ScriptedInvoker implements FunctionInvoker {
  readonly events: { fn: string; event: Record<string, unknown> }[] = [];
  constructor(private readonly handlers: Record<string, (event: Record<string, unknown>) => unknown>) {}
  async invoke(fn: string, event: unknown): Promise<InvokeResult> {
    this.events.push({ fn, event: event as Record<string, unknown> });
    const handler = this.handlers[fn];
    if (!handler)
      return {
        ok: false,
        kind: 'NotFound',
        errorType: 'ResourceNotFoundException',
        errorMessage: 'no',
        requestId: 'r',
      };
    try {
      return {
        ok: true,
        payload: handler(event as Record<string, unknown>),
        requestId: 'r',
        durationMs: 1,
        coldStart: false,
      };
    } catch (err) {
      return {
        ok: false,
        kind: 'Unhandled',
        errorType: 'Error',
        errorMessage: (err as Error).message,
        requestId: 'r',
      };
    }
  }
}

describe('Lambda triggers and mail delivery around the service', () => {
  let idp: TestIdp | undefined;
  let smtp: SMTPServer | undefined;
  afterEach(async () => {
    await idp?.stop();
    idp = undefined;
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    smtp = undefined;
  });

  it("calls PreSignUp, CustomMessage, PostConfirmation and PreTokenGeneration at Cognito's points", async () => {
    const invoker = new ScriptedInvoker({
      pre: (e) => {
        const attrs = (e.request as { userAttributes: Record<string, string> }).userAttributes;
        if (attrs.email?.endsWith('@blocked.example')) throw new Error('Domain not allowed');
        return e;
      },
      message: (e) => ({
        ...e,
        response: { emailSubject: 'Custom subject', emailMessage: 'Custom code {####}' },
      }),
      post: (e) => e,
      token: (e) => ({
        ...e,
        response: { claimsOverrideDetails: { claimsToAddOrOverride: { tenant: 'acme' } } },
      }),
    });
    idp = await startTestIdp({
      invoker,
      topology: {
        userPools: [
          spec({
            PreSignUp: 'pre',
            CustomMessage: 'message',
            PostConfirmation: 'post',
            PreTokenGeneration: 'token',
          }),
        ],
      },
    });
    await expect(
      idp.sdk.send(
        new SignUpCommand({ ClientId: CLIENT, Username: 'eve@blocked.example', Password: 'Trigg3r-Pass!' }),
      ),
    ).rejects.toMatchObject({
      name: 'UserLambdaValidationException',
      message: 'PreSignUp failed with error Domain not allowed.',
    });
    await idp.sdk.send(
      new SignUpCommand({ ClientId: CLIENT, Username: 'tom@example.com', Password: 'Trigg3r-Pass!' }),
    );
    const [mail] = await idp.inbox('tom@example.com');
    expect(mail?.subject).toBe('Custom subject');
    expect(mail?.text).toMatch(/^Custom code \d{6}$/);
    await idp.sdk.send(
      new ConfirmSignUpCommand({
        ClientId: CLIENT,
        Username: 'tom@example.com',
        ConfirmationCode: await idp.latestCode('tom@example.com'),
      }),
    );
    const auth = await idp.sdk.send(
      new AdminInitiateAuthCommand({
        UserPoolId: POOL,
        ClientId: CLIENT,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'tom@example.com', PASSWORD: 'Trigg3r-Pass!' },
      }),
    );
    expect(decodeJwt(auth.AuthenticationResult?.IdToken as string).tenant).toBe('acme');
    const order = invoker.events.map((e) => `${e.fn}:${e.event.triggerSource}`);
    expect(order).toEqual([
      'pre:PreSignUp_SignUp',
      'pre:PreSignUp_SignUp',
      'message:CustomMessage_SignUp',
      'post:PostConfirmation_ConfirmSignUp',
      'token:TokenGeneration_Authentication',
    ]);
    expect(invoker.events[4]?.event.userPoolId).toBe(POOL);
  });

  it('also delivers mail through SMTP when an SMTP URL is configured', async () => {
    const received: { to: string[]; raw: string }[] = [];
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp?.listen(0, '127.0.0.1', () => resolve()));
    const port = (smtp.server.address() as { port: number }).port;
    idp = await startTestIdp({ smtpUrl: `smtp://127.0.0.1:${port}`, topology: { userPools: [spec({})] } });
    await idp.sdk.send(
      new SignUpCommand({ ClientId: CLIENT, Username: 'smtp@example.com', Password: 'Trigg3r-Pass!' }),
    );
    await idp.mailer.idle();
    expect(received).toHaveLength(1);
    expect(received[0]?.to).toEqual(['smtp@example.com']);
    expect(received[0]?.raw).toContain(await idp.latestCode('smtp@example.com'));
  });
});
