import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetFunctionCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type DeployCodeClients,
  DeployCodeError,
  type DeployCodeOptions,
  deployCode,
  main,
  parseDeployCodeArgs,
  resolveTargets,
  type Sender,
  s3AddressingFor,
  sdkWaitForUpdate,
} from './deploy-code.js';

/** A fake SDK client: answers per command class and records every command it was sent. */
class FakeClient implements Sender {
  readonly sent: object[] = [];
  constructor(private readonly answer: (command: object) => unknown) {}
  async send(command: object): Promise<unknown> {
    this.sent.push(command);
    const result = this.answer(command);
    if (result instanceof Error) throw result;
    return result;
  }
}

function awsError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

let dir: string;
let cdkOut: string;
let lines: string[];

/** A cloud assembly like `npm run synth` writes: a template whose function points at a bundled asset dir. */
async function writeAssembly(functionName = 'api-backend-demo'): Promise<string> {
  cdkOut = join(dir, 'cdk.out');
  const assetDir = join(cdkOut, 'asset.abc123');
  await mkdir(assetDir, { recursive: true });
  await writeFile(join(assetDir, 'index.mjs'), 'export const handler = async () => ({ statusCode: 200 });');
  const template = {
    Resources: {
      ApiFunction: {
        Type: 'AWS::Lambda::Function',
        Properties: { FunctionName: functionName, Handler: 'index.handler' },
        Metadata: { 'aws:asset:path': 'asset.abc123', 'aws:asset:is-bundled': true },
      },
      AutoDeleteHandler: {
        Type: 'AWS::Lambda::Function',
        Properties: { Handler: '__entrypoint__.handler' },
        Metadata: { 'aws:asset:path': 'asset.other', 'aws:asset:is-bundled': false },
      },
    },
  };
  await writeFile(join(cdkOut, 'Gatehouse.template.json'), JSON.stringify(template));
  return assetDir;
}

function options(overrides: Partial<DeployCodeOptions> = {}): DeployCodeOptions {
  return {
    stackName: 'Gatehouse',
    outputsFile: join(dir, 'cdk-outputs.json'),
    cdkOut,
    keyPrefix: 'lambda/',
    maxWaitSeconds: 60,
    ...overrides,
  };
}

