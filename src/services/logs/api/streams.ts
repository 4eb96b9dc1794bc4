import type {
  CreateLogStreamRequest,
  DeleteLogStreamRequest,
  DescribeLogStreamsRequest,
  DescribeLogStreamsResponse,
} from '@aws-sdk/client-cloudwatch-logs';
import { AwsError } from '../../../protocols/index.js';
import {
  decodeToken,
  encodeToken,
  groupArn,
  groupNotFound,
  invalid,
  type LogsDeps,
  requireGroup,
  streamNotFound,
} from '../domain.js';

/** @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogStream.html */
export const createLogStream = (d: LogsDeps) => async (input: CreateLogStreamRequest) => {
  const group = input.logGroupName as string;
  if (d.store.group(group) === undefined) throw groupNotFound();
  if (!d.store.createStream(group, input.logStreamName as string, d.clock.now())) {
    throw new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
  }
  return {};
};

/** @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteLogStream.html */
export const deleteLogStream = (d: LogsDeps) => async (input: DeleteLogStreamRequest) => {
  const group = input.logGroupName as string;
  d.writer.flush();
  if (d.store.group(group) === undefined) throw groupNotFound();
  if (!d.store.deleteStream(group, input.logStreamName as string)) throw streamNotFound();
  return {};
};

/** @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogStreams.html */
export const describeLogStreams =
  (d: LogsDeps) =>
  async (input: DescribeLogStreamsRequest): Promise<DescribeLogStreamsResponse> => {
    const group = requireGroup(d, input);
    const orderBy = input.orderBy ?? 'LogStreamName';
    if (orderBy === 'LastEventTime' && input.logStreamNamePrefix !== undefined) {
      throw invalid('Cannot order by LastEventTime with a logStreamNamePrefix.');
    }
    const limit = input.limit ?? 50;
    const offset =
      input.nextToken === undefined
        ? 0
        : decodeToken(input.nextToken, (v): v is { o: number } => Number.isInteger((v as { o?: unknown })?.o))
            .o;
    const rows = d.store.streams({
      group: group.name,
      ...(input.logStreamNamePrefix !== undefined ? { prefix: input.logStreamNamePrefix } : {}),
      orderBy,
      descending: input.descending ?? false,
      offset,
      limit: limit + 1,
    });
    return {
      logStreams: rows.slice(0, limit).map((s) => ({
        logStreamName: s.name,
        creationTime: s.createdAt,
        ...(s.firstEventAt !== undefined ? { firstEventTimestamp: s.firstEventAt } : {}),
        ...(s.lastEventAt !== undefined ? { lastEventTimestamp: s.lastEventAt } : {}),
        ...(s.lastIngestionAt !== undefined ? { lastIngestionTime: s.lastIngestionAt } : {}),
        arn: `${groupArn(d, group.name)}:log-stream:${s.name}`,
        storedBytes: s.storedBytes,
      })),
      ...(rows.length > limit ? { nextToken: encodeToken({ o: offset + limit }) } : {}),
    };
  };
