/**
 * The local Cognito user pool service, wired: SQLite stores, the domain service, mail, triggers, provisioning from
 * the topology and the JSON/JWKS/inbox server. `startIdp` is what the CLI and the integration tests call.
 */
export type { CognitoInternal, CognitoResourceKind } from './internal.js';
export { cognitoInternal } from './internal.js';
export type { ProvisionedPool } from './provision.js';
export { provisionUserPools } from './provision.js';
export type { IdpServerOptions, RunningIdp, TestClockControl } from './server.js';
export { createIdpServer, discoveryDocument, startIdpServer } from './server.js';
export { IdpService } from './service/index.js';
export type { StartedIdp, StartIdpOptions } from './start.js';
export { startIdp } from './start.js';
