/**
 * Change sets: CreateChangeSet (from TemplateURL or TemplateBody; CREATE or UPDATE), DescribeChangeSet with the real
 * diff, ExecuteChangeSet, DeleteChangeSet and ListChangeSets.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html
 */
import type {
  CreateChangeSetInput,
  DeleteChangeSetInput,
  DescribeChangeSetInput,
  ExecuteChangeSetInput,
  ListChangeSetsInput,
} from '@aws-sdk/client-cloudformation';
import { AwsError } from '../../../protocols/index.js';
import type { ChangeSet, ResourceChange, Stack } from '../engine/types.js';
import { type CloudFormationDeps, invalid, pageOf, requireStack, templateBodyOf } from './common.js';

const notFound = (name: string) =>
  new AwsError('ChangeSetNotFound', `ChangeSet [${name}] does not exist`, 404);

function findChangeSet(
  d: CloudFormationDeps,
  name: string | undefined,
  stackName: string | undefined,
): ChangeSet {
  if (name === undefined) throw invalid('ChangeSetName must be specified');
  const byArn = name.startsWith('arn:');
  if (!byArn && stackName === undefined)
    throw invalid('StackName must be specified if ChangeSetName is not specified as an ARN.');
  const stack: Stack | undefined = byArn ? undefined : d.engine.store.find(stackName as string);
  const cs = d.engine.store.changeSet(name, stack);
  if (!cs || (stack === undefined && !byArn)) throw notFound(name);
  return cs;
}

function change(c: ResourceChange, withValues: boolean) {
  return {
    Type: 'Resource',
    ResourceChange: {
      Action: c.action,
      LogicalResourceId: c.logicalId,
      ...(c.physicalId !== undefined ? { PhysicalResourceId: c.physicalId } : {}),
      ResourceType: c.type,
      ...(c.replacement !== undefined ? { Replacement: c.replacement } : {}),
      Scope: c.action === 'Modify' ? ['Properties'] : [],
      Details: c.details.map((x) => ({
        Target: { Attribute: 'Properties', Name: x.name, RequiresRecreation: x.requiresRecreation },
        Evaluation: 'Static',
        ChangeSource: 'DirectModification',
      })),
      ...(withValues && c.before !== undefined
        ? { BeforeContext: JSON.stringify({ Properties: c.before }) }
        : {}),
      ...(withValues && c.after !== undefined
        ? { AfterContext: JSON.stringify({ Properties: c.after }) }
        : {}),
    },
  };
}

export const changeSetOperations = (d: CloudFormationDeps) => ({
  CreateChangeSet: async (input: CreateChangeSetInput) => {
    const type = input.ChangeSetType ?? 'UPDATE';
    if (type === 'IMPORT') throw invalid('ChangeSetType IMPORT is not supported by the local cloud');
    const body =
      input.UsePreviousTemplate === true
        ? (requireStack(d, input.StackName).templateBody ?? '')
        : templateBodyOf(d, input);
    const cs = d.engine.createChangeSet({
      stackName: input.StackName as string,
      changeSetName: input.ChangeSetName as string,
      type,
      templateBody: body,
      parameters: input.Parameters ?? [],
      capabilities: input.Capabilities ?? [],
      tags: (input.Tags ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })),
      ...(input.Description !== undefined ? { description: input.Description } : {}),
    });
    return { Id: cs.id, StackId: cs.stackId };
  },
  DescribeChangeSet: async (input: DescribeChangeSetInput) => {
    const cs = findChangeSet(d, input.ChangeSetName, input.StackName);
    const { rows, next } = pageOf(cs.changes, input.NextToken);
    return {
      ChangeSetName: cs.name,
      ChangeSetId: cs.id,
      StackId: cs.stackId,
      StackName: cs.stackName,
      ...(cs.description !== undefined ? { Description: cs.description } : {}),
      Parameters: cs.parameters.map((p) => ({
        ParameterKey: p.key,
        ParameterValue: p.value,
        ...(p.resolved !== undefined ? { ResolvedValue: p.resolved } : {}),
      })),
      CreationTime: new Date(cs.createdAt),
      ExecutionStatus: cs.executionStatus,
      Status: cs.status,
      ...(cs.statusReason !== undefined ? { StatusReason: cs.statusReason } : {}),
      NotificationARNs: [],
      Capabilities: cs.capabilities,
      Tags: cs.tags,
      Changes: rows.map((c) => change(c, input.IncludePropertyValues === true)),
      IncludeNestedStacks: false,
      ...(next ? { NextToken: next } : {}),
    };
  },
  ExecuteChangeSet: async (input: ExecuteChangeSetInput) => {
    const cs = findChangeSet(d, input.ChangeSetName, input.StackName);
    const stack = d.engine.store.find(cs.stackId);
    if (stack && input.DisableRollback !== undefined) stack.disableRollback = input.DisableRollback;
    d.engine.executeChangeSet(cs);
    return {};
  },
  DeleteChangeSet: async (input: DeleteChangeSetInput) => {
    // By name, deleting a change set the stack does not have succeeds (the CDK CLI relies on it before each deploy).
    const named = input.ChangeSetName !== undefined && !input.ChangeSetName.startsWith('arn:');
    if (named && input.StackName !== undefined) {
      const stack = requireStack(d, input.StackName);
      if (!d.engine.store.changeSet(input.ChangeSetName as string, stack)) return {};
    }
    const cs = findChangeSet(d, input.ChangeSetName, input.StackName);
    if (cs.executionStatus === 'EXECUTE_IN_PROGRESS') {
      throw new AwsError(
        'InvalidChangeSetStatus',
        `ChangeSet [${cs.id}] cannot be deleted in its current status of [EXECUTE_IN_PROGRESS]`,
      );
    }
    d.engine.store.deleteChangeSet(cs.id);
    // A stack that only ever had this change set (still in review) goes with it, as in AWS.
    const stack = d.engine.store.find(cs.stackId);
    if (stack?.status === 'REVIEW_IN_PROGRESS' && d.engine.store.changeSetsOf(stack.stackId).length === 0) {
      d.engine.store.remove(stack.stackId);
    }
    return {};
  },
  ListChangeSets: async (input: ListChangeSetsInput) => {
    const stack = requireStack(d, input.StackName);
    const { rows, next } = pageOf(d.engine.store.changeSetsOf(stack.stackId), input.NextToken);
    return {
      Summaries: rows.map((cs) => ({
        StackId: cs.stackId,
        StackName: cs.stackName,
        ChangeSetId: cs.id,
        ChangeSetName: cs.name,
        ExecutionStatus: cs.executionStatus,
        Status: cs.status,
        ...(cs.statusReason !== undefined ? { StatusReason: cs.statusReason } : {}),
        CreationTime: new Date(cs.createdAt),
        IncludeNestedStacks: false,
      })),
      ...(next ? { NextToken: next } : {}),
    };
  },
});
