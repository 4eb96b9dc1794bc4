/**
 * Wiring for the local cloud as a deploy target (Terraform, the SDKs): IAM, API Gateway v2's control plane with the
 * gateway serving the store's current state, Lambda's code from S3. Part of the CLI (it wires concrete parts).
 */
import { readFileSync } from 'node:fs';
import type { Edge } from '../edge/index.js';
import {
  type ApiGatewayInternal,
  ApiGatewayStore,
  accessLogGroups,
  apiGatewayControlService,
  apiGatewayInternal,
  toHttpApiSpec,
} from '../services/apigateway/control/index.js';
import type { RunningGateway } from '../services/apigateway/index.js';
import { IamStore, iamService } from '../services/iam/index.js';
import { type CodeSource, CodeSourceError } from '../services/lambda/index.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { Records } from '../store/records.js';
import type { S3Store } from '../store/s3/index.js';

export interface DeployTarget {
  iam: IamStore;
  apis: ApiGatewayStore;
  /** API Gateway's internal operations, for the CloudFormation engine (AWS::ApiGatewayV2::*). */
  apiGateway: ApiGatewayInternal;
  /** Resolves once the gateway serves the store's current state. */
  settled(): Promise<void>;
}

/** Lambda's S3Bucket/S3Key code: the object as the local S3 holds it. */
export function s3CodeSource(store: S3Store): CodeSource {
  return async (bucket, key) => {
    if (!store.getBucket(bucket))
      throw new CodeSourceError('NoSuchBucket', 'The specified bucket does not exist');
    const o = store.getObject(bucket, key);
    if (!o) throw new CodeSourceError('NoSuchKey', 'The specified key does not exist.');
    return readFileSync(store.blobs.path(o.blob));
  };
}

export function startDeployTarget(o: {
  edge: Edge;
  gateway: RunningGateway;
  region: string;
  accountId: string;
  clock: Clock;
  log: Pick<Logger, 'error'>;
  /** Where IAM entities and the APIs (made through the API or by a stack) are kept, restored here; in memory without. */
  records?: Records;
  /** Receives every stage's access log destination (`<apiId>/<stage>` → log group). */
  setAccessLogGroups(groups: ReadonlyMap<string, string>): void;
}): DeployTarget {
  const iam = new IamStore(o.accountId, o.clock, o.records);
  o.edge.register(iamService(iam));

  const apis = new ApiGatewayStore(o.region, o.accountId, o.clock, o.records);
  // Changes come in bursts (an import makes dozens): one reload per turn of the event loop serves them all.
  let pending: Promise<void> = Promise.resolve();
  let scheduled = false;
  apis.onChange(() => {
    if (scheduled) return;
    scheduled = true;
    pending = new Promise<void>((resolve) => queueMicrotask(resolve)).then(async () => {
      scheduled = false;
      o.setAccessLogGroups(accessLogGroups(apis));
      try {
        await o.gateway.reload(apis.list().map(toHttpApiSpec));
      } catch (err) {
        o.log.error(
          { err: err instanceof Error ? err.message : String(err) },
          'the gateway refused the APIs; still serving the previous ones',
        );
      }
    });
  });
  const settled = async () => {
    // A reload may schedule after the one awaited started: wait until none is left.
    let seen: Promise<void> | undefined;
    while (seen !== pending) {
      seen = pending;
      await seen;
    }
  };
  // The APIs restored from the records are served from the start.
  if (apis.list().length > 0) apis.changed();
  o.edge.register(
    apiGatewayControlService({ store: apis, settled, endpointOf: (id) => o.gateway.endpointOf(id) }),
  );

  return { iam, apis, settled, apiGateway: apiGatewayInternal(apis, settled) };
}
