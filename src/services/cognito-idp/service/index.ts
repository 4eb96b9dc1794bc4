/**
 * The Cognito-compatible user pool service: the domain, on plain typed values, throwing CognitoError subclasses.
 * The JSON API (src/services/cognito-idp/api/) and the Hosted UI both drive it; neither duplicates its rules.
 *
 * - `pools`: pools, clients, resource servers, domains, JWKS.
 * - `groups`: a pool's groups (membership is in `accounts`).
 * - `accounts`: sign-up, confirmation, passwords, attributes, admin user operations, listing, group membership.
 * - `auth`: password / SRP / refresh sign-in, challenges, the lockout (`passwordFirstFactor` for the Hosted UI).
 * - `tokens`: the one place tokens are minted, refreshed, revoked and verified (`issue`, `refresh`, `revoke`,
 *   `issueClientCredentials`, `verifyAccess`).
 */

export { AccountService, parseFilter, userView } from './accounts.js';
export type { Attributes } from './attributes.js';
export { fromWire, maskDestination, toWire } from './attributes.js';
export type { AuthStep, PasswordOutcome } from './auth.js';
export { AuthService } from './auth.js';
export type { CodePurpose, IdpServiceDeps, MailSender, MessageKind, ServiceLog } from './core.js';
export { GroupAdmin, groupView } from './groups.js';
export { IdpService } from './idpService.js';
export type { IdSource } from './ids.js';
export { cryptoIds, sha256, stableSuffix } from './ids.js';
export { PoolAdmin } from './pools.js';
export * as settings from './settings.js';
export type { SrpCompute } from './srpWorkers.js';
export { createSrpWorkers, inlineSrp } from './srpWorkers.js';
export type { IssuedTokens, IssueRequest, VerifiedAccess } from './tokens.js';
export { TokenService } from './tokens.js';
export type { CustomMessageResult, PoolTriggers, PreSignUpResult, PreTokenResult } from './triggers.js';
export { noTriggers } from './triggers.js';
