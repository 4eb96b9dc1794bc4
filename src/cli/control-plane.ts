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
  /**
   * A redeploy of the stacks. `fresh` (a new synth, `cdk deploy`, `--watch`): the template's code and configuration
   * replace the API's updates. Not fresh (a restart whose synth was skipped, or `--no-synth`): updates made to the
   * same asset are kept, as a `cdk deploy` with no changes keeps them.
   */
  redeploy(topology: Topology, fresh: boolean): void;
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
  /** This start synthesized the stack anew: its code and configuration replace earlier updates. */
  freshDeploy: boolean;
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
    functions: topology.functions,
    store: lambdaStore,
    codeRoot: join(config.dataDir, 'lambda', 'code'),
    clock,
    freshDeploy: o.freshDeploy,
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
    redeploy(next, fresh) {
      runtime?.reload(registry.redeploy(next.functions, fresh));
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
 * Puts Lambda's API and CloudWatch Logs on the edge. The stacks' log groups and access log destinations come from
 * the CloudFormation engine and API Gateway's store.
 */
export function registerControlPlane(o: {
  edge: Edge;
  config: Config;
  topology: () => Topology;
  parts: FunctionsAndLogs;
  codeSource?: CodeSource;
  /** CreateFunction/DeleteFunction, versions, permissions and tags beside the registry. */
  control?: LambdaControl;
  log: Logger;
}): void {
  const { parts } = o;
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
}
