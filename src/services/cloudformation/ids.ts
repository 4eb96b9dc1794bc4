/**
 * Deterministic physical ids. CloudFormation and Cognito pick random ids at creation; locally the same
 * (stack, logical id) must always give the same id, so restarts keep pool and client ids, and tokens issued
 * before a restart still name a pool that exists. Each id is a SHA-256 digest of the stack name, the logical
 * id and the id's kind, written in the alphabet and length of the real id.
 */
import { createHash } from 'node:crypto';

/** The alphabets of real ids: pool ids and generated names use mixed case, client and API ids lowercase. */
export const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const LOWER_ALNUM = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Longest name CloudFormation generates for most named resources (Lambda, IAM role). */
const MAX_GENERATED_NAME = 64;

/** `length` characters of `alphabet`, derived from the digest of `parts`. */
export function hashId(parts: readonly string[], alphabet: string, length: number): string {
  // 512 bits of digest give far more entropy than the 26-character ids need, with negligible modulo bias.
  const h1 = createHash('sha256').update(parts.join('\u0000')).digest();
  const h2 = createHash('sha256').update(h1).digest();
  let n = BigInt(`0x${Buffer.concat([h1, h2]).toString('hex')}`);
  const base = BigInt(alphabet.length);
  let out = '';
  for (let i = 0; i < length; i++) {
    out += alphabet[Number(n % base)];
    n /= base;
  }
  return out;
}

/**
 * A user pool id, `<region>_<9 alphanumerics>` like Cognito's (aws-jwt-verify parses this form).
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolType.html
 */
export function userPoolId(region: string, stackName: string, logicalId: string): string {
  return `${region}_${hashId(['AWS::Cognito::UserPool', stackName, logicalId], ALNUM, 9)}`;
}

/**
 * An app client id: 26 characters of [a-z0-9], as Cognito issues them.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolClientType.html
 */
export function userPoolClientId(stackName: string, logicalId: string): string {
  return hashId(['AWS::Cognito::UserPoolClient', stackName, logicalId], LOWER_ALNUM, 26);
}

/**
 * An HTTP API id: 10 characters of [a-z0-9], the host label of `<apiId>.execute-api.<region>.amazonaws.com`.
 * @see https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid.html
 */
export function httpApiId(stackName: string, logicalId: string): string {
  return hashId(['AWS::ApiGatewayV2::Api', stackName, logicalId], LOWER_ALNUM, 10);
}

/** Route, integration and authorizer ids are short lowercase ids in API Gateway (7 and 6 characters). */
export function apiChildId(type: string, stackName: string, logicalId: string, length: number): string {
  return hashId([type, stackName, logicalId], LOWER_ALNUM, length);
}

/**
 * The name CloudFormation generates for a resource whose name property is absent:
 * `<stack>-<logicalId>-<12 alphanumerics>`, the stack name and then the logical id trimmed so the whole fits
 * the resource's name limit (64 for Lambda functions and IAM roles).
 * The exact trimming CloudFormation applies is undocumented; this keeps the documented shape and length.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html
 */
export function generatedName(
  stackName: string,
  logicalId: string,
  opts: { maxLength?: number; lowercase?: boolean } = {},
): string {
  const max = opts.maxLength ?? MAX_GENERATED_NAME;
  const suffix = hashId(['name', stackName, logicalId], opts.lowercase ? LOWER_ALNUM : ALNUM, 12);
  let budget = max - suffix.length - 2;
  // Keep at least part of the logical id, which is what tells resources of one stack apart.
  const logicalPart = logicalId.slice(0, Math.max(Math.ceil(budget / 2), budget - stackName.length));
  budget -= logicalPart.length;
  const stackPart = stackName.slice(0, budget);
  const name = `${stackPart}-${logicalPart}-${suffix}`;
  return opts.lowercase ? name.toLowerCase() : name;
}
