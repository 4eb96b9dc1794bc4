/** Inputs and outputs of the user pool triggers, as the user pool service sees them (no Lambda shapes). */

export type StringMap = Record<string, string>;

export interface PreSignUpInput {
  /** Absent for AdminCreateUser. */
  clientId?: string;
  userName: string;
  userAttributes: StringMap;
  validationData?: StringMap;
  clientMetadata?: StringMap;
  source: 'PreSignUp_SignUp' | 'PreSignUp_AdminCreateUser';
}

export interface PreSignUpResult {
  autoConfirmUser: boolean;
  autoVerifyEmail: boolean;
  autoVerifyPhone: boolean;
}

export interface PostConfirmationInput {
  clientId?: string;
  userName: string;
  /** As Cognito sends them: including `sub` and `cognito:user_status`. */
  userAttributes: StringMap;
  clientMetadata?: StringMap;
  source: 'PostConfirmation_ConfirmSignUp' | 'PostConfirmation_ConfirmForgotPassword';
}

export type TokenGenerationSource =
  | 'TokenGeneration_HostedAuth'
  | 'TokenGeneration_Authentication'
  | 'TokenGeneration_NewPasswordChallenge'
  | 'TokenGeneration_AuthenticateDevice'
  | 'TokenGeneration_RefreshTokens'
  | 'TokenGeneration_ClientCredentials';

export interface PreTokenGenerationInput {
  clientId: string;
  userName: string;
  userAttributes: StringMap;
  /** The user's groups (`cognito:groups`), in precedence order. */
  groups: string[];
  /** The scopes the access token would carry. */
  scopes: string[];
  clientMetadata?: StringMap;
  source: TokenGenerationSource;
}

export interface ClaimsOverride {
  add?: Record<string, unknown>;
  suppress?: string[];
}

export interface PreTokenGenerationResult {
  idClaimsOverride?: ClaimsOverride;
  accessClaimsOverride?: ClaimsOverride & { scopesToAdd?: string[]; scopesToSuppress?: string[] };
  /** When present, `cognito:groups` in both tokens becomes exactly `groupsToOverride` (absent or empty: no groups). */
  groupOverride?: { groupsToOverride?: string[] };
}

export type CustomMessageSource =
  | 'CustomMessage_SignUp'
  | 'CustomMessage_ResendCode'
  | 'CustomMessage_ForgotPassword'
  | 'CustomMessage_UpdateUserAttribute'
  | 'CustomMessage_VerifyUserAttribute'
  | 'CustomMessage_AdminCreateUser'
  | 'CustomMessage_Authentication';

export interface CustomMessageInput {
  clientId?: string;
  userName: string;
  userAttributes: StringMap;
  /** The placeholder the sender replaces with the code, normally `{####}`. */
  codeParameter: string;
  /** The placeholder for the user name; Cognito sends it (`{username}`) only for AdminCreateUser. */
  usernameParameter?: string;
  clientMetadata?: StringMap;
  source: CustomMessageSource;
}

/** Only the parts the function customised and that are usable; the sender keeps its defaults for the rest. */
export interface CustomMessageResult {
  emailMessage?: string;
  emailSubject?: string;
  smsMessage?: string;
}

/** Cognito user pool Lambda triggers, invoked as Cognito would; each resolves to the defaults when not configured. */
export interface PoolTriggers {
  preSignUp(i: PreSignUpInput): Promise<PreSignUpResult>;
  postConfirmation(i: PostConfirmationInput): Promise<void>;
  preTokenGeneration(i: PreTokenGenerationInput): Promise<PreTokenGenerationResult>;
  customMessage(i: CustomMessageInput): Promise<CustomMessageResult | undefined>;
}

/** `LambdaConfig.PreTokenGenerationConfig.LambdaVersion`; V1_0 when only `PreTokenGeneration` is set. */
export type PreTokenGenerationVersion = 'V1_0' | 'V2_0' | 'V3_0';
