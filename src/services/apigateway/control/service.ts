/**
 * API Gateway v2's control plane on the one AWS endpoint (restJson1, signing name `apigateway`), and the resource
 * model the gateway serves from. The create/update/delete operations in ./parts.ts and ./store.ts are the ones the
 * CloudFormation engine calls too.
 */
import { type AwsService, restJsonService } from '../../../protocols/index.js';
import { committing } from '../../../store/records.js';
import { model } from './model.gen.js';
import { type ApiGatewayControlDeps, apiGatewayControlOperations } from './operations.js';

export { type ApiGatewayInternal, type ApiPartKind, apiGatewayInternal } from './internal.js';
export type { ApiGatewayControlDeps } from './operations.js';
export * from './parts.js';
export { accessLogGroups, functionNameOfUri, toHttpApiSpec } from './spec.js';
export * from './store.js';

export function apiGatewayControlService(d: ApiGatewayControlDeps): AwsService {
  return restJsonService({
    model,
    // Changes that do not reach `changed()` (deployments, tags) are stored before the answer too.
    operations: committing(apiGatewayControlOperations(d), () => d.store.commit()),
    codes: {
      validation: 'BadRequestException',
      serialization: 'BadRequestException',
      unknownOperation: 'NotFoundException',
      internal: 'InternalServerError',
    },
  });
}
