/**
 * CloudFormation's stack operations over the engine: reads (DescribeStacks, DescribeStackEvents, ListStacks,
 * ListStackResources, DescribeStackResource(s), GetTemplate, ListExports) and CreateStack, UpdateStack, DeleteStack.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Operations.html
 */
import type {
  CreateStackInput,
  DeleteStackInput,
  DescribeStackEventsInput,
  DescribeStackResourceInput,
  DescribeStackResourcesInput,
  DescribeStacksInput,
  GetTemplateInput,
  ListExportsInput,
  ListStackResourcesInput,
  ListStacksInput,
  UpdateStackInput,
} from '@aws-sdk/client-cloudformation';
import { AwsError } from '../../../protocols/index.js';
import type { ResourceState, Stack } from '../engine/types.js';
import { type CloudFormationDeps, invalid, noStack, pageOf, requireStack, templateBodyOf } from './common.js';

const drift = { StackResourceDriftStatus: 'NOT_CHECKED' as const };

export function describeStack(d: CloudFormationDeps, s: Stack) {
  return {
    StackId: s.stackId,
    StackName: s.stackName,
    ...(s.description !== undefined ? { Description: s.description } : {}),
    Parameters: s.parameters.map((p) => ({
      ParameterKey: p.key,
      ParameterValue: p.value,
      ...(p.resolved !== undefined ? { ResolvedValue: p.resolved } : {}),
    })),
    CreationTime: new Date(s.createdAt),
    ...(s.updatedAt !== undefined ? { LastUpdatedTime: new Date(s.updatedAt) } : {}),
    ...(s.deletedAt !== undefined ? { DeletionTime: new Date(s.deletedAt) } : {}),
    StackStatus: s.status,
    ...(s.statusReason !== undefined ? { StackStatusReason: s.statusReason } : {}),
    DisableRollback: s.disableRollback,
    NotificationARNs: [],
    Capabilities: s.capabilities,
    Outputs: s.outputs.map((o) => ({
      OutputKey: o.key,
      OutputValue: d.localize(o.value),
      ...(o.description !== undefined ? { Description: o.description } : {}),
      ...(o.exportName !== undefined ? { ExportName: o.exportName } : {}),
    })),
    Tags: s.tags,
    EnableTerminationProtection: false,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

const summary = (s: Stack, r: ResourceState) => ({
  LogicalResourceId: r.logicalId,
  PhysicalResourceId: r.physicalId,
  ResourceType: r.type,
  LastUpdatedTimestamp: new Date(r.updatedAt),
  ResourceStatus: r.status,
  ...(r.statusReason !== undefined ? { ResourceStatusReason: r.statusReason } : {}),
  DriftInformation: drift,
  ...(s ? {} : {}),
});

const resource = (s: Stack, r: ResourceState) => ({
  StackName: s.stackName,
  StackId: s.stackId,
  LogicalResourceId: r.logicalId,
  PhysicalResourceId: r.physicalId,
  ResourceType: r.type,
  Timestamp: new Date(r.updatedAt),
  ResourceStatus: r.status,
  DriftInformation: drift,
});

/** Starts a stack operation from a template, as a change set executed at once (CreateStack/UpdateStack). */
function startStack(
  d: CloudFormationDeps,
  input: CreateStackInput | UpdateStackInput,
  type: 'CREATE' | 'UPDATE',
) {
  const name = input.StackName as string;
  const body =
    type === 'UPDATE' && (input as UpdateStackInput).UsePreviousTemplate
      ? (requireStack(d, name).templateBody ?? '')
      : templateBodyOf(d, input);
  if (type === 'CREATE' && d.engine.store.find(name)) {
    throw new AwsError('AlreadyExistsException', `Stack [${name}] already exists`);
  }
  const cs = d.engine.createChangeSet({
    stackName: name,
    changeSetName: `${type === 'CREATE' ? 'Create' : 'Update'}Stack-${Date.now()}`,
    type,
    templateBody: body,
    parameters: input.Parameters ?? [],
    capabilities: input.Capabilities ?? [],
    tags: (input.Tags ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })),
  });
  if (cs.status === 'FAILED') {
    d.engine.store.deleteChangeSet(cs.id);
    const stack = d.engine.store.find(cs.stackId);
    if (type === 'CREATE' && stack) d.engine.store.remove(stack.stackId);
    throw invalid(
      cs.statusReason?.startsWith("The submitted information didn't contain changes")
        ? 'No updates are to be performed.'
        : (cs.statusReason ?? 'Template error'),
    );
  }
  const stack = d.engine.store.find(cs.stackId) as Stack;
  stack.disableRollback =
    (input as CreateStackInput).DisableRollback === true ||
    (input as CreateStackInput).OnFailure === 'DO_NOTHING';
  d.engine.executeChangeSet(cs);
  return { StackId: cs.stackId };
}

