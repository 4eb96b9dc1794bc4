/**
 * The CloudFormation engine: change sets (a real diff of the submitted template against the stack), stack
 * operations run in the background one at a time per stack, exports across stacks, and the topology every live
 * stack serves. The awsQuery operations (../api) and `npm start` both drive it.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { AwsError } from '../../../protocols/index.js';
import type { Clock } from '../../../shared/clock.js';
import type { Logger } from '../../../shared/logger.js';
import { Resolver } from '../intrinsics.js';
import type { CfnTemplate } from '../template.js';
import type { Topology } from '../types.js';
import { type CustomResourceContext, RESPONSE_PATH, ResponseInbox } from './custom.js';
import { computeChanges } from './diff.js';
import { deleteStackResources, type ExecutionContext, executeChangeSet, setStatus } from './execute.js';
import { creationOrder } from './graph.js';
import { liveTopology } from './live.js';
import { providerFor } from './providers.js';
import {
  checkRules,
  type Exports,
  type Parameter,
  parameterValues,
  parseTemplateBody,
  prepareTemplate,
  resolveParameters,
} from './resolve.js';
import type { StackStore } from './store.js';
import type { EngineTargets } from './targets.js';
import type { ChangeSet, ResourceState, Stack } from './types.js';

export interface EngineOptions {
  store: StackStore;
  region: string;
  accountId: string;
  clock: Clock;
  targets: EngineTargets;
  /** Where inline code and installed assets go. */
  workDir: string;
  /** How long a custom resource's response may take once its handler returned. Default 10 seconds. */
  customResourceResponseTimeoutMs?: number;
  /** Maps AWS URLs in outputs to their local counterparts. */
  localize(value: string): string;
  log: Pick<Logger, 'error'>;
}

export interface ChangeSetInput {
  stackName: string;
  changeSetName: string;
  type: 'CREATE' | 'UPDATE';
  templateBody: string;
  parameters: { ParameterKey?: string; ParameterValue?: string; UsePreviousValue?: boolean }[];
  capabilities: string[];
  tags: { Key: string; Value: string }[];
  description?: string;
  /** npm start: the cloud assembly its `aws:asset:path` metadata is relative to. */
  assetBaseDir?: string;
}

const invalid = (m: string) => new AwsError('ValidationError', m);
const IAM = /^AWS::IAM::/;
const NAMED = new Set([
  'RoleName',
  'PolicyName',
  'ManagedPolicyName',
  'UserName',
  'GroupName',
  'InstanceProfileName',
]);

export class CloudFormationEngine {
  readonly inbox = new ResponseInbox();
  readonly #running = new Map<string, Promise<void>>();
  readonly #assetBase = new Map<string, string>();

  constructor(private readonly o: EngineOptions) {}

  get store(): StackStore {
    return this.o.store;
  }

  stackArn(name: string): string {
    return `arn:aws:cloudformation:${this.o.region}:${this.o.accountId}:stack/${name}/${randomUUID()}`;
  }

  exports(): Exports {
    const out = new Map<string, { value: string; stackName: string }>();
    for (const s of this.o.store.live()) {
      for (const x of s.outputs)
        if (x.exportName !== undefined) out.set(x.exportName, { value: x.value, stackName: s.stackName });
    }
    return out;
  }

