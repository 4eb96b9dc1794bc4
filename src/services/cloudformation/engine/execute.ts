/**
 * Runs a stack operation resource by resource, in dependency order, through the providers, writing each step as a
 * stack event: CREATE/UPDATE with ROLLBACK on failure, and DELETE. Status names and reasons are CloudFormation's.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-describing-stacks.html
 */
import { randomUUID } from 'node:crypto';
import { TemplateError } from '../errors.js';
import { Resolver } from '../intrinsics.js';
import type { CfnTemplate } from '../template.js';
import type { CustomResourceContext } from './custom.js';
import { creationOrder } from './graph.js';
import { type ProviderRequest, providerFor, ResourceFailure } from './providers.js';
import { type Exports, type Parameter, parameterValues, prepareTemplate, resolveOutputs } from './resolve.js';
import type { EngineTargets } from './targets.js';
import type { ChangeSet, ResourceState, Stack, StackStatus } from './types.js';

export interface ExecutionContext {
  region: string;
  accountId: string;
  now(): number;
  targets: EngineTargets;
  custom: CustomResourceContext;
  exports(): Exports;
  localize(value: string): string;
  /** Validates the stack's topology as it is now (a TemplateError names the resource at fault). */
  validate(stack: Stack, template: CfnTemplate, params: Parameter[]): void;
  /** Restores what the live stacks lack and tells the CLI they changed. */
  apply(): Promise<void>;
  save(): void;
}

const TOPOLOGY_TYPES = /^AWS::(Cognito|ApiGatewayV2|Lambda)::/;

export function stackEvent(
  ctx: ExecutionContext,
  stack: Stack,
  e: {
    logicalId: string;
    physicalId: string;
    type: string;
    status: string;
    reason?: string;
    properties?: unknown;
  },
): void {
  stack.events.push({
    eventId:
      e.logicalId === stack.stackName
        ? randomUUID()
        : `${e.logicalId}-${e.status}-${new Date(ctx.now()).toISOString()}`,
    stackId: stack.stackId,
    stackName: stack.stackName,
    logicalId: e.logicalId,
    physicalId: e.physicalId,
    type: e.type,
    status: e.status,
    ...(e.reason !== undefined ? { reason: e.reason } : {}),
    ...(e.properties !== undefined ? { properties: JSON.stringify(e.properties) } : {}),
    timestamp: ctx.now(),
  });
  ctx.save();
}

export function setStatus(ctx: ExecutionContext, stack: Stack, status: StackStatus, reason?: string): void {
  stack.status = status;
  if (reason === undefined) delete stack.statusReason;
  else stack.statusReason = reason;
  stackEvent(ctx, stack, {
    logicalId: stack.stackName,
    physicalId: stack.stackId,
    type: 'AWS::CloudFormation::Stack',
    status,
    ...(reason !== undefined ? { reason } : {}),
  });
}

const message = (e: unknown) =>
  e instanceof ResourceFailure || e instanceof TemplateError || e instanceof Error ? e.message : String(e);

class Runner {
  constructor(
    readonly ctx: ExecutionContext,
    readonly stack: Stack,
    readonly template: CfnTemplate,
    readonly params: Parameter[],
    readonly assetBaseDir: string | undefined,
  ) {}

  /** The template with imports and custom resource attributes filled in, and a resolver over it. */
  prepared(): { template: CfnTemplate; resolver: Resolver } {
    const opts = {
      stackName: this.stack.stackName,
      region: this.ctx.region,
      accountId: this.ctx.accountId,
      parameters: parameterValues(this.params),
    };
    const template = prepareTemplate(this.template, opts, this.ctx.exports(), this.stack.resources);
    return { template, resolver: new Resolver(template, opts) };
  }

  resolver(): Resolver {
    return this.prepared().resolver;
  }

  request(id: string, properties: Record<string, unknown>, resolver: Resolver): ProviderRequest {
    const type = this.stack.resources[id]?.type ?? (this.template.Resources[id]?.Type as string);
    const current = this.stack.resources[id];
    return {
      stack: this.stack,
      logicalId: id,
      type,
      properties,
      ...(current ? { current } : {}),
      resolver,
      targets: this.ctx.targets,
      custom: this.ctx.custom,
      assetBaseDir: this.assetBaseDir,
    };
  }

