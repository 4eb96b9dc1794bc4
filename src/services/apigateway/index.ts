/** The local API Gateway HTTP API: what src/cli.ts wires. */

export { defaultResolveIssuer, type ResolvedIssuer, type ResolveIssuer } from './authorizer.js';
export { type ApiGatewayV2Event, toEventV2 } from './event.js';
export { localPoolIssuers } from './issuers.js';
export {
  type AccessLogEntry,
  type GatewayLogger,
  type GatewayOptions,
  type RunningGateway,
  startGateway,
} from './listener.js';
export { mapInvokeResult } from './response.js';
