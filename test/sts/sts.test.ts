import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  STSServiceException,
} from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertRegistryMatchesModel } from '../../src/protocols/index.js';
import { model, stsOperations } from '../../src/services/sts/index.js';
import { RoleSessions } from '../../src/services/sts/sessions.js';
import { startAwsEndpoint, TEST_ACCOUNT, type TestEndpoint } from '../helpers/aws-endpoint.js';

const run = promisify(execFile);

describe('STS on the one AWS endpoint', () => {
  let ep: TestEndpoint;
  let sts: STSClient;
  const creds = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };
  beforeAll(async () => {
    ep = await startAwsEndpoint();
    sts = new STSClient({ endpoint: ep.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
  });
  afterAll(async () => {
    sts?.destroy();
    await ep?.stop();
  });

  it('serves exactly the modelled operations', () => {
    const ops = stsOperations({
      accountId: TEST_ACCOUNT,
      clock: { now: () => 0 },
      sessions: new RoleSessions(),
    });
    expect(() => assertRegistryMatchesModel(model, ops)).not.toThrow();
  });

  it('GetCallerIdentity names the configured account (SDK v3)', async () => {
    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect(me.Account).toBe(TEST_ACCOUNT);
    expect(me.Arn).toBe(`arn:aws:iam::${TEST_ACCOUNT}:root`);
  });

  it('AssumeRole gives temporary credentials that GetCallerIdentity then recognises (SDK v3)', async () => {
    const res = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/cdk-hnb659fds-deploy-role`,
        RoleSessionName: 'deploy',
        DurationSeconds: 900,
      }),
    );
    const c = res.Credentials;
    expect(c?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(c?.SecretAccessKey?.length).toBe(40);
    expect(c?.SessionToken).toBeTruthy();
    expect(c?.Expiration).toBeInstanceOf(Date);
    expect(res.AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/cdk-hnb659fds-deploy-role/deploy`,
    );
    const as = new STSClient({
      endpoint: ep.url,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: {
        accessKeyId: c?.AccessKeyId as string,
        secretAccessKey: c?.SecretAccessKey as string,
        sessionToken: c?.SessionToken as string,
      },
    });
    const me = await as.send(new GetCallerIdentityCommand({}));
    as.destroy();
    expect(me.Arn).toBe(res.AssumedRoleUser?.Arn);
    expect(me.UserId).toBe(res.AssumedRoleUser?.AssumedRoleId);
  });

  it('refuses bad input with STS errors (ValidationError), not a 500', async () => {
    const err = await sts
      .send(new AssumeRoleCommand({ RoleArn: 'not-an-arn-at-all', RoleSessionName: 'x' }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(STSServiceException);
    expect((err as STSServiceException).name).toBe('ValidationError');
    expect((err as STSServiceException).$metadata.httpStatusCode).toBe(400);
    const missing = await sts
      .send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/r` } as never))
      .then(
        () => new STSServiceException({ name: 'none', $fault: 'client', $metadata: {}, message: 'no error' }),
        (e: unknown) => e as STSServiceException,
      );
    expect(missing.name).toBe('ValidationError');
    expect(missing.message).toContain("Value null at 'roleSessionName' failed to satisfy constraint");
    const short = await sts
      .send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/r`,
          RoleSessionName: 's',
          DurationSeconds: 60,
        }),
      )
      .then(
        () => new STSServiceException({ name: 'none', $fault: 'client', $metadata: {}, message: 'no error' }),
        (e: unknown) => e as STSServiceException,
      );
    expect(short.message).toContain('Member must have value greater than or equal to 900');
  });

  it('answers an unknown Action with InvalidAction in the awsQuery error shape', async () => {
    const res = await fetch(ep.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: 'Action=GetFederationToken&Version=2011-06-15',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    const text = await res.text();
    expect(text).toContain('<Code>InvalidAction</Code>');
    expect(text).toContain('<Type>Sender</Type>');
  });

  it('answers the aws CLI (sts get-caller-identity, assume-role)', async () => {
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    };
    const me = JSON.parse(
      (
        await run('aws', ['sts', 'get-caller-identity', '--endpoint-url', ep.url, '--output', 'json'], {
          env,
        })
      ).stdout,
    );
    expect(me.Account).toBe(TEST_ACCOUNT);
    const role = JSON.parse(
      (
        await run(
          'aws',
          [
            'sts',
            'assume-role',
            '--role-arn',
            `arn:aws:iam::${TEST_ACCOUNT}:role/r`,
            '--role-session-name',
            'cli',
            '--endpoint-url',
            ep.url,
            '--output',
            'json',
          ],
          { env },
        )
      ).stdout,
    );
    expect(role.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${TEST_ACCOUNT}:assumed-role/r/cli`);
    // Each aws invocation starts a Python interpreter.
  }, 120_000);
});
