import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogsService, type LogsService } from '../../src/services/logs/index.js';
import { FakeClock } from '../../src/shared/clock.js';
import { LogsStore } from '../../src/store/logs.js';
import { aws, awsJson, sdkConfig, startEdge } from './support.js';

const T0 = Date.UTC(2026, 5, 1, 12);
let dir: string;
let clock: FakeClock;
let store: LogsStore;
let logs: LogsService;
let endpoint: string;
let closeEdge: () => Promise<void>;
let client: CloudWatchLogsClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-logs-'));
  clock = new FakeClock(T0);
  store = LogsStore.open(dir);
  logs = createLogsService({ store, clock, region: 'us-east-1', accountId: '123456789012' });
  const e = await startEdge();
  e.edge.register(logs.service);
  endpoint = e.url;
  closeEdge = e.close;
  client = new CloudWatchLogsClient(sdkConfig(endpoint));
});

afterAll(async () => {
  client?.destroy();
  await closeEdge?.();
  logs?.close();
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function put(group: string, stream: string, events: { timestamp: number; message: string }[]) {
  return client.send(
    new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: events }),
  );
}

describe('CloudWatch Logs through the SDK v3', () => {
  it('creates, describes and deletes log groups and streams, with the service errors', async () => {
    await client.send(new CreateLogGroupCommand({ logGroupName: '/app/one' }));
    await client.send(new CreateLogGroupCommand({ logGroupName: '/app/two' }));
    await expect(client.send(new CreateLogGroupCommand({ logGroupName: '/app/one' }))).rejects.toMatchObject({
      name: 'ResourceAlreadyExistsException',
    });
    const page1 = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/', limit: 1 }));
    expect(page1.logGroups?.map((g) => g.logGroupName)).toEqual(['/app/one']);
    expect(page1.logGroups?.[0]).toMatchObject({
      creationTime: T0,
      arn: 'arn:aws:logs:us-east-1:123456789012:log-group:/app/one:*',
      logGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:/app/one',
    });
    const page2 = await client.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/', limit: 1, nextToken: page1.nextToken }),
    );
    expect(page2.logGroups?.map((g) => g.logGroupName)).toEqual(['/app/two']);
    expect(page2.nextToken).toBeUndefined();

    await client.send(new CreateLogStreamCommand({ logGroupName: '/app/one', logStreamName: 's1' }));
    await expect(
      client.send(new CreateLogStreamCommand({ logGroupName: '/app/one', logStreamName: 's1' })),
    ).rejects.toMatchObject({ name: 'ResourceAlreadyExistsException' });
    await expect(
      client.send(new CreateLogStreamCommand({ logGroupName: '/app/none', logStreamName: 's1' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
    const streams = await client.send(new DescribeLogStreamsCommand({ logGroupName: '/app/one' }));
    expect(streams.logStreams?.map((s) => s.logStreamName)).toEqual(['s1']);
    await client.send(new DeleteLogStreamCommand({ logGroupName: '/app/one', logStreamName: 's1' }));
    await expect(
      client.send(new DeleteLogStreamCommand({ logGroupName: '/app/one', logStreamName: 's1' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log stream does not exist.',
    });
    await client.send(new DeleteLogGroupCommand({ logGroupName: '/app/two' }));
    await expect(client.send(new DeleteLogGroupCommand({ logGroupName: '/app/two' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('stores PutLogEvents and pages GetLogEvents forward until the token stops moving', async () => {
    await client.send(new CreateLogGroupCommand({ logGroupName: '/get' }));
    await client.send(new CreateLogStreamCommand({ logGroupName: '/get', logStreamName: 'a' }));
    const events = Array.from({ length: 5 }, (_, i) => ({ timestamp: T0 + i, message: `line ${i}` }));
    const out = await put('/get', 'a', events);
    expect(out.nextSequenceToken).toMatch(/^\d+$/);
    const first = await client.send(
      new GetLogEventsCommand({ logGroupName: '/get', logStreamName: 'a', startFromHead: true, limit: 3 }),
    );
    expect(first.events?.map((e) => e.message)).toEqual(['line 0', 'line 1', 'line 2']);
    expect(first.events?.[0]).toMatchObject({ timestamp: T0, ingestionTime: T0 });
    const second = await client.send(
      new GetLogEventsCommand({
        logGroupName: '/get',
        logStreamName: 'a',
        nextToken: first.nextForwardToken,
      }),
    );
    expect(second.events?.map((e) => e.message)).toEqual(['line 3', 'line 4']);
    const end = await client.send(
      new GetLogEventsCommand({
        logGroupName: '/get',
        logStreamName: 'a',
        nextToken: second.nextForwardToken,
      }),
    );
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(second.nextForwardToken);
    // Without startFromHead, the newest events come first in the page (still oldest first within it).
    const tail = await client.send(
      new GetLogEventsCommand({ logGroupName: '/get', logStreamName: 'a', limit: 2 }),
    );
    expect(tail.events?.map((e) => e.message)).toEqual(['line 3', 'line 4']);
    const back = await client.send(
      new GetLogEventsCommand({
        logGroupName: '/get',
        logStreamName: 'a',
        nextToken: tail.nextBackwardToken,
        limit: 2,
      }),
    );
    expect(back.events?.map((e) => e.message)).toEqual(['line 1', 'line 2']);
  });

  it('refuses a batch out of order and reports events too old or too new as rejected', async () => {
    await client.send(new CreateLogGroupCommand({ logGroupName: '/put' }));
    await client.send(new CreateLogStreamCommand({ logGroupName: '/put', logStreamName: 'x' }));
    await expect(
      put('/put', 'x', [
        { timestamp: T0 + 5, message: 'b' },
        { timestamp: T0, message: 'a' },
      ]),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(put('/put', 'missing', [{ timestamp: T0, message: 'a' }])).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    const old = await put('/put', 'x', [
      { timestamp: T0 - 15 * 86_400_000, message: 'ancient' },
      { timestamp: T0 - 14 * 86_400_000 - 1, message: 'ancient too' },
    ]);
    expect(old.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 1 });
    const fresh = await put('/put', 'x', [
      { timestamp: T0, message: 'now' },
      { timestamp: T0 + 3 * 3_600_000, message: 'future' },
    ]);
    expect(fresh.rejectedLogEventsInfo).toEqual({ tooNewLogEventStartIndex: 1 });
    const got = await client.send(new GetLogEventsCommand({ logGroupName: '/put', logStreamName: 'x' }));
    expect(got.events?.map((e) => e.message)).toEqual(['now']);
  });

  it('interleaves FilterLogEvents across streams by time, from startTime, with a pattern and nextToken', async () => {
    await client.send(new CreateLogGroupCommand({ logGroupName: '/filter' }));
    for (const s of ['s1', 's2']) {
      await client.send(new CreateLogStreamCommand({ logGroupName: '/filter', logStreamName: s }));
    }
    await put('/filter', 's1', [
      { timestamp: T0 + 1, message: 'ERROR one' },
      { timestamp: T0 + 3, message: 'INFO three' },
      { timestamp: T0 + 5, message: 'ERROR five' },
    ]);
    await put('/filter', 's2', [
      { timestamp: T0 + 2, message: 'INFO two' },
      { timestamp: T0 + 4, message: 'ERROR four' },
    ]);
    const all = await client.send(new FilterLogEventsCommand({ logGroupName: '/filter', interleaved: true }));
    expect(all.events?.map((e) => e.message)).toEqual([
      'ERROR one',
      'INFO two',
      'INFO three',
      'ERROR four',
      'ERROR five',
    ]);
    expect(all.events?.map((e) => e.logStreamName)).toEqual(['s1', 's2', 's1', 's2', 's1']);
    expect(new Set(all.events?.map((e) => e.eventId)).size).toBe(5);
    const errors = await client.send(
      new FilterLogEventsCommand({ logGroupName: '/filter', filterPattern: 'ERROR -one', startTime: T0 + 2 }),
    );
    expect(errors.events?.map((e) => e.message)).toEqual(['ERROR four', 'ERROR five']);
    const p1 = await client.send(new FilterLogEventsCommand({ logGroupName: '/filter', limit: 2 }));
    const p2 = await client.send(
      new FilterLogEventsCommand({ logGroupName: '/filter', limit: 2, nextToken: p1.nextToken }),
    );
    const p3 = await client.send(
      new FilterLogEventsCommand({ logGroupName: '/filter', limit: 2, nextToken: p2.nextToken }),
    );
    expect([...(p1.events ?? []), ...(p2.events ?? []), ...(p3.events ?? [])].map((e) => e.message)).toEqual(
      all.events?.map((e) => e.message),
    );
    expect(p3.nextToken).toBeUndefined();
    await expect(
      client.send(new FilterLogEventsCommand({ logGroupName: '/filter', nextToken: 'garbage' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(
      client.send(
        new FilterLogEventsCommand({
          logGroupIdentifier: 'arn:aws:logs:us-east-1:123456789012:log-group:/filter',
        }),
      ),
    ).resolves.toMatchObject({ events: expect.any(Array) });
  });

  it('follows a group the way `aws logs tail --follow` polls it, seeing each new event once', async () => {
    await client.send(new CreateLogGroupCommand({ logGroupName: '/tail' }));
    const seen = new Set<string>();
    const printed: string[] = [];
    let startTime = T0;
    // tail.py: FilterLogEvents(interleaved, startTime) through every nextToken; events already seen at the last
    // timestamp are skipped by eventId, and the next poll starts at the newest timestamp seen.
    const poll = async () => {
      let token: string | undefined;
      do {
        const r = await client.send(
          new FilterLogEventsCommand({
            logGroupName: '/tail',
            interleaved: true,
            startTime,
            nextToken: token,
          }),
        );
        for (const e of r.events ?? []) {
          if (seen.has(e.eventId as string)) continue;
          seen.add(e.eventId as string);
          printed.push(e.message as string);
          startTime = Math.max(startTime, e.timestamp as number);
        }
        token = r.nextToken;
      } while (token);
    };
    logs.writer.write('/tail', 'env-1', 'first', T0 + 10);
    await poll();
    logs.writer.write('/tail', 'env-2', 'second', T0 + 10);
    logs.writer.write('/tail', 'env-1', 'third', T0 + 20);
    await poll();
    await poll();
    expect(printed).toEqual(['first', 'second', 'third']);
  });

  it('applies a retention policy: events older than it are no longer returned and are deleted', async () => {
    await client.send(new CreateLogGroupCommand({ logGroupName: '/retained' }));
    await client.send(new CreateLogStreamCommand({ logGroupName: '/retained', logStreamName: 's' }));
    await put('/retained', 's', [{ timestamp: clock.now(), message: 'old news' }]);
    await expect(
      client.send(new PutRetentionPolicyCommand({ logGroupName: '/retained', retentionInDays: 2 })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await client.send(new PutRetentionPolicyCommand({ logGroupName: '/retained', retentionInDays: 1 }));
    const described = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/retained' }));
    expect(described.logGroups?.[0]?.retentionInDays).toBe(1);
    clock.advance(2 * 86_400_000);
    const filtered = await client.send(new FilterLogEventsCommand({ logGroupName: '/retained' }));
    expect(filtered.events).toEqual([]);
    expect(logs.applyRetention()).toBeGreaterThanOrEqual(1);
    clock.set(T0);
  });
});

describe('the batched writer', () => {
  it('stores many lines in one transaction and creates their group and stream', async () => {
    const append = vi.spyOn(store, 'append');
    for (let i = 0; i < 500; i++) logs.writer.write('/aws/lambda/batched', 'env', `line ${i}`, T0 + i);
    expect(append).not.toHaveBeenCalled();
    const r = await client.send(
      new GetLogEventsCommand({
        logGroupName: '/aws/lambda/batched',
        logStreamName: 'env',
        startFromHead: true,
      }),
    );
    expect(r.events).toHaveLength(500);
    expect(append).toHaveBeenCalledTimes(1);
    append.mockRestore();
  });
});

describe('CloudWatch Logs through the aws CLI', () => {
  it('creates a group with retention, writes and reads events, filters them and deletes the group', async () => {
    expect((await aws(endpoint, ['logs', 'create-log-group', '--log-group-name', '/cli/app'])).code).toBe(0);
    await awsJson(endpoint, [
      'logs',
      'put-retention-policy',
      '--log-group-name',
      '/cli/app',
      '--retention-in-days',
      '7',
    ]);
    await awsJson(endpoint, [
      'logs',
      'create-log-stream',
      '--log-group-name',
      '/cli/app',
      '--log-stream-name',
      'main',
    ]);
    await awsJson(endpoint, [
      'logs',
      'put-log-events',
      '--log-group-name',
      '/cli/app',
      '--log-stream-name',
      'main',
      '--log-events',
      `timestamp=${T0},message=hello`,
      `timestamp=${T0 + 1},message=world`,
    ]);
    const groups = await awsJson<{ logGroups: { logGroupName: string; retentionInDays: number }[] }>(
      endpoint,
      ['logs', 'describe-log-groups', '--log-group-name-prefix', '/cli/'],
    );
    expect(groups.logGroups).toMatchObject([{ logGroupName: '/cli/app', retentionInDays: 7 }]);
    const got = await awsJson<{ events: { message: string }[] }>(endpoint, [
      'logs',
      'get-log-events',
      '--log-group-name',
      '/cli/app',
      '--log-stream-name',
      'main',
      '--start-from-head',
    ]);
    expect(got.events.map((e) => e.message)).toEqual(['hello', 'world']);
    const filtered = await awsJson<{ events: { message: string }[] }>(endpoint, [
      'logs',
      'filter-log-events',
      '--log-group-name',
      '/cli/app',
      '--filter-pattern',
      'world',
    ]);
    expect(filtered.events.map((e) => e.message)).toEqual(['world']);
    const missing = await aws(endpoint, ['logs', 'describe-log-streams', '--log-group-name', '/cli/none']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('ResourceNotFoundException');
    await awsJson(endpoint, ['logs', 'delete-log-group', '--log-group-name', '/cli/app']);
    // Seven aws CLI (Python) start-ups: seconds each on a loaded 2-core machine.
  }, 240_000);
});