  event(id: string, type: string, status: string, reason?: string, properties?: unknown): void {
    const physicalId = this.stack.resources[id]?.physicalId ?? '';
    stackEvent(this.ctx, this.stack, {
      logicalId: id,
      physicalId,
      type,
      status,
      ...(reason !== undefined ? { reason } : {}),
      ...(properties !== undefined ? { properties } : {}),
    });
  }

  record(
    id: string,
    type: string,
    physicalId: string,
    properties: Record<string, unknown>,
    attributes: Record<string, unknown>,
    status: ResourceState['status'],
  ): void {
    this.stack.resources[id] = {
      logicalId: id,
      type,
      physicalId,
      properties,
      attributes,
      status,
      updatedAt: this.ctx.now(),
    };
  }

  /** Creates (or updates, or replaces) one resource; throws a ResourceFailure with the reason on failure. */
  async put(id: string, action: 'Add' | 'Modify', replace: boolean): Promise<void> {
    const type = this.template.Resources[id]?.Type as string;
    const provider = providerFor(type);
    if (!provider) throw new ResourceFailure(`Resource type ${type} is not supported by the local cloud`);
    const resolver = this.resolver();
    const properties = resolver.properties(id);
    const verb = action === 'Add' ? 'CREATE' : 'UPDATE';
    this.event(
      id,
      type,
      `${verb}_IN_PROGRESS`,
      replace
        ? 'Requested update requires the creation of a new physical resource; hence creating one.'
        : undefined,
      properties,
    );
    try {
      let result: { physicalId: string; attributes?: Record<string, unknown> };
      if (action === 'Add') {
        result = await provider.create(this.request(id, properties, resolver));
      } else if (replace) {
        const old = this.stack.resources[id] as ResourceState;
        await (providerFor(old.type) ?? provider).delete(this.request(id, old.properties, resolver));
        delete this.stack.resources[id];
        result = await provider.create(this.request(id, properties, resolver));
      } else {
        result = await provider.update(this.request(id, properties, resolver));
      }
      this.record(id, type, result.physicalId, properties, result.attributes ?? {}, `${verb}_COMPLETE`);
      if (TOPOLOGY_TYPES.test(type)) this.ctx.validate(this.stack, this.template, this.params);
    } catch (e) {
      const reason = message(e);
      this.event(id, type, `${verb}_FAILED`, reason);
      throw new ResourceFailure(reason);
    }
    this.event(id, type, `${verb}_COMPLETE`);
  }

  /** Deletes one resource (DeletionPolicy Retain is honoured); throws on failure. */
  async remove(id: string): Promise<void> {
    const state = this.stack.resources[id];
    if (!state) return;
    const policy = (this.template.Resources[id] as { DeletionPolicy?: string } | undefined)?.DeletionPolicy;
    if (policy === 'Retain' || policy === 'RetainExceptOnCreate') {
      delete this.stack.resources[id];
      this.event(id, state.type, 'DELETE_SKIPPED');
      return;
    }
    this.event(id, state.type, 'DELETE_IN_PROGRESS');
    try {
      const provider = providerFor(state.type);
      if (provider) await provider.delete(this.request(id, state.properties, this.resolver()));
    } catch (e) {
      const reason = message(e);
      state.status = 'DELETE_FAILED';
      state.statusReason = reason;
      this.event(id, state.type, 'DELETE_FAILED', reason);
      throw new ResourceFailure(reason);
    }
    this.event(id, state.type, 'DELETE_COMPLETE');
    delete this.stack.resources[id];
  }
}

