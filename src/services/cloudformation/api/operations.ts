import type {
  DescribeStackResourcesInput,
  DescribeStackResourcesOutput,
  DescribeStacksInput,
  DescribeStacksOutput,
  GetTemplateInput,
  GetTemplateOutput,
  ListStackResourcesInput,
  ListStackResourcesOutput,
} from '@aws-sdk/client-cloudformation';
import { AwsError, type OperationRegistry } from '../../../protocols/index.js';
import type { DeployedStack } from './deployed-stack.js';

/** The read side of CloudFormation over the one stack `npm start` deployed. */
export interface CloudFormationDeps {
  /** The deployed stack now (it changes when `--watch` redeploys). */
  stack(): DeployedStack;
}

const PAGE = 100;

/** CloudFormation's answer for a stack it does not have, which the CDK CLI matches exactly. */
const noStack = (name: string) => new AwsError('ValidationError', `Stack with id ${name} does not exist`);

/** A stack by name or stack id (ARN). */
function requireStack(d: CloudFormationDeps, nameOrId: string | undefined): DeployedStack {
  const s = d.stack();
  if (nameOrId === undefined || nameOrId === s.stackName || nameOrId === s.stackId) return s;
  throw noStack(nameOrId);
}

const drift = { StackResourceDriftStatus: 'NOT_CHECKED' as const };

function page(token: string | undefined): number {
  if (token === undefined) return 0;
  const n = Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(n) || n < 0) throw new AwsError('ValidationError', 'Invalid NextToken');
  return n;
}

/** @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html */
const describeStacks =
  (d: CloudFormationDeps) =>
  async (input: DescribeStacksInput): Promise<DescribeStacksOutput> => {
    const s = requireStack(d, input.StackName);
    return {
      Stacks: [
        {
          StackId: s.stackId,
          StackName: s.stackName,
          ...(s.description !== undefined ? { Description: s.description } : {}),
          Parameters: s.parameters.map((p) => ({ ParameterKey: p.key, ParameterValue: p.value })),
          CreationTime: s.createdAt,
          StackStatus: 'CREATE_COMPLETE',
          DisableRollback: false,
          NotificationARNs: [],
          Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
          Outputs: s.outputs.map((o) => ({
            OutputKey: o.key,
            OutputValue: o.value,
            ...(o.description !== undefined ? { Description: o.description } : {}),
            ...(o.exportName !== undefined ? { ExportName: o.exportName } : {}),
          })),
          Tags: [],
          EnableTerminationProtection: false,
          DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
        },
      ],
    };
  };

/** @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListStackResources.html */
const listStackResources =
  (d: CloudFormationDeps) =>
  async (input: ListStackResourcesInput): Promise<ListStackResourcesOutput> => {
    const s = requireStack(d, input.StackName);
    const start = page(input.NextToken);
    return {
      StackResourceSummaries: s.resources.slice(start, start + PAGE).map((r) => ({
        LogicalResourceId: r.logicalId,
        PhysicalResourceId: r.physicalId,
        ResourceType: r.type,
        LastUpdatedTimestamp: s.createdAt,
        ResourceStatus: 'CREATE_COMPLETE',
        DriftInformation: drift,
      })),
      ...(start + PAGE < s.resources.length
        ? { NextToken: Buffer.from(String(start + PAGE)).toString('base64url') }
        : {}),
    };
  };

/** @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStackResources.html */
const describeStackResources =
  (d: CloudFormationDeps) =>
  async (input: DescribeStackResourcesInput): Promise<DescribeStackResourcesOutput> => {
    if (input.StackName === undefined && input.PhysicalResourceId === undefined) {
      throw new AwsError('ValidationError', 'Either StackName or PhysicalResourceId must be specified.');
    }
    const s = requireStack(d, input.StackName);
    if (
      input.PhysicalResourceId !== undefined &&
      !s.resources.some((r) => r.physicalId === input.PhysicalResourceId)
    ) {
      throw noStack(input.PhysicalResourceId);
    }
    const rows = s.resources.filter(
      (r) =>
        (input.LogicalResourceId === undefined || r.logicalId === input.LogicalResourceId) &&
        (input.StackName !== undefined ||
          input.LogicalResourceId !== undefined ||
          r.physicalId === input.PhysicalResourceId),
    );
    return {
      StackResources: rows.map((r) => ({
        StackName: s.stackName,
        StackId: s.stackId,
        LogicalResourceId: r.logicalId,
        PhysicalResourceId: r.physicalId,
        ResourceType: r.type,
        Timestamp: s.createdAt,
        ResourceStatus: 'CREATE_COMPLETE',
        DriftInformation: drift,
      })),
    };
  };

/** @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_GetTemplate.html */
const getTemplate =
  (d: CloudFormationDeps) =>
  async (input: GetTemplateInput): Promise<GetTemplateOutput> => {
    if (input.ChangeSetName !== undefined) {
      throw new AwsError('ChangeSetNotFound', `ChangeSet [${input.ChangeSetName}] does not exist`, 404);
    }
    const s = requireStack(d, input.StackName);
    return { TemplateBody: s.templateBody, StagesAvailable: ['Original', 'Processed'] };
  };

/** Every CloudFormation operation the local cloud serves, by wire name (the model in ./model.gen.ts must agree). */
export function cloudFormationOperations(d: CloudFormationDeps): OperationRegistry {
  return {
    DescribeStacks: describeStacks(d),
    ListStackResources: listStackResources(d),
    DescribeStackResources: describeStackResources(d),
    GetTemplate: getTemplate(d),
  };
}
