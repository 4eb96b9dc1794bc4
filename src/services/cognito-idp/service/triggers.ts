/**
 * The Cognito Lambda triggers as the service sees them. The real implementation is createPoolTriggers
 * (src/services/cognito-idp/triggers/); this module only declares the shape and the no-op default used when a pool has no triggers.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-identity-pools-working-with-aws-lambda-triggers.html
 */
import type { MintInput } from '../tokens/mint.js';
import type { Attributes } from './attributes.js';

export interface TriggerUser {
  username: string;
  userAttributes: Attributes;
  clientId?: string;
  clientMetadata?: Record<string, string>;
}

export interface PreSignUpResult {
  autoConfirmUser: boolean;
  autoVerifyEmail: boolean;
  autoVerifyPhone: boolean;
}

/** Fed straight into the token mint. */
export type PreTokenResult = Pick<MintInput, 'idClaimsOverride' | 'accessClaimsOverride' | 'groupOverride'>;

export interface CustomMessageResult {
  emailMessage?: string;
  emailSubject?: string;
  smsMessage?: string;
}

/** One round of a custom sign-in, as the challenge triggers see it in `request.session`. */
export interface ChallengeResult {
  /** CUSTOM_CHALLENGE, or SRP_A and PASSWORD_VERIFIER when the custom flow starts with SRP. */
  challengeName: string;
  challengeResult: boolean;
  /** CreateAuthChallenge's name for a custom round. */
  challengeMetadata?: string;
}

/** The user a challenge trigger is about: `userNotFound` (PreventUserExistenceErrors) leaves the attributes empty. */
export type ChallengeUser = TriggerUser & { userStatus?: string; userNotFound: boolean };

export interface DefineAuthChallengeResult {
  challengeName?: string;
  issueTokens: boolean;
  failAuthentication: boolean;
}

export interface CreateAuthChallengeResult {
  publicChallengeParameters: Record<string, string>;
  privateChallengeParameters: Record<string, string>;
  challengeMetadata?: string;
}

/** The user a migration function vouches for. */
export interface UserMigrationResult {
  userAttributes: Record<string, string>;
  finalUserStatus: 'CONFIRMED' | 'RESET_REQUIRED';
  messageAction?: 'SUPPRESS';
  desiredDeliveryMediums?: ('EMAIL' | 'SMS')[];
  forceAliasCreation: boolean;
}

/** One pool's triggers. Each method is a no-op when the pool has no such trigger; failures throw CognitoErrors. */
export interface PoolTriggers {
  preSignUp(
    e: TriggerUser & {
      triggerSource: 'PreSignUp_SignUp' | 'PreSignUp_AdminCreateUser';
      validationData?: Record<string, string>;
    },
  ): Promise<PreSignUpResult>;
  postConfirmation(
    e: TriggerUser & {
      triggerSource: 'PostConfirmation_ConfirmSignUp' | 'PostConfirmation_ConfirmForgotPassword';
    },
  ): Promise<void>;
  preTokenGeneration(
    e: TriggerUser & {
      triggerSource: string;
      groups: string[];
      scopes: string[];
    },
  ): Promise<PreTokenResult>;
  /** Before the password is checked; a failure refuses the sign-in. */
  preAuthentication(e: TriggerUser & { validationData?: Record<string, string> }): Promise<void>;
  /** After every factor passed, before the tokens; a failure refuses the sign-in. */
  postAuthentication(e: TriggerUser & { newDeviceUsed: boolean }): Promise<void>;
  customMessage(
    e: TriggerUser & { triggerSource: string; codeParameter: string; usernameParameter?: string },
  ): Promise<CustomMessageResult | undefined>;
  /** The custom flow's state machine; undefined when the pool has no DefineAuthChallenge function. */
  defineAuthChallenge(
    e: ChallengeUser & { session: readonly ChallengeResult[] },
  ): Promise<DefineAuthChallengeResult | undefined>;
  /** A custom challenge; undefined when the pool has no CreateAuthChallenge function. */
  createAuthChallenge(
    e: ChallengeUser & { challengeName: string; session: readonly ChallengeResult[] },
  ): Promise<CreateAuthChallengeResult | undefined>;
  /** Whether the answer is right; undefined when the pool has no VerifyAuthChallengeResponse function. */
  verifyAuthChallengeResponse(
    e: ChallengeUser & { privateChallengeParameters: Record<string, string>; challengeAnswer: string },
  ): Promise<boolean | undefined>;
  /**
   * The user to create for an unknown username; undefined when the pool has no UserMigration function or the
   * function found no such user. The password is handed to the function only, never stored or logged.
   */
  userMigration(e: {
    triggerSource: 'UserMigration_Authentication' | 'UserMigration_ForgotPassword';
    username: string;
    password?: string;
    clientId?: string;
    clientMetadata?: Record<string, string>;
    validationData?: Record<string, string>;
  }): Promise<UserMigrationResult | undefined>;
}

/** The triggers of a pool without LambdaConfig. */
export const noTriggers: PoolTriggers = {
  preSignUp: async () => ({ autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false }),
  postConfirmation: async () => {},
  preTokenGeneration: async () => ({}),
  customMessage: async () => undefined,
  preAuthentication: async () => {},
  postAuthentication: async () => {},
  defineAuthChallenge: async () => undefined,
  createAuthChallenge: async () => undefined,
  verifyAuthChallengeResponse: async () => undefined,
  userMigration: async () => undefined,
};
