/**
 * CloudWatch Logs (awsJson 1.1, `X-Amz-Target: Logs_20140328.*`): log groups, streams and events in SQLite
 * (src/store/logs.ts). Functions and stages write through the batched LogWriter; clients read and write through
 * the operations in ./api.
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/Welcome.html
 */
import { type AwsService, jsonService } from '../../protocols/index.js';
import type { Clock } from '../../shared/clock.js';
import type { LogsStore } from '../../store/logs.js';
import { logsOperations } from './api/index.js';
import { model as logsModel } from './api/model.gen.js';
import { DAY_MS } from './domain.js';
import { LogWriter } from './writer.js';

export { compileFilterPattern } from './filter-pattern.js';
export { LogWriter } from './writer.js';

export interface LogsServiceOptions {
  store: LogsStore;
  clock: Clock;
  region: string;
  accountId: string;
  /** How often events past their group's retention are deleted. Default one hour. */
  retentionSweepMs?: number;
}

export interface LogsService {
  service: AwsService;
  writer: LogWriter;
  /** Creates a group (from the stack's AWS::Logs::LogGroup) if missing, with its retention. */
  ensureGroup(name: string, retentionInDays: number | undefined): void;
  /** Deletes the events past their group's retention now. */
  applyRetention(): number;
  close(): void;
}

export function createLogsService(o: LogsServiceOptions): LogsService {
  const writer = new LogWriter({ store: o.store, clock: o.clock });
  const deps = { store: o.store, writer, clock: o.clock, region: o.region, accountId: o.accountId };
  const service = jsonService({
    model: logsModel,
    operations: logsOperations(deps),
    codes: { validation: 'InvalidParameterException', internal: 'ServiceUnavailableException' },
  });
  const applyRetention = () => {
    writer.flush();
    return o.store.applyRetention(o.clock.now());
  };
  const sweeper = setInterval(applyRetention, o.retentionSweepMs ?? DAY_MS / 24);
  sweeper.unref();
  return {
    service,
    writer,
    ensureGroup(name, retentionInDays) {
      o.store.createGroup(name, o.clock.now());
      if (retentionInDays !== undefined) o.store.setRetention(name, retentionInDays);
    },
    applyRetention,
    close() {
      clearInterval(sweeper);
      writer.close();
    },
  };
}