  /** Validates the template and computes its changes; the change set is FAILED (with the reason) when it cannot run. */
  createChangeSet(input: ChangeSetInput): ChangeSet {
    const { store } = this.o;
    let stack = store.find(input.stackName);
    if (input.type === 'CREATE' && stack && stack.status !== 'REVIEW_IN_PROGRESS') {
      throw invalid(
        `Stack [${input.stackName}] already exists and cannot be created again with the changeSet [${input.changeSetName}].`,
      );
    }
    if (input.type === 'UPDATE' && (!stack || stack.status === 'REVIEW_IN_PROGRESS')) {
      throw invalid(`Stack [${input.stackName}] does not exist`);
    }
    if (stack && store.changeSet(input.changeSetName, stack)) {
      throw new AwsError('AlreadyExistsException', `ChangeSet ${input.changeSetName} already exists`);
    }
    if (stack && this.#running.has(stack.stackId)) {
      throw invalid(`Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`);
    }
    const template = parseTemplateBody(input.templateBody);
    const parameters = resolveParameters(template, input.parameters, stack?.parameters ?? [], (n) =>
      this.o.targets.ssm?.value(n),
    );
    const resolver = this.resolver(input.stackName, template, parameters, stack);
    checkRules(template, resolver);
    this.checkCapabilities(template, input.capabilities);
    if (!stack) {
      stack = {
        stackId: this.stackArn(input.stackName),
        stackName: input.stackName,
        status: 'REVIEW_IN_PROGRESS',
        templateBody: undefined,
        parameters: [],
        capabilities: [],
        tags: input.tags,
        resources: {},
        outputs: [],
        createdAt: this.o.clock.now(),
        events: [],
        disableRollback: false,
      };
      store.add(stack);
      setStatus(this.context(), stack, 'REVIEW_IN_PROGRESS', 'User Initiated');
    }
    if (input.assetBaseDir) this.#assetBase.set(stack.stackId, input.assetBaseDir);
    const cs: ChangeSet = {
      id: `arn:aws:cloudformation:${this.o.region}:${this.o.accountId}:changeSet/${input.changeSetName}/${randomUUID()}`,
      name: input.changeSetName,
      stackId: stack.stackId,
      stackName: stack.stackName,
      type: input.type,
      status: 'CREATE_COMPLETE',
      executionStatus: 'AVAILABLE',
      ...(input.description !== undefined ? { description: input.description } : {}),
      templateBody: input.templateBody,
      template,
      parameters,
      capabilities: input.capabilities,
      tags: input.tags,
      changes: [],
      createdAt: this.o.clock.now(),
    };
    const unsupported = Object.entries(template.Resources).filter(
      ([id, r]) => resolver.isActive(id) && !providerFor(r.Type),
    );
    if (unsupported.length) {
      cs.status = 'FAILED';
      cs.executionStatus = 'UNAVAILABLE';
      cs.statusReason = `Template error: resource types not supported by the local cloud: ${unsupported.map(([id, r]) => `${r.Type} (${id})`).join(', ')}`;
    } else {
      cs.changes = computeChanges(stack.resources, template, resolver);
      const sameParams = JSON.stringify(stack.parameters) === JSON.stringify(parameters);
      if (
        cs.changes.length === 0 &&
        input.type === 'UPDATE' &&
        sameParams &&
        stack.templateBody === input.templateBody
      ) {
        cs.status = 'FAILED';
        cs.executionStatus = 'UNAVAILABLE';
        cs.statusReason =
          "The submitted information didn't contain changes. Submit different information to create a change set.";
      }
    }
    store.putChangeSet(cs);
    return cs;
  }

