// The Hosted UI's state lives in the user pool store (src/store/cognito-idp: HostedUiStore); these names stay for
// the Hosted UI's modules.
export type {
  AuthorizationCodeRecord,
  HostedUiSessionData as SessionData,
  HostedUiSessionRecord as SessionRecord,
  HostedUiStore as OAuthStore,
} from '../../../store/index.js';
