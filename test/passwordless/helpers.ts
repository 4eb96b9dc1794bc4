import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';

export const PASSWORD = 'Passwordless-Passw0rd!';

/** The newest 8-digit sign-in code sent to an address or phone number, read from the local inbox. */
export async function latestSignInCode(inboxUrl: string, to: string): Promise<string> {
  const res = await fetch(`${inboxUrl}?to=${encodeURIComponent(to)}`);
  const [newest] = (await res.json()) as { text: string }[];
  const m = newest && /\b(\d{8})\b/.exec(newest.text);
  if (!m?.[1]) throw new Error(`no 8-digit code sent to ${to}`);
  return m[1];
}

/** A confirmed user with a verified email (and phone when given) and a permanent password. */
export async function createUser(
  sdk: CognitoIdentityProviderClient,
  poolId: string,
  username: string,
  attrs: { email?: string; phone?: string; password?: boolean } = {},
): Promise<void> {
  await sdk.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        ...(attrs.email
          ? [
              { Name: 'email', Value: attrs.email },
              { Name: 'email_verified', Value: 'true' },
            ]
          : []),
        ...(attrs.phone
          ? [
              { Name: 'phone_number', Value: attrs.phone },
              { Name: 'phone_number_verified', Value: 'true' },
            ]
          : []),
      ],
    }),
  );
  if (attrs.password !== false) {
    await sdk.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: username,
        Password: PASSWORD,
        Permanent: true,
      }),
    );
  }
}