/** Executes a change set on its stack. Resolves when the stack has reached a terminal status. */
export async function executeChangeSet(
  ctx: ExecutionContext,
  stack: Stack,
  cs: ChangeSet,
  previousTemplate: CfnTemplate | undefined,
  assetBaseDir: string | undefined,
): Promise<void> {
  const create = cs.type === 'CREATE';
  setStatus(ctx, stack, create ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS', 'User Initiated');
  const run = new Runner(ctx, stack, cs.template, cs.parameters, assetBaseDir);
  const before = structuredClone(stack.resources);
  const byId = new Map(cs.changes.map((c) => [c.logicalId, c]));
  const touched: string[] = [];
  try {
    for (const id of creationOrder(cs.template)) {
      const c = byId.get(id);
      if (!c || c.action === 'Remove') continue;
      touched.push(id);
      await run.put(id, c.action, c.replacement === 'True');
    }
  } catch (e) {
    const failed = touched.at(-1) as string;
    const why = `The following resource(s) failed to ${create ? 'create' : 'update'}: [${failed}]. `;
    if (create) {
      if (stack.disableRollback) return setStatus(ctx, stack, 'CREATE_FAILED', why);
      setStatus(ctx, stack, 'ROLLBACK_IN_PROGRESS', `${why}Rollback requested by user.`);
      const ok = await removeAll(run, [...touched].reverse());
      await ctx.apply().catch(() => {});
      return setStatus(ctx, stack, ok ? 'ROLLBACK_COMPLETE' : 'ROLLBACK_FAILED');
    }
    void e;
    setStatus(ctx, stack, 'UPDATE_ROLLBACK_IN_PROGRESS', why);
    const back = new Runner(ctx, stack, previousTemplate ?? cs.template, stack.parameters, assetBaseDir);
    let ok = true;
    for (const id of [...touched].reverse()) {
      const old = before[id];
      try {
        if (!old) await back.remove(id);
        else if (JSON.stringify(stack.resources[id]?.properties) !== JSON.stringify(old.properties)) {
          back.event(id, old.type, 'UPDATE_IN_PROGRESS');
          const provider = providerFor(old.type);
          if (provider) await provider.update(back.request(id, old.properties, back.resolver()));
          stack.resources[id] = old;
          back.event(id, old.type, 'UPDATE_COMPLETE');
        } else stack.resources[id] = old;
      } catch {
        ok = false;
      }
    }
    await ctx.apply().catch(() => {});
    return setStatus(ctx, stack, ok ? 'UPDATE_ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_FAILED');
  }
  // Old resources are removed last, once everything new is in place.
  const removals = cs.changes.filter((c) => c.action === 'Remove').map((c) => c.logicalId);
  if (!create && removals.length) setStatus(ctx, stack, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
  const order = previousTemplate ? creationOrder(previousTemplate) : [];
  const cleanup = new Runner(ctx, stack, previousTemplate ?? cs.template, cs.parameters, assetBaseDir);
  await removeAll(
    cleanup,
    [...order.filter((id) => removals.includes(id))]
      .reverse()
      .concat(removals.filter((id) => !order.includes(id))),
  );
  stack.templateBody = cs.templateBody;
  stack.parameters = cs.parameters;
  stack.capabilities = cs.capabilities;
  stack.tags = cs.tags;
  if (cs.description !== undefined) stack.description = cs.description;
  const final = run.prepared();
  stack.outputs = resolveOutputs(final.template, final.resolver, (v) => v);
  if (!create) stack.updatedAt = ctx.now();
  await ctx.apply();
  setStatus(ctx, stack, create ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE');
}

async function removeAll(run: Runner, ids: readonly string[]): Promise<boolean> {
  let ok = true;
  for (const id of ids) {
    try {
      await run.remove(id);
    } catch {
      ok = false;
    }
  }
  return ok;
}

/** Deletes every resource of the stack, dependents first. */
export async function deleteStackResources(
  ctx: ExecutionContext,
  stack: Stack,
  template: CfnTemplate,
): Promise<void> {
  setStatus(ctx, stack, 'DELETE_IN_PROGRESS', 'User Initiated');
  const run = new Runner(ctx, stack, template, stack.parameters, undefined);
  let order: string[];
  try {
    order = creationOrder(template);
  } catch {
    order = [];
  }
  const ids = [
    ...order.filter((id) => stack.resources[id]).reverse(),
    ...Object.keys(stack.resources).filter((id) => !order.includes(id)),
  ];
  const failed: string[] = [];
  for (const id of ids) {
    try {
      await run.remove(id);
    } catch {
      failed.push(id);
    }
  }
  await ctx.apply().catch(() => {});
  if (failed.length)
    return setStatus(
      ctx,
      stack,
      'DELETE_FAILED',
      `The following resource(s) failed to delete: [${failed.join(', ')}]. `,
    );
  stack.deletedAt = ctx.now();
  setStatus(ctx, stack, 'DELETE_COMPLETE');
}
