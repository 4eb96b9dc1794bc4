/**
 * Inputs and outputs of the user pool triggers. The interface itself is the user pool service's
 * (src/services/cognito-idp/service/triggers.ts), so the service and this implementation cannot drift apart.
 */
import type { PoolTriggers } from '../service/triggers.js';

export type {
  ChallengeResult,
  CreateAuthChallengeResult,
  CustomMessageResult,
  DefineAuthChallengeResult,
  PoolTriggers,
  PreSignUpResult,
  PreTokenResult,
  TriggerUser,
  UserMigrationResult,
} from '../service/triggers.js';

export type PreSignUpInput = Parameters<PoolTriggers['preSignUp']>[0];
export type PostConfirmationInput = Parameters<PoolTriggers['postConfirmation']>[0];
export type PreTokenGenerationInput = Parameters<PoolTriggers['preTokenGeneration']>[0];
export type CustomMessageInput = Parameters<PoolTriggers['customMessage']>[0];
export type PreAuthenticationInput = Parameters<PoolTriggers['preAuthentication']>[0];
export type PostAuthenticationInput = Parameters<PoolTriggers['postAuthentication']>[0];
export type DefineAuthChallengeInput = Parameters<PoolTriggers['defineAuthChallenge']>[0];
export type CreateAuthChallengeInput = Parameters<PoolTriggers['createAuthChallenge']>[0];
export type VerifyAuthChallengeInput = Parameters<PoolTriggers['verifyAuthChallengeResponse']>[0];
export type UserMigrationInput = Parameters<PoolTriggers['userMigration']>[0];

/** `LambdaConfig.PreTokenGenerationConfig.LambdaVersion`; V1_0 when only `PreTokenGeneration` is set. */
export type PreTokenGenerationVersion = 'V1_0' | 'V2_0' | 'V3_0';

export interface ClaimsOverride {
  add?: Record<string, unknown>;
  suppress?: string[];
}
