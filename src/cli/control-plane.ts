/**
 * Wiring for Lambda (runtime, function registry, API) and CloudWatch Logs: the parts `gatehouse start` puts on the
 * one AWS endpoint beside the user pools (CloudFormation is wired in ./cloudformation.ts). Part of the CLI (it wires concrete parts).
 */

import { join } from 'node:path';
import type { Config } from '../config/index.js';
import type { Edge } from '../edge/index.js';
import type { Topology } from '../services/cloudformation/index.js';
import {
  type CodeSource,
  CodeSourceError,
  FunctionRegistry,
  LambdaControl,
  type LambdaInternal,
  LambdaRuntime,
  lambdaApiService,
  lambdaInternal,
  logGroupNameOf,
} from '../services/lambda/index.js';
import { createLogsService, type LogsService } from '../services/logs/index.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { LambdaStore } from '../store/lambda.js';
import { LogsStore } from '../store/logs.js';
import type { Records } from '../store/records.js';

export interface FunctionsAndLogs {
  runtime: LambdaRuntime;
  registry: FunctionRegistry;
  logs: LogsService;
  /** `<dataDir>/lambda.sqlite`'s records: where {@link LambdaControl} keeps what Lambda's API holds per function. */
  lambdaRecords: Records;
  /** Writes a stage's access log line to its destination log group (when the stage names one). */
  accessLog(apiId: string, stage: string, line: string): void;
  /** Where each stage's access log goes: `<apiId>/<stage>` → log group (from the stack's stages). */
  setAccessLogGroups(groups: ReadonlyMap<string, string>): void;
  close(): Promise<void>;
}

/**
 * Starts the functions (every function, a stack's included, kept in `<dataDir>/lambda.sqlite`, their code in
 * `<dataDir>/lambda/code`; the CloudFormation engine creates a stack's through Lambda's internal operations)
 * and CloudWatch Logs (`<dataDir>/logs.sqlite`); every function line goes to the terminal and to `/aws/lambda/NAME`.
 */
export function startFunctionsAndLogs(o: {
  config: Config;
  topology: Topology;
  clock: Clock;
  log: Logger;
  writeRawLine: (line: string) => void;
  /** The local AWS endpoint the functions reach AWS at. */
  awsEndpoint?: string;
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
    functions: [],
    store: lambdaStore,
    codeRoot: join(config.dataDir, 'lambda', 'code'),
    clock,
    freshDeploy: false,
    onChange: (spec) => runtime?.update(spec),
  });
  runtime = new LambdaRuntime({
    functions: registry.specs(),
    log,
    region: topology.region,
    accountId: topology.accountId,
    maxConcurrency: config.lambdaConcurrency,
    python: config.python,
    ...(o.awsEndpoint !== undefined ? { awsEndpoint: o.awsEndpoint } : {}),
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
    lambdaRecords: lambdaStore.records,
    accessLog(apiId, stage, line) {
      const group = accessLogGroups.get(`${apiId}/${stage}`);
      if (group !== undefined) logs.writer.write(group, `${apiId}_${stage}`, line);
    },
    setAccessLogGroups(groups) {
      accessLogGroups = groups;
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
 * Puts Lambda's API and CloudWatch Logs on the edge, and returns Lambda's internal operations (what the
 * CloudFormation engine creates a stack's functions and permissions through). The stacks' log groups and access log
 * destinations come from the CloudFormation engine and API Gateway's store.
 */
export function registerControlPlane(o: {
  edge: Edge;
  config: Config;
  topology: () => Topology;
  parts: FunctionsAndLogs;
  codeSource?: CodeSource;
  log: Logger;
}): LambdaInternal {
  const { parts } = o;
  const t = o.topology();
  // CreateFunction/DeleteFunction, versions, permissions and tags beside the registry: a function created or
  // deleted (through the API or by a stack) starts or stops being run; published versions run too.
  const control = new LambdaControl(
    () => parts.runtime.reload(parts.registry.specs()),
    parts.lambdaRecords,
    (published) => parts.runtime.setPublished(published),
  );
  const deps = {
    registry: parts.registry,
    invoker: parts.runtime,
    codeSource:
      o.codeSource ??
      (async (bucket: string) => {
        throw new CodeSourceError('NoSuchBucket', `The specified bucket does not exist: ${bucket}`);
      }),
    region: t.region,
    accountId: t.accountId,
    log: o.log,
  };
  o.edge.register(parts.logs.service);
  o.edge.register(lambdaApiService(deps, control));
  return lambdaInternal(deps, control);
}
