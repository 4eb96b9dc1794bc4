import type { OperationRegistry } from '../../../protocols/index.js';
import type { LogsDeps } from '../domain.js';
import { filterLogEvents, getLogEvents, putLogEvents } from './events.js';
import {
  createLogGroup,
  deleteLogGroup,
  deleteRetentionPolicy,
  describeLogGroups,
  putRetentionPolicy,
} from './groups.js';
import { createLogStream, deleteLogStream, describeLogStreams } from './streams.js';
import { tagOperations } from './tags.js';

/** Every CloudWatch Logs operation the local cloud serves, by wire name (the model in ./model.gen.ts must agree). */
export function logsOperations(d: LogsDeps): OperationRegistry {
  return {
    CreateLogGroup: createLogGroup(d),
    DeleteLogGroup: deleteLogGroup(d),
    DescribeLogGroups: describeLogGroups(d),
    PutRetentionPolicy: putRetentionPolicy(d),
    DeleteRetentionPolicy: deleteRetentionPolicy(d),
    CreateLogStream: createLogStream(d),
    DescribeLogStreams: describeLogStreams(d),
    DeleteLogStream: deleteLogStream(d),
    PutLogEvents: putLogEvents(d),
    GetLogEvents: getLogEvents(d),
    FilterLogEvents: filterLogEvents(d),
    // Tags and metric-filter reads (./tags.ts).
    ...tagOperations(d),
  };
}