  /** Starts the change set's execution; resolves once it is started (see {@link idle}). */
  executeChangeSet(cs: ChangeSet): void {
    const stack = this.o.store.find(cs.stackId);
    if (!stack) throw invalid(`Stack [${cs.stackName}] does not exist`);
    if (cs.executionStatus !== 'AVAILABLE') {
      throw new AwsError(
        'InvalidChangeSetStatus',
        `ChangeSet [${cs.id}] cannot be executed in its current status of [${cs.status}]`,
      );
    }
    if (this.#running.has(stack.stackId)) {
      throw invalid(`Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`);
    }
    cs.executionStatus = 'EXECUTE_IN_PROGRESS';
    const previous = stack.templateBody === undefined ? undefined : parseTemplateBody(stack.templateBody);
    this.run(stack, async () => {
      await executeChangeSet(this.context(), stack, cs, previous, this.#assetBase.get(stack.stackId));
      cs.executionStatus =
        /COMPLETE$/.test(stack.status) && !/ROLLBACK/.test(stack.status)
          ? 'EXECUTE_COMPLETE'
          : 'EXECUTE_FAILED';
      // The change sets of a stack are gone once one of them ran.
      for (const other of this.o.store.changeSetsOf(stack.stackId)) this.o.store.deleteChangeSet(other.id);
    });
  }

  deleteStack(stack: Stack): void {
    if (stack.status === 'DELETE_COMPLETE' || this.#running.has(stack.stackId)) return;
    const template =
      stack.templateBody === undefined ? { Resources: {} } : parseTemplateBody(stack.templateBody);
    this.run(stack, async () => {
      await deleteStackResources(this.context(), stack, template);
      if (stack.status === 'DELETE_COMPLETE') {
        for (const c of this.o.store.changeSetsOf(stack.stackId)) this.o.store.deleteChangeSet(c.id);
      }
    });
  }

  /** Resolves when no stack operation is running. */
  async idle(): Promise<void> {
    while (this.#running.size) await Promise.allSettled([...this.#running.values()]);
  }

  /**
   * Serves again what the live stacks hold but a service lacks (a data dir from before the resources were created
   * one by one, or a service's store lost): each such resource, in dependency order, is created again through its
   * provider with the properties it was last applied with. Resources whose provider cannot tell are left as they
   * are. Also run after each stack operation: a resource replaced under the same physical id (a user pool) takes
   * its dependents with it in the service, and they are created again. Returns `stack/logicalId` of each.
   */
  async restore(): Promise<string[]> {
    const restored: string[] = [];
    const custom = this.context().custom;
    for (const stack of this.o.store.live()) {
      if (stack.templateBody === undefined) continue;
      let order: string[];
      let resolver: Resolver;
      try {
        const template = parseTemplateBody(stack.templateBody);
        order = creationOrder(template).concat(
          Object.keys(stack.resources).filter((id) => !(id in template.Resources)),
        );
        resolver = this.resolver(stack.stackName, template, stack.parameters, stack);
      } catch (err) {
        this.o.log.error({ err, stack: stack.stackName }, 'could not read the stack to restore it');
        continue;
      }
      for (const id of order) {
        const state = stack.resources[id];
        const provider = state ? providerFor(state.type) : undefined;
        if (!state || !provider?.exists) continue;
        const request = {
          stack,
          logicalId: id,
          type: state.type,
          properties: state.properties,
          current: state,
          resolver,
          targets: this.o.targets,
          custom,
          assetBaseDir: this.#assetBase.get(stack.stackId),
        };
        try {
          if (await provider.exists(request)) continue;
          await provider.create(request);
          restored.push(`${stack.stackName}/${id}`);
        } catch (err) {
          this.o.log.error({ err, stack: stack.stackName, logicalId: id }, 'could not restore a resource');
        }
      }
    }
    return restored;
  }

  /** Every live stack's resources: the stacks in order, each one's in its template's order. */
  liveResources(): ResourceState[] {
    const out: ResourceState[] = [];
    for (const s of this.o.store.live()) {
      const order =
        s.templateBody === undefined ? [] : Object.keys(parseTemplateBody(s.templateBody).Resources);
      const ids = [...order, ...Object.keys(s.resources).filter((id) => !order.includes(id))];
      for (const id of ids) {
        const r = s.resources[id];
        if (r) out.push(r);
      }
    }
    return out;
  }

  /** The custom-resource response a handler PUT to its ResponseURL. */
  deliverResponse(token: string, body: unknown): boolean {
    return this.inbox.deliver(token, (typeof body === 'object' && body !== null ? body : {}) as never);
  }

  private topologyOf(stack: Stack, template: CfnTemplate, params: Parameter[]): Topology {
    return liveTopology(template, stack.resources, {
      stackName: stack.stackName,
      region: this.o.region,
      accountId: this.o.accountId,
      parameters: parameterValues(params),
      assetBaseDir: this.#assetBase.get(stack.stackId) ?? join(this.o.workDir, 'assets'),
      inlineCodeDir: join(this.o.workDir, 'inline-code'),
    });
  }

  private resolver(
    stackName: string,
    template: CfnTemplate,
    params: Parameter[],
    stack: Stack | undefined,
  ): Resolver {
    const opts = {
      stackName,
      region: this.o.region,
      accountId: this.o.accountId,
      parameters: parameterValues(params),
    };
    return new Resolver(prepareTemplate(template, opts, this.exports(), stack?.resources ?? {}), opts);
  }

  private checkCapabilities(template: CfnTemplate, given: readonly string[]): void {
    const iam = Object.values(template.Resources).filter((r) => IAM.test(r.Type));
    if (iam.length === 0) return;
    const named = iam.some((r) => Object.keys(r.Properties ?? {}).some((k) => NAMED.has(k)));
    const needed = named ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM';
    if (given.includes('CAPABILITY_NAMED_IAM') || (!named && given.includes('CAPABILITY_IAM'))) return;
    throw new AwsError('InsufficientCapabilitiesException', `Requires capabilities : [${needed}]`);
  }

  private run(stack: Stack, op: () => Promise<void>): void {
    const p = op()
      .catch((err: unknown) => {
        this.o.log.error({ err, stack: stack.stackName }, 'stack operation failed unexpectedly');
        stack.status = /^CREATE|^ROLLBACK|REVIEW/.test(stack.status)
          ? 'ROLLBACK_FAILED'
          : /^DELETE/.test(stack.status)
            ? 'DELETE_FAILED'
            : 'UPDATE_ROLLBACK_FAILED';
        stack.statusReason = 'Internal failure';
      })
      .finally(() => {
        this.#running.delete(stack.stackId);
        this.o.store.save();
      });
    this.#running.set(stack.stackId, p);
  }

  context(): ExecutionContext {
    const custom: CustomResourceContext = {
      inbox: this.inbox,
      responseUrl: (token) => {
        const date = new Date(this.o.clock.now()).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
        const q = new URLSearchParams({
          'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
          'X-Amz-Credential': `local/${date.slice(0, 8)}/${this.o.region}/cloudformation/aws4_request`,
          'X-Amz-Date': date,
          'X-Amz-Expires': '7200',
          'X-Amz-SignedHeaders': 'host',
          'X-Amz-Signature': token,
        });
        const host = `cloudformation-custom-resource-response-${this.o.region.replace(/-/g, '')}.s3.amazonaws.com`;
        return `https://${host}${RESPONSE_PATH}${token}?${q}`;
      },
      responseTimeoutMs: this.o.customResourceResponseTimeoutMs ?? 10_000,
      prepare: () => this.apply(),
    };
    return {
      region: this.o.region,
      accountId: this.o.accountId,
      now: () => this.o.clock.now(),
      targets: this.o.targets,
      custom,
      exports: () => this.exports(),
      localize: this.o.localize,
      validate: (stack, template, params) => {
        this.topologyOf(stack, template, params);
      },
      apply: () => this.apply(),
      save: () => this.o.store.save(),
    };
  }

  private async apply(): Promise<void> {
    await this.restore();
    await this.o.targets.stacksChanged?.();
  }
}
