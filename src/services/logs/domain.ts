import { AwsError } from '../../protocols/index.js';
import type { Clock } from '../../shared/clock.js';
import type { LogGroupRecord, LogsStore } from '../../store/logs.js';
import type { LogWriter } from './writer.js';

/** What every Logs operation may use. */
export interface LogsDeps {
  store: LogsStore;
  writer: LogWriter;
  clock: Clock;
  region: string;
  accountId: string;
}

/**
 * The retention periods CloudWatch Logs accepts, in days.
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
 */
export const RETENTION_DAYS = new Set([
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
]);

export const DAY_MS = 86_400_000;

export const groupArn = (d: LogsDeps, name: string) =>
  `arn:aws:logs:${d.region}:${d.accountId}:log-group:${name}`;

export const invalid = (message: string) => new AwsError('InvalidParameterException', message);

export const groupNotFound = () =>
  new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');

export const streamNotFound = () =>
  new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.');

/** The group named by `logGroupName` or `logGroupIdentifier` (a name or an ARN); it must exist. */
export function requireGroup(
  d: LogsDeps,
  input: { logGroupName?: string | undefined; logGroupIdentifier?: string | undefined },
): LogGroupRecord {
  if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined) {
    throw invalid('LogGroupName and LogGroupIdentifier are mutually exclusive parameters.');
  }
  const id = input.logGroupName ?? input.logGroupIdentifier;
  if (id === undefined) throw invalid('Either LogGroupName or LogGroupIdentifier must be specified.');
  const name = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(?::\*)?$/.exec(id)?.[1] ?? id;
  d.writer.flush();
  const group = d.store.group(name);
  if (group === undefined) throw groupNotFound();
  return group;
}

/** The earliest timestamp a read may return: events past the group's retention are gone. */
export function retentionStart(
  d: LogsDeps,
  group: LogGroupRecord,
  startTime: number | undefined,
): number | undefined {
  if (group.retentionDays === undefined) return startTime;
  const cutoff = d.clock.now() - group.retentionDays * DAY_MS;
  return startTime === undefined ? cutoff : Math.max(startTime, cutoff);
}

/** Opaque pagination tokens: base64url JSON, refused with the service's error when tampered with. */
export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeToken<T>(token: string, check: (v: unknown) => v is T): T {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (check(v)) return v;
  } catch {
    // fall through
  }
  throw invalid('The specified nextToken is invalid.');
}

/** `f/<56 digits>` and `b/<56 digits>`: the shape of GetLogEvents' tokens. */
export const positionToken = (direction: 'f' | 'b', id: number) =>
  `${direction}/${String(id).padStart(56, '0')}`;

export function parsePositionToken(token: string): { direction: 'f' | 'b'; id: number } {
  const m = /^([fb])\/(\d{1,56})$/.exec(token);
  if (!m) throw invalid('The specified nextToken is invalid.');
  return { direction: m[1] as 'f' | 'b', id: Number(m[2]) };
}

/** An event's id as FilterLogEvents returns it: unique, numeric, as long as CloudWatch's. */
export const eventId = (id: number) => String(id).padStart(56, '0');
