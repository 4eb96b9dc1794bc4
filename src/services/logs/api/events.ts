import { randomInt } from 'node:crypto';
import type {
  FilterLogEventsRequest,
  FilterLogEventsResponse,
  GetLogEventsRequest,
  GetLogEventsResponse,
  PutLogEventsRequest,
  PutLogEventsResponse,
} from '@aws-sdk/client-cloudwatch-logs';
import type { LogEventRecord } from '../../../store/logs.js';
import {
  DAY_MS,
  decodeToken,
  encodeToken,
  eventId,
  groupNotFound,
  invalid,
  type LogsDeps,
  parsePositionToken,
  positionToken,
  requireGroup,
  retentionStart,
  streamNotFound,
} from '../domain.js';
import { compileFilterPattern } from '../filter-pattern.js';

/** Events older than 14 days or more than 2 hours ahead are rejected, as CloudWatch Logs does. */
const MAX_AGE_MS = 14 * DAY_MS;
const MAX_AHEAD_MS = 2 * 3_600_000;
const SCAN_PAGE = 1000;

/**
 * Stores the batch at once (acknowledged only once durable); reports events too old or too new as rejected.
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html
 */
export const putLogEvents =
  (d: LogsDeps) =>
  async (input: PutLogEventsRequest): Promise<PutLogEventsResponse> => {
    const group = input.logGroupName as string;
    const stream = input.logStreamName as string;
    const events = input.logEvents ?? [];
    const g = d.store.group(group);
    if (g === undefined) throw groupNotFound();
    if (!d.store.streamExists(group, stream)) throw streamNotFound();
    for (let i = 1; i < events.length; i++) {
      if ((events[i]?.timestamp ?? 0) < (events[i - 1]?.timestamp ?? 0)) {
        throw invalid('Log events in a single PutLogEvents request must be in chronological order.');
      }
    }
    const first = events[0]?.timestamp ?? 0;
    if ((events.at(-1)?.timestamp ?? 0) - first > DAY_MS) {
      throw invalid(
        'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
      );
    }
    const now = d.clock.now();
    const oldest = Math.max(
      now - MAX_AGE_MS,
      g.retentionDays === undefined ? 0 : now - g.retentionDays * DAY_MS,
    );
    let tooOldEnd = -1;
    let tooNewStart = -1;
    const accepted = [];
    for (const [i, e] of events.entries()) {
      const ts = e.timestamp as number;
      if (ts < oldest) tooOldEnd = i;
      else if (ts > now + MAX_AHEAD_MS) {
        if (tooNewStart < 0) tooNewStart = i;
      } else accepted.push({ group, stream, timestamp: ts, message: e.message as string });
    }
    d.writer.flush();
    d.store.append(accepted, now, false);
    const rejected = {
      ...(tooOldEnd >= 0 ? { tooOldLogEventEndIndex: tooOldEnd } : {}),
      ...(tooNewStart >= 0 ? { tooNewLogEventStartIndex: tooNewStart } : {}),
    };
    return {
      nextSequenceToken: String(randomInt(1e9, 1e10 - 1)).padEnd(56, '0'),
      ...(Object.keys(rejected).length ? { rejectedLogEventsInfo: rejected } : {}),
    };
  };

/**
 * One stream's events, oldest first; from the tail unless `startFromHead`. The forward token of the last page is
 * returned unchanged when nothing is newer, which is how clients know they have caught up.
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html
 */
export const getLogEvents =
  (d: LogsDeps) =>
  async (input: GetLogEventsRequest): Promise<GetLogEventsResponse> => {
    const group = requireGroup(d, input);
    const stream = input.logStreamName as string;
    if (!d.store.streamExists(group.name, stream)) throw streamNotFound();
    const limit = input.limit ?? 10_000;
    const token = input.nextToken === undefined ? undefined : parsePositionToken(input.nextToken);
    const startTime = retentionStart(d, group, input.startTime);
    const base = {
      group: group.name,
      streams: [stream],
      ...(startTime !== undefined ? { startTime } : {}),
      ...(input.endTime !== undefined ? { endTime: input.endTime } : {}),
      limit,
    };
    let rows: LogEventRecord[];
    if (token?.direction === 'f' || (token === undefined && input.startFromHead)) {
      rows = d.store.events({ ...base, afterId: token?.id ?? 0 });
    } else {
      rows = d.store
        .events({ ...base, beforeId: token?.id ?? Number.MAX_SAFE_INTEGER, newestFirst: true })
        .reverse();
    }
    const firstId = rows[0]?.id;
    const lastId = rows.at(-1)?.id;
    const fallback = token?.id ?? 0;
    return {
      events: rows.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestedAt })),
      nextForwardToken: positionToken('f', lastId ?? fallback),
      nextBackwardToken: positionToken('b', firstId ?? fallback),
    };
  };

interface FilterPosition {
  t: number;
  i: number;
}

const isPosition = (v: unknown): v is FilterPosition =>
  typeof (v as FilterPosition)?.t === 'number' && typeof (v as FilterPosition)?.i === 'number';

/**
 * Events of a group across its streams, interleaved by time (always: `interleaved` is accepted and has no other
 * order to choose), filtered by pattern; `nextToken` continues after the last event scanned.
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
 */
export const filterLogEvents =
  (d: LogsDeps) =>
  async (input: FilterLogEventsRequest): Promise<FilterLogEventsResponse> => {
    const group = requireGroup(d, input);
    if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
      throw invalid('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
    }
    const matches = compileFilterPattern(input.filterPattern);
    const limit = input.limit ?? 10_000;
    let after = input.nextToken === undefined ? undefined : decodeToken(input.nextToken, isPosition);
    const startTime = retentionStart(d, group, input.startTime);
    const found: LogEventRecord[] = [];
    let more = false;
    for (;;) {
      const rows = d.store.events({
        group: group.name,
        ...(input.logStreamNames !== undefined ? { streams: input.logStreamNames } : {}),
        ...(input.logStreamNamePrefix !== undefined ? { streamPrefix: input.logStreamNamePrefix } : {}),
        ...(startTime !== undefined ? { startTime } : {}),
        ...(input.endTime !== undefined ? { endTime: input.endTime } : {}),
        ...(after !== undefined ? { after: { timestamp: after.t, id: after.i } } : {}),
        limit: SCAN_PAGE,
      });
      for (const r of rows) {
        after = { t: r.timestamp, i: r.id };
        if (!matches(r.message)) continue;
        if (found.length === limit) {
          more = true;
          break;
        }
        found.push(r);
      }
      if (more || rows.length < SCAN_PAGE) break;
    }
    const last = found.at(-1);
    return {
      events: found.map((e) => ({
        logStreamName: e.stream,
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestedAt,
        eventId: eventId(e.id),
      })),
      searchedLogStreams: [],
      ...(more && last ? { nextToken: encodeToken({ t: last.timestamp, i: last.id }) } : {}),
    };
  };