export const stackOperations = (d: CloudFormationDeps) => ({
  DescribeStacks: async (input: DescribeStacksInput) => {
    if (input.StackName === undefined) {
      const { rows, next } = pageOf(d.engine.store.live(), input.NextToken);
      return { Stacks: rows.map((s) => describeStack(d, s)), ...(next ? { NextToken: next } : {}) };
    }
    return { Stacks: [describeStack(d, requireStack(d, input.StackName))] };
  },
  ListStacks: async (input: ListStacksInput) => {
    const filter = input.StackStatusFilter ?? [];
    const all = d.engine.store.all().filter((s) => filter.length === 0 || filter.includes(s.status));
    const { rows, next } = pageOf(all, input.NextToken);
    return {
      StackSummaries: rows.map((s) => ({
        StackId: s.stackId,
        StackName: s.stackName,
        CreationTime: new Date(s.createdAt),
        ...(s.updatedAt !== undefined ? { LastUpdatedTime: new Date(s.updatedAt) } : {}),
        ...(s.deletedAt !== undefined ? { DeletionTime: new Date(s.deletedAt) } : {}),
        StackStatus: s.status,
        ...(s.statusReason !== undefined ? { StackStatusReason: s.statusReason } : {}),
        DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
      })),
      ...(next ? { NextToken: next } : {}),
    };
  },
  DescribeStackEvents: async (input: DescribeStackEventsInput) => {
    const s = requireStack(d, input.StackName);
    const { rows, next } = pageOf([...s.events].reverse(), input.NextToken);
    return {
      StackEvents: rows.map((e) => ({
        StackId: e.stackId,
        EventId: e.eventId,
        StackName: e.stackName,
        LogicalResourceId: e.logicalId,
        PhysicalResourceId: e.physicalId,
        ResourceType: e.type,
        Timestamp: new Date(e.timestamp),
        ResourceStatus: e.status,
        ...(e.reason !== undefined ? { ResourceStatusReason: e.reason } : {}),
        ...(e.properties !== undefined ? { ResourceProperties: e.properties } : {}),
      })),
      ...(next ? { NextToken: next } : {}),
    };
  },
  ListStackResources: async (input: ListStackResourcesInput) => {
    const s = requireStack(d, input.StackName);
    const { rows, next } = pageOf(Object.values(s.resources), input.NextToken);
    return { StackResourceSummaries: rows.map((r) => summary(s, r)), ...(next ? { NextToken: next } : {}) };
  },
  DescribeStackResources: async (input: DescribeStackResourcesInput) => {
    if (input.StackName === undefined && input.PhysicalResourceId === undefined) {
      throw invalid('Either StackName or PhysicalResourceId must be specified.');
    }
    const s =
      input.StackName !== undefined
        ? requireStack(d, input.StackName)
        : d.engine.store
            .live()
            .find((x) => Object.values(x.resources).some((r) => r.physicalId === input.PhysicalResourceId));
    if (!s) throw noStack(input.PhysicalResourceId as string);
    const rows = Object.values(s.resources).filter(
      (r) =>
        (input.LogicalResourceId === undefined || r.logicalId === input.LogicalResourceId) &&
        (input.PhysicalResourceId === undefined ||
          input.StackName !== undefined ||
          r.physicalId === input.PhysicalResourceId),
    );
    return { StackResources: rows.map((r) => resource(s, r)) };
  },
  DescribeStackResource: async (input: DescribeStackResourceInput) => {
    const s = requireStack(d, input.StackName);
    const r = s.resources[input.LogicalResourceId as string];
    if (!r) throw invalid(`Resource ${input.LogicalResourceId} does not exist for stack ${input.StackName}`);
    const { Timestamp, ...rest } = resource(s, r);
    return { StackResourceDetail: { ...rest, LastUpdatedTimestamp: Timestamp, Metadata: '{}' } };
  },
  GetTemplate: async (input: GetTemplateInput) => {
    if (input.ChangeSetName !== undefined) {
      const s = input.StackName === undefined ? undefined : requireStack(d, input.StackName);
      const cs = d.engine.store.changeSet(input.ChangeSetName, s);
      if (!cs)
        throw new AwsError('ChangeSetNotFound', `ChangeSet [${input.ChangeSetName}] does not exist`, 404);
      return { TemplateBody: cs.templateBody, StagesAvailable: ['Original', 'Processed'] };
    }
    const s = requireStack(d, input.StackName);
    return { TemplateBody: s.templateBody ?? '{}', StagesAvailable: ['Original', 'Processed'] };
  },
  ListExports: async (input: ListExportsInput) => {
    const all = d.engine.store
      .live()
      .flatMap((s) =>
        s.outputs
          .filter((o) => o.exportName !== undefined)
          .map((o) => ({ ExportingStackId: s.stackId, Name: o.exportName, Value: o.value })),
      );
    const { rows, next } = pageOf(all, input.NextToken);
    return { Exports: rows, ...(next ? { NextToken: next } : {}) };
  },
  CreateStack: async (input: CreateStackInput) => startStack(d, input, 'CREATE'),
  UpdateStack: async (input: UpdateStackInput) => {
    requireStack(d, input.StackName);
    return startStack(d, input, 'UPDATE');
  },
  DeleteStack: async (input: DeleteStackInput) => {
    const s = d.engine.store.find(input.StackName as string);
    if (!s || s.status === 'DELETE_COMPLETE') return {};
    if (s.status === 'REVIEW_IN_PROGRESS') {
      d.engine.store.remove(s.stackId);
      return {};
    }
    d.engine.deleteStack(s);
    return {};
  },
});
