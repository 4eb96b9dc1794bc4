// The small page under test: Amplify v6 as an app bundles it, with its calls exposed to the test on `window.app`.
import { Amplify } from 'aws-amplify';
import {
  associateWebAuthnCredential,
  deleteWebAuthnCredential,
  fetchAuthSession,
  listWebAuthnCredentials,
  signIn,
  signOut,
} from 'aws-amplify/auth';

const errorOf = (e: unknown) => ({ error: (e as Error).name, message: (e as Error).message });

const app = {
  configure(userPoolId: string, userPoolClientId: string, userPoolEndpoint: string) {
    Amplify.configure({ Auth: { Cognito: { userPoolId, userPoolClientId, userPoolEndpoint } } });
  },
  async signInWithPassword(username: string, password: string) {
    try {
      return await signIn({
        username,
        password,
        options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD' },
      });
    } catch (e) {
      return errorOf(e);
    }
  },
  async signInWithPasskey(username: string) {
    try {
      return await signIn({
        username,
        options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' },
      });
    } catch (e) {
      return errorOf(e);
    }
  },
  async email() {
    const s = await fetchAuthSession();
    return s.tokens?.idToken?.payload.email ?? null;
  },
  async associate() {
    try {
      await associateWebAuthnCredential();
      return { ok: true };
    } catch (e) {
      return errorOf(e);
    }
  },
  async list() {
    const out = await listWebAuthnCredentials();
    return out.credentials.map((c) => ({
      credentialId: c.credentialId,
      relyingPartyId: c.relyingPartyId,
      friendlyCredentialName: c.friendlyCredentialName,
      authenticatorAttachment: c.authenticatorAttachment,
    }));
  },
  async remove(credentialId: string) {
    await deleteWebAuthnCredential({ credentialId });
  },
  async signOut() {
    await signOut();
  },
};

(globalThis as unknown as { app: typeof app }).app = app;
