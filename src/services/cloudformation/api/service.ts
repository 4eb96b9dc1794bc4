/**
 * CloudFormation (awsQuery) over the engine (../engine): stacks, change sets, events, resources, templates and
 * exports. The same service takes the responses custom resource handlers PUT to their ResponseURL (a presigned-style
 * URL whose credential scope names `cloudformation`, so the edge routes it here).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AwsService,
  queryService,
  type RequestContext,
  readBody,
  send,
} from '../../../protocols/index.js';
import { RESPONSE_PATH } from '../engine/custom.js';
import type { CloudFormationDeps } from './common.js';
import { model } from './model.gen.js';
import { cloudFormationOperations } from './operations.js';

export type { CloudFormationDeps } from './common.js';
export { type LocalEndpoints, localizer } from './localize.js';
export { cloudFormationOperations, model };

export function cloudFormationService(d: CloudFormationDeps): AwsService {
  const api = queryService({
    model,
    operations: cloudFormationOperations(d),
    codes: { validation: 'ValidationError', internal: 'InternalFailure' },
  });
  const handle = async (req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (!path.startsWith(RESPONSE_PATH)) return api.handle(req, res, ctx);
    ctx.op = 'CustomResourceResponse';
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, 1024 * 1024)).toString('utf8'));
    } catch {
      return send(res, 400, { 'content-type': 'text/plain' }, 'The response must be a JSON object');
    }
    const delivered =
      req.method === 'PUT' && d.engine.deliverResponse(path.slice(RESPONSE_PATH.length), body);
    send(
      res,
      delivered ? 200 : 403,
      { 'content-type': 'text/plain' },
      delivered ? '' : 'Request has expired',
    );
  };
  return { ...api, handle };
}
