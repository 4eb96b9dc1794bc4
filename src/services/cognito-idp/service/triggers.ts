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
}

/** The triggers of a pool without LambdaConfig. */
export const noTriggers: PoolTriggers = {
  preSignUp: async () => ({ autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false }),
  postConfirmation: async () => {},
  preTokenGeneration: async () => ({}),
  customMessage: async () => undefined,
  preAuthentication: async () => {},
  postAuthentication: async () => {},
};
