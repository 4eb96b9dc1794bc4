/**
 * Wiring for Lambda (runtime, function registry, API), CloudWatch Logs and CloudFormation's read side: the parts
 * `gatehouse start` puts on the one AWS endpoint beside the user pools. Part of the CLI (it wires concrete parts).
 */

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/index.js';
import type { Edge } from '../edge/index.js';
import {
  cloudFormationService,
  type DeployedStack,
  type LocalEndpoints,
  localizer,
  readDeployedStack,
} from '../services/cloudformation/api/index.js';
import type { Topology } from '../services/cloudformation/index.js';
import {
  type CodeSource,
  CodeSourceError,
  FunctionRegistry,
  type LambdaControl,
  LambdaRuntime,
  lambdaApiService,
  logGroupNameOf,
} from '../services/lambda/index.js';
import { createLogsService, type LogsService } from '../services/logs/index.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { LambdaStore } from '../store/lambda.js';
import { LogsStore } from '../store/logs.js';
import type { S3Store } from '../store/s3/index.js';

export interface FunctionsAndLogs {
  runtime: LambdaRuntime;
  registry: FunctionRegistry;
  logs: LogsService;
  /** Writes a stage's access log line to its destination log group (when the stage names one). */
  accessLog(apiId: string, stage: string, line: string): void;
  /** Where each stage's access log goes: `<apiId>/<stage>` → log group (from the stack's stages). */
  setAccessLogGroups(groups: ReadonlyMap<string, string>): void;
  /** A redeploy (`--watch`): the template's code and configuration replace the API's updates. */
  redeploy(topology: Topology): void;
  close(): Promise<void>;
}

/**
 * Starts the functions (their updates kept in `<dataDir>/lambda.sqlite`, their code in `<dataDir>/lambda/code`)
 * and CloudWatch Logs (`<dataDir>/logs.sqlite`); every function line goes to the terminal and to `/aws/lambda/NAME`.
 */
export function startFunctionsAndLogs(o: {
  config: Config;
  topology: Topology;
  clock: Clock;
  log: Logger;
  writeRawLine: (line: string) => void;
}): FunctionsAndLogs {
  const { config, topology, clock, log } = o;
  const logsStore = LogsStore.open(config.dataDir);
  const logs = createLogsService({
    store: logsStore,
    clock,
    region: topology.region,
    accountId: topology.accountId,
  });
  const lambdaStore = LambdaStore.open(config.dataDir);
  let runtime: LambdaRuntime | undefined;
  const registry = new FunctionRegistry({
    functions: topology.functions,
    store: lambdaStore,
    codeRoot: join(config.dataDir, 'lambda', 'code'),
    clock,
    freshDeploy: config.synth,
    onChange: (spec) => runtime?.update(spec),
  });
  runtime = new LambdaRuntime({
    functions: registry.specs(),
    log,
    region: topology.region,
    accountId: topology.accountId,
    maxConcurrency: config.lambdaConcurrency,
    python: config.python,
    // CloudWatch-style lines (START/END/REPORT, request-id-tagged output) as plain text, and into CloudWatch Logs.
    consoleSink: (line, functionName, stream) => {
      o.writeRawLine(line);
      logs.writer.write(logGroupNameOf(functionName), stream, line);
    },
  });
  let accessLogGroups: ReadonlyMap<string, string> = new Map();
  return {
    runtime,
    registry,
    logs,
    accessLog(apiId, stage, line) {
      const group = accessLogGroups.get(`${apiId}/${stage}`);
      if (group !== undefined) logs.writer.write(group, `${apiId}_${stage}`, line);
    },
    setAccessLogGroups(groups) {
      accessLogGroups = groups;
    },
    redeploy(next) {
      runtime?.reload(registry.redeploy(next.functions));
    },
    async close() {
      await runtime?.close();
      logs.close();
      logsStore.close();
      lambdaStore.close();
    },
  };
}

/**
 * UpdateFunctionCode's S3Bucket/S3Key read from the local S3's store, with S3's own error codes. Versioning is not
 * kept locally, so S3ObjectVersion is not looked at.
 */
export function s3CodeSource(store: S3Store): CodeSource {
  return async (bucket, key) => {
    if (store.getBucket(bucket) === undefined) {
      throw new CodeSourceError('NoSuchBucket', 'The specified bucket does not exist');
    }
    const object = store.getObject(bucket, key);
    if (object === undefined) throw new CodeSourceError('NoSuchKey', 'The specified key does not exist.');
    return readFile(store.blobs.path(object.blob));
  };
}

/**
 * Puts Lambda's API, CloudWatch Logs and CloudFormation's read side on the edge, creates the stack's log groups
 * (with their retention) and routes stages' access logs to their destination groups.
 */
export function registerControlPlane(o: {
  edge: Edge;
  config: Config;
  topology: () => Topology;
  parts: FunctionsAndLogs;
  endpoints: LocalEndpoints;
  codeSource?: CodeSource;
  /** CreateFunction/DeleteFunction, versions, permissions and tags beside the registry. */
  control?: LambdaControl;
  log: Logger;
}): { refresh(): void; accessLogGroups(): ReadonlyMap<string, string> } {
  const { parts } = o;
  const localize = localizer(o.endpoints);
  let stack: DeployedStack | undefined;
  const refresh = () => {
    const t = o.topology();
    // An empty cloud (`--empty`) has no stack to describe.
    if (o.config.empty) return;
    stack = readDeployedStack({
      cdkOutDir: o.config.cdkOut,
      stackName: t.stackName,
      region: t.region,
      accountId: t.accountId,
      deployedAt: new Date(),
      localize,
    });
    for (const g of stack.logGroups) parts.logs.ensureGroup(g.name, g.retentionInDays);
  };
  refresh();
  const t = o.topology();
  o.edge.register(parts.logs.service);
  o.edge.register(
    lambdaApiService(
      {
        registry: parts.registry,
        invoker: parts.runtime,
        codeSource:
          o.codeSource ??
          (async (bucket) => {
            throw new CodeSourceError('NoSuchBucket', `The specified bucket does not exist: ${bucket}`);
          }),
        region: t.region,
        accountId: t.accountId,
        log: o.log,
      },
      o.control,
    ),
  );
  if (stack !== undefined) {
    const deployed = stack;
    o.edge.register(cloudFormationService({ stack: () => stack ?? deployed }));
  }
  return { refresh, accessLogGroups: () => stack?.accessLogGroups ?? new Map() };
}
