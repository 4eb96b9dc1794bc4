/**
 * CloudFormation against `npm start -- --empty` in a temp data dir, for the engine's tests: the cloud, an SDK v3
 * client, and the waiters' settings.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { sdkConfig } from '../logs/support.js';
import { type RunningCloud, startLocalCloud } from './local-cloud.js';

/** The stack waiters' settings: two minutes at most, polling every second. */
export const STACK_WAIT = { maxWaitTime: 120, minDelay: 1, maxDelay: 1 };

export interface CfnCloud {
  cloud: RunningCloud;
  cfn: CloudFormationClient;
  /** DescribeStacks of one stack (it throws for a stack that does not exist, as AWS answers). */
  stackOf(name: string): Promise<Stack | undefined>;
  /** Stops the cloud and removes its data dir. */
  stop(): Promise<void>;
}

/** Starts an empty local cloud in a new temp dir named from `prefix`. */
export async function startCfnCloud(prefix: string): Promise<CfnCloud> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let cloud: RunningCloud;
  try {
    cloud = await startLocalCloud(join(dir, 'data'), ['--empty']);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const cfn = new CloudFormationClient(sdkConfig(cloud.endpoints.awsEndpoint));
  return {
    cloud,
    cfn,
    stackOf: async (name) => (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0],
    async stop() {
      cfn.destroy();
      try {
        await cloud.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
