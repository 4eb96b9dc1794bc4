/**
 * Wiring for the CloudFormation engine: its targets are the local services' internal operations (SSM, S3, Logs,
 * Lambda, API Gateway), what else the stacks describe is served by applying their topologies to the running IdP
 * and functions, and the CDK bootstrap stack exists from the start. Part of the CLI (it wires concrete parts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Edge } from '../edge/index.js';
import {
  cloudFormationService,
  type LocalEndpoints,
  localizer,
} from '../services/cloudformation/api/index.js';
import { BOOTSTRAP_STACK, bootstrapTemplate } from '../services/cloudformation/engine/bootstrap.js';
import { CloudFormationEngine } from '../services/cloudformation/engine/engine.js';
import { StackStore } from '../services/cloudformation/engine/store.js';
import type { EngineTargets } from '../services/cloudformation/engine/targets.js';
import { listStacks } from '../services/cloudformation/index.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';

export interface StacksOptions {
  edge: Edge;
  dataDir: string;
  region: string;
  accountId: string;
  clock: Clock;
  endpoints: LocalEndpoints;
  targets: EngineTargets;
  log: Pick<Logger, 'info' | 'error'>;
}

export interface Stacks {
  engine: CloudFormationEngine;
  /** Deploys a stack of a cloud assembly (npm start's own) through the engine; resolves when it has settled. */
  deployAssembly(
    cdkOutDir: string,
    stackName?: string,
  ): Promise<{ stackName: string; status: string; reason?: string }>;
  /** Creates the CDK bootstrap stack if it does not exist yet. */
  bootstrap(): Promise<void>;
  /** The HTTP APIs of every live stack: API id → its logical id and name. */
  stackApis(): Map<string, { logicalId: string; name: string }>;
}

export function startStacks(o: StacksOptions): Stacks {
  const workDir = join(o.dataDir, 'cloudformation');
  const engine = new CloudFormationEngine({
    store: new StackStore(join(o.dataDir, 'cloudformation.json')),
    region: o.region,
    accountId: o.accountId,
    clock: o.clock,
    targets: o.targets,
    workDir,
    localize: localizer(o.endpoints),
    log: o.log,
  });
  o.edge.register(cloudFormationService({ engine, targets: o.targets, localize: localizer(o.endpoints) }));

  const deploy = async (
    stackName: string,
    templateBody: string,
    assetBaseDir?: string,
    parameters: Record<string, string> = {},
  ) => {
    const existing = engine.store.find(stackName);
    if (
      existing &&
      /ROLLBACK_COMPLETE$|^ROLLBACK_FAILED$|REVIEW_IN_PROGRESS/.test(existing.status) &&
      existing.status !== 'UPDATE_ROLLBACK_COMPLETE'
    ) {
      engine.deleteStack(existing);
      await engine.idle();
      if (engine.store.find(stackName)?.status === 'REVIEW_IN_PROGRESS')
        engine.store.remove(existing.stackId);
    }
    const live = engine.store.find(stackName);
    const cs = engine.createChangeSet({
      stackName,
      changeSetName: `gatehouse-start-${o.clock.now()}`,
      type: live ? 'UPDATE' : 'CREATE',
      templateBody,
      parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({
        ParameterKey,
        ParameterValue,
      })),
      capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
      tags: [],
      ...(assetBaseDir ? { assetBaseDir } : {}),
    });
    const stack = engine.store.find(cs.stackId);
    if (cs.status === 'FAILED') {
      engine.store.deleteChangeSet(cs.id);
      if (stack?.status === 'REVIEW_IN_PROGRESS') engine.store.remove(stack.stackId);
      const unchanged = cs.statusReason?.startsWith("The submitted information didn't contain changes");
      return {
        stackName,
        status: unchanged ? (stack?.status ?? 'UNCHANGED') : 'FAILED',
        ...(unchanged ? {} : { reason: cs.statusReason ?? '' }),
      };
    }
    engine.executeChangeSet(cs);
    await engine.idle();
    const after = engine.store.find(cs.stackId);
    const failure = after?.events.filter((e) => /FAILED$/.test(e.status) && e.reason).at(-1);
    return {
      stackName,
      status: after?.status ?? 'DELETE_COMPLETE',
      ...(failure?.reason ? { reason: `${failure.logicalId}: ${failure.reason}` } : {}),
    };
  };

  return {
    engine,
    async deployAssembly(cdkOutDir, stackName) {
      const stacks = listStacks(cdkOutDir);
      const artifact = stackName === undefined ? stacks[0] : stacks.find((s) => s.stackName === stackName);
      if (!artifact) throw new Error(`No stack ${stackName ?? ''} in ${cdkOutDir}`);
      return deploy(
        artifact.stackName,
        readFileSync(artifact.templateFile, 'utf8'),
        artifact.assemblyDir,
        artifact.parameters,
      );
    },
    async bootstrap() {
      if (engine.store.find(BOOTSTRAP_STACK)) return;
      const r = await deploy(BOOTSTRAP_STACK, bootstrapTemplate());
      if (r.status !== 'CREATE_COMPLETE')
        throw new Error(`The CDK bootstrap stack could not be created: ${r.reason ?? r.status}`);
      o.log.info({ stack: BOOTSTRAP_STACK }, 'created the CDK bootstrap stack');
    },
    stackApis() {
      const out = new Map<string, { logicalId: string; name: string }>();
      for (const s of engine.store.live()) {
        for (const r of Object.values(s.resources)) {
          if (r.type !== 'AWS::ApiGatewayV2::Api') continue;
          const name = r.properties.Name;
          out.set(r.physicalId, {
            logicalId: r.logicalId,
            name: typeof name === 'string' ? name : r.logicalId,
          });
        }
      }
      return out;
    },
  };
}