function clients(parts: Partial<DeployCodeClients> = {}): DeployCodeClients & {
  s3: FakeClient;
  lambda: FakeClient;
  cloudFormation: FakeClient;
} {
  return {
    s3: new FakeClient(() => ({ ETag: '"etag"' })),
    lambda: new FakeClient(() => ({ CodeSha256: 'abc=', LastUpdateStatus: 'InProgress' })),
    cloudFormation: new FakeClient(() => ({
      Stacks: [
        {
          Outputs: [
            { OutputKey: 'BucketName', OutputValue: 'gatehouse-artifactbucket-1' },
            { OutputKey: 'FunctionName', OutputValue: 'api-backend-demo' },
          ],
        },
      ],
    })),
    waitForUpdate: async () => undefined,
    log: (line) => lines.push(line),
    ...parts,
  } as DeployCodeClients & { s3: FakeClient; lambda: FakeClient; cloudFormation: FakeClient };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-deploy-'));
  cdkOut = join(dir, 'cdk.out');
  lines = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('deployCode', () => {
  it('uploads the zipped asset, points the function at it and waits for the update', async () => {
    await writeAssembly();
    const fakes = clients();
    const waited: string[] = [];
    fakes.waitForUpdate = async (lambda, name, max) => {
      expect(lambda).toBe(fakes.lambda);
      waited.push(`${name}:${max}`);
    };

    const result = await deployCode(
      fakes,
      options({ bucket: 'my-bucket', functionName: 'api-backend-demo' }),
    );

    const [put] = fakes.s3.sent as PutObjectCommand[];
    expect(put).toBeInstanceOf(PutObjectCommand);
    const body = put?.input.Body as Buffer;
    const digest = createHash('sha256').update(body).digest('hex');
    expect(put?.input).toMatchObject({
      Bucket: 'my-bucket',
      Key: `lambda/api-backend-demo/${digest}.zip`,
      ContentType: 'application/zip',
    });
    expect(body.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));

    const [update] = fakes.lambda.sent as UpdateFunctionCodeCommand[];
    expect(update).toBeInstanceOf(UpdateFunctionCodeCommand);
    expect(update?.input).toEqual({
      FunctionName: 'api-backend-demo',
      S3Bucket: 'my-bucket',
      S3Key: `lambda/api-backend-demo/${digest}.zip`,
    });
    expect(waited).toEqual(['api-backend-demo:60']);
    expect(fakes.cloudFormation.sent).toEqual([]);
    expect(result).toEqual({
      bucket: 'my-bucket',
      key: `lambda/api-backend-demo/${digest}.zip`,
      functionName: 'api-backend-demo',
      codeSha256: 'abc=',
    });
  });

  it('does not update the function when the upload fails, and names the failed step', async () => {
    await writeAssembly();
    const fakes = clients({ s3: new FakeClient(() => awsError('AccessDenied', 'Access Denied')) });

    const failure = deployCode(fakes, options({ bucket: 'b', functionName: 'api-backend-demo' }));

    await expect(failure).rejects.toBeInstanceOf(DeployCodeError);
    await expect(failure).rejects.toThrow(
      /Could not upload s3:\/\/b\/lambda\/api-backend-demo\/.*AccessDenied: Access Denied/,
    );
    expect(fakes.lambda.sent).toEqual([]);
  });

  it('reports a missing function without waiting', async () => {
    await writeAssembly();
    let waited = false;
    const fakes = clients({
      lambda: new FakeClient(() =>
        awsError('ResourceNotFoundException', 'Function not found: api-backend-demo'),
      ),
      waitForUpdate: async () => {
        waited = true;
      },
    });

    await expect(
      deployCode(fakes, options({ bucket: 'b', functionName: 'api-backend-demo' })),
    ).rejects.toThrow(/Could not update the code of api-backend-demo: ResourceNotFoundException/);
    expect(waited).toBe(false);
  });

  it('fails when the update does not finish', async () => {
    await writeAssembly();
    const fakes = clients({
      waitForUpdate: async () => {
        throw awsError('TimeoutError', 'Waiter timed out');
      },
    });

    await expect(
      deployCode(fakes, options({ bucket: 'b', functionName: 'api-backend-demo' })),
    ).rejects.toThrow(/Could not wait for api-backend-demo to finish updating: TimeoutError/);
  });

  it('zips an explicit --asset-dir instead of looking in cdk.out', async () => {
    const assetDir = join(dir, 'custom');
    await mkdir(assetDir);
    await writeFile(join(assetDir, 'index.mjs'), 'export const handler = 1;');
    const fakes = clients();

    await deployCode(fakes, options({ bucket: 'b', functionName: 'fn', assetDir }));

    expect((fakes.s3.sent[0] as PutObjectCommand).input.Key).toMatch(/^lambda\/fn\/[0-9a-f]{64}\.zip$/);
  });

  it('finds the only bundled function when the deployed name differs from the synthesized one', async () => {
    await writeAssembly('api-backend-demo');
    const fakes = clients();

    await deployCode(fakes, options({ bucket: 'b', functionName: 'api-backend-prod' }));

    expect((fakes.lambda.sent[0] as UpdateFunctionCodeCommand).input.FunctionName).toBe('api-backend-prod');
  });

  it('tells the user to synthesize first when cdk.out is missing', async () => {
    await expect(deployCode(clients(), options({ bucket: 'b', functionName: 'fn' }))).rejects.toThrow(
      /run `npm run synth` first/,
    );
  });

  it('uploads the same key for the same code, so a repeat deploy changes nothing in S3', async () => {
    await writeAssembly();
    const first = await deployCode(clients(), options({ bucket: 'b', functionName: 'api-backend-demo' }));
    const second = await deployCode(clients(), options({ bucket: 'b', functionName: 'api-backend-demo' }));

    expect(second.key).toBe(first.key);
  });
});

