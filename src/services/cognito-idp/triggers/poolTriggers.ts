import { type FunctionInvoker, functionNameOf } from '../../../shared/invoker.js';
import type { TriggerName } from '../../cloudformation/types.js';
import { noTriggers } from '../service/triggers.js';
import { postAuthentication, preAuthentication } from './authentication.js';
import { createAuthChallenge, defineAuthChallenge, verifyAuthChallengeResponse } from './customAuth.js';
import { customMessage } from './customMessage.js';
import { COGNITO_TRIGGER_TIMEOUT_MS, type TriggerTarget } from './invoke.js';
import { postConfirmation } from './postConfirmation.js';
import { preSignUp } from './preSignUp.js';
import { preTokenGeneration } from './preTokenGeneration.js';
import type { PoolTriggers, PreTokenGenerationVersion } from './types.js';
import { userMigration } from './userMigration.js';

export interface PoolTriggersOptions {
  invoker: FunctionInvoker;
  pool: {
    id: string;
    region: string;
    /** LambdaConfig mapped to function names (UserPoolSpec.triggers). */
    triggers: Partial<Record<TriggerName, string>>;
    /** LambdaConfig.PreTokenGenerationConfig.LambdaVersion; default V1_0. See preTokenGenerationVersionOf(). */
    preTokenGenerationVersion?: PreTokenGenerationVersion;
  };
  /** How long Cognito waits for a function; default 5000 ms. */
  timeoutMs?: number;
}

/**
 * The Lambda triggers of one user pool, invoked through the runtime with Cognito's event shapes. A trigger the
 * pool does not configure behaves as in `noTriggers`. Failures are CognitoErrors (UserLambdaValidationException,
 * UnexpectedLambdaException, InvalidLambdaResponseException); see invokeTrigger() for the mapping.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html
 */
export function createPoolTriggers(o: PoolTriggersOptions): PoolTriggers {
  const { pool } = o;
  const timeoutMs = o.timeoutMs ?? COGNITO_TRIGGER_TIMEOUT_MS;
  const version = pool.preTokenGenerationVersion ?? 'V1_0';
  const target = (name: TriggerName): TriggerTarget | undefined => {
    const functionName = pool.triggers[name];
    return functionName === undefined ? undefined : { invoker: o.invoker, functionName, timeoutMs };
  };
  const ref = { id: pool.id, region: pool.region };
  return {
    preSignUp: (i) => {
      const t = target('PreSignUp');
      return t ? preSignUp(t, ref, i) : noTriggers.preSignUp(i);
    },
    postConfirmation: (i) => {
      const t = target('PostConfirmation');
      return t ? postConfirmation(t, ref, i) : noTriggers.postConfirmation(i);
    },
    preTokenGeneration: (i) => {
      const t = target('PreTokenGeneration');
      return t ? preTokenGeneration(t, ref, version, i) : noTriggers.preTokenGeneration(i);
    },
    customMessage: (i) => {
      const t = target('CustomMessage');
      return t ? customMessage(t, ref, i) : noTriggers.customMessage(i);
    },
    preAuthentication: (i) => {
      const t = target('PreAuthentication');
      return t ? preAuthentication(t, ref, i) : noTriggers.preAuthentication(i);
    },
    postAuthentication: (i) => {
      const t = target('PostAuthentication');
      return t ? postAuthentication(t, ref, i) : noTriggers.postAuthentication(i);
    },
    defineAuthChallenge: (i) => {
      const t = target('DefineAuthChallenge');
      return t ? defineAuthChallenge(t, ref, i) : noTriggers.defineAuthChallenge(i);
    },
    createAuthChallenge: (i) => {
      const t = target('CreateAuthChallenge');
      return t ? createAuthChallenge(t, ref, i) : noTriggers.createAuthChallenge(i);
    },
    verifyAuthChallengeResponse: (i) => {
      const t = target('VerifyAuthChallengeResponse');
      return t ? verifyAuthChallengeResponse(t, ref, i) : noTriggers.verifyAuthChallengeResponse(i);
    },
    userMigration: (i) => {
      const t = target('UserMigration');
      return t ? userMigration(t, ref, i) : noTriggers.userMigration(i);
    },
  };
}

/**
 * Reads the pre token generation event version from AWS::Cognito::UserPool properties: V1_0 unless
 * `LambdaConfig.PreTokenGenerationConfig.LambdaVersion` says otherwise.
 */
export function preTokenGenerationVersionOf(
  userPoolProperties: Record<string, unknown>,
): PreTokenGenerationVersion {
  const lambdaConfig = userPoolProperties.LambdaConfig as Record<string, unknown> | undefined;
  const config = lambdaConfig?.PreTokenGenerationConfig as Record<string, unknown> | undefined;
  const v = config?.LambdaVersion;
  return v === 'V2_0' || v === 'V3_0' ? v : 'V1_0';
}

/**
 * Maps a pool's LambdaConfig (ARNs or names, and the V2 PreTokenGenerationConfig) to function names, for pools
 * created through the API rather than the template.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_LambdaConfigType.html
 */
export function triggersOfConfig(lambdaConfig: unknown): Partial<Record<TriggerName, string>> {
  const out: Partial<Record<TriggerName, string>> = {};
  if (typeof lambdaConfig !== 'object' || lambdaConfig === null) return out;
  for (const [k, v] of Object.entries(lambdaConfig as Record<string, unknown>)) {
    if (typeof v === 'string') out[k as TriggerName] = functionNameOf(v);
    if (k === 'PreTokenGenerationConfig' && typeof v === 'object' && v !== null) {
      const arn = (v as { LambdaArn?: unknown }).LambdaArn;
      if (typeof arn === 'string') out.PreTokenGeneration = functionNameOf(arn);
    }
  }
  return out;
}
