import type {
  CreateLogGroupRequest,
  DeleteLogGroupRequest,
  DeleteRetentionPolicyRequest,
  DescribeLogGroupsRequest,
  DescribeLogGroupsResponse,
  PutRetentionPolicyRequest,
} from '@aws-sdk/client-cloudwatch-logs';
import { AwsError } from '../../../protocols/index.js';
import {
  decodeToken,
  encodeToken,
  groupArn,
  groupNotFound,
  invalid,
  type LogsDeps,
  RETENTION_DAYS,
} from '../domain.js';
import { tagNewGroup } from './tags.js';

/**
 * The group and its tags in one transaction: after a kill, both exist or neither does.
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
 */
export const createLogGroup = (d: LogsDeps) => async (input: CreateLogGroupRequest) => {
  const name = input.logGroupName as string;
  d.store.records.transaction(() => {
    if (!d.store.createGroup(name, d.clock.now())) {
      throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists');
    }
    tagNewGroup(d, name, input.tags);
  });
  return {};
};

/** @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteLogGroup.html */
export const deleteLogGroup = (d: LogsDeps) => async (input: DeleteLogGroupRequest) => {
  d.writer.flush();
  if (!d.store.deleteGroup(input.logGroupName as string)) throw groupNotFound();
  return {};
};

/** @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogGroups.html */
export const describeLogGroups =
  (d: LogsDeps) =>
  async (input: DescribeLogGroupsRequest): Promise<DescribeLogGroupsResponse> => {
    if (input.logGroupNamePrefix !== undefined && input.logGroupNamePattern !== undefined) {
      throw invalid('LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters.');
    }
    const limit = input.limit ?? 50;
    const after =
      input.nextToken === undefined
        ? undefined
        : decodeToken(
            input.nextToken,
            (v): v is { n: string } => typeof (v as { n?: unknown })?.n === 'string',
          ).n;
    d.writer.flush();
    const rows = d.store.groups({
      ...(input.logGroupNamePrefix !== undefined ? { prefix: input.logGroupNamePrefix } : {}),
      ...(input.logGroupNamePattern !== undefined ? { pattern: input.logGroupNamePattern } : {}),
      ...(after !== undefined ? { afterName: after } : {}),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      logGroups: page.map((g) => ({
        logGroupName: g.name,
        creationTime: g.createdAt,
        ...(g.retentionDays !== undefined ? { retentionInDays: g.retentionDays } : {}),
        metricFilterCount: 0,
        arn: `${groupArn(d, g.name)}:*`,
        logGroupArn: groupArn(d, g.name),
        storedBytes: g.storedBytes,
        logGroupClass: 'STANDARD',
      })),
      ...(rows.length > limit && last ? { nextToken: encodeToken({ n: last.name }) } : {}),
    };
  };

/** @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html */
export const putRetentionPolicy = (d: LogsDeps) => async (input: PutRetentionPolicyRequest) => {
  const days = input.retentionInDays as number;
  if (!RETENTION_DAYS.has(days)) {
    throw invalid(
      `1 validation error detected: Value '${days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${[...RETENTION_DAYS].join(', ')}]`,
    );
  }
  d.writer.flush();
  if (!d.store.setRetention(input.logGroupName as string, days)) throw groupNotFound();
  d.store.applyRetention(d.clock.now());
  return {};
};

/** @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteRetentionPolicy.html */
export const deleteRetentionPolicy = (d: LogsDeps) => async (input: DeleteRetentionPolicyRequest) => {
  if (!d.store.setRetention(input.logGroupName as string, undefined)) throw groupNotFound();
  return {};
};