describe('resolveTargets', () => {
  it('uses flags without calling CloudFormation', async () => {
    const fakes = clients();

    await expect(resolveTargets(fakes, options({ bucket: 'b', functionName: 'f' }))).resolves.toEqual({
      bucket: 'b',
      functionName: 'f',
    });
    expect(fakes.cloudFormation.sent).toEqual([]);
  });

  it('reads the cdk deploy outputs file of the named stack', async () => {
    await writeFile(
      join(dir, 'cdk-outputs.json'),
      JSON.stringify({
        Other: { BucketName: 'x' },
        Gatehouse: { BucketName: 'from-file', FunctionName: 'fn-file' },
      }),
    );
    const fakes = clients();

    await expect(resolveTargets(fakes, options())).resolves.toEqual({
      bucket: 'from-file',
      functionName: 'fn-file',
    });
    expect(fakes.cloudFormation.sent).toEqual([]);
  });

  it('lets a flag override one output and fills the other from the stack', async () => {
    const fakes = clients();

    const targets = await resolveTargets(fakes, options({ functionName: 'flag-fn' }));

    expect(targets).toEqual({ bucket: 'gatehouse-artifactbucket-1', functionName: 'flag-fn' });
    const [describe] = fakes.cloudFormation.sent as DescribeStacksCommand[];
    expect(describe).toBeInstanceOf(DescribeStacksCommand);
    expect(describe?.input).toEqual({ StackName: 'Gatehouse' });
  });

  it('explains what to do when the stack does not exist', async () => {
    const fakes = clients({
      cloudFormation: new FakeClient(() =>
        awsError('ValidationError', 'Stack with id Gatehouse does not exist'),
      ),
    });

    await expect(resolveTargets(fakes, options())).rejects.toThrow(
      /Could not describe stack Gatehouse: ValidationError: Stack with id Gatehouse does not exist/,
    );
  });

  it('names the missing output when the stack lacks it', async () => {
    const fakes = clients({
      cloudFormation: new FakeClient(() => ({
        Stacks: [{ Outputs: [{ OutputKey: 'FunctionName', OutputValue: 'f' }] }],
      })),
    });

    await expect(resolveTargets(fakes, options())).rejects.toThrow(/has no BucketName output/);
  });

  it('rejects an outputs file that is not JSON', async () => {
    await writeFile(join(dir, 'cdk-outputs.json'), '{oops');

    await expect(resolveTargets(clients(), options())).rejects.toThrow(/is not valid JSON/);
  });
});

describe('sdkWaitForUpdate', () => {
  it('returns once GetFunction reports the update Successful', async () => {
    const lambda = new FakeClient(() => ({ Configuration: { LastUpdateStatus: 'Successful' } }));

    await sdkWaitForUpdate(lambda, 'api-backend-demo', 30);

    expect(lambda.sent[0]).toBeInstanceOf(GetFunctionCommand);
    expect((lambda.sent[0] as GetFunctionCommand).input).toEqual({ FunctionName: 'api-backend-demo' });
  });

  it('throws when the update Failed', async () => {
    const lambda = new FakeClient(() => ({
      Configuration: { LastUpdateStatus: 'Failed', LastUpdateStatusReason: 'bad zip' },
    }));

    await expect(sdkWaitForUpdate(lambda, 'api-backend-demo', 30)).rejects.toThrow();
  });
});

describe('command line', () => {
  it('parses flags into options with defaults for the rest', () => {
    const parsed = parseDeployCodeArgs(['--bucket', 'b', '--function', 'f', '--region', 'eu-west-1'], {});

    expect(parsed).toMatchObject({
      help: false,
      region: 'eu-west-1',
      options: {
        stackName: 'Gatehouse',
        bucket: 'b',
        functionName: 'f',
        keyPrefix: 'lambda/',
        maxWaitSeconds: 300,
      },
    });
  });

  it('takes the stack name from GATEHOUSE_STACK_NAME like the CDK app does', () => {
    const parsed = parseDeployCodeArgs([], { GATEHOUSE_STACK_NAME: 'GatehouseProd' });

    expect(parsed.help === false && parsed.options.stackName).toBe('GatehouseProd');
  });

  it('exits 1 with a one-line message and usage for an unknown flag', async () => {
    const errors: string[] = [];

    const code = await main(
      ['--bucket'],
      {},
      () => undefined,
      (line) => errors.push(line),
    );

    expect(code).toBe(1);
    expect(errors.join('\n')).toMatch(/^deploy:code: .*--bucket/);
    expect(errors.join('\n')).toContain('Usage: npm run deploy:code');
  });

  it('prints usage and exits 0 for --help', async () => {
    const out: string[] = [];

    expect(await main(['--help'], {}, (line) => out.push(line))).toBe(0);
    expect(out.join('\n')).toContain('--asset-dir');
  });

  it('rejects a non-numeric --max-wait', () => {
    expect(() => parseDeployCodeArgs(['--max-wait', 'soon'], {})).toThrow(/--max-wait/);
  });
});

describe('s3AddressingFor', () => {
  it('uses path-style addressing for an endpoint on this machine and the default elsewhere', () => {
    expect(s3AddressingFor({ AWS_ENDPOINT_URL: 'http://localhost:4566' })).toEqual({ forcePathStyle: true });
    expect(s3AddressingFor({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9229' })).toEqual({ forcePathStyle: true });
    expect(s3AddressingFor({ AWS_ENDPOINT_URL_S3: 'http://[::1]:9229' })).toEqual({ forcePathStyle: true });
    expect(s3AddressingFor({ AWS_ENDPOINT_URL: 'https://s3.eu-west-1.amazonaws.com' })).toEqual({});
    expect(s3AddressingFor({})).toEqual({});
  });
});
