/**
 * The CloudFormation engine through the SDK v3 against `npm start -- --empty`: custom resources run for real (an
 * inline function PUTs its response to the ResponseURL), outputs and exports with Fn::ImportValue, SSM-typed
 * parameters, change set diffs with replacement, no-change updates, exact templates, and rollback on failure.
 */
import {
  type CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  UpdateStackCommand,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
} from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CfnCloud, STACK_WAIT, startCfnCloud } from '../helpers/cloudformation.js';
import type { RunningCloud } from '../helpers/local-cloud.js';
import { awsJson } from '../logs/support.js';

let c: CfnCloud;
let cloud: RunningCloud;
let cfn: CloudFormationClient;
const wait = STACK_WAIT;

/** A Node function that answers CloudFormation's custom resource request with `status` and Data.Greeting. */
const provider = (status: 'SUCCESS' | 'FAILED') => ({
  Type: 'AWS::Lambda::Function',
  Properties: {
    Runtime: 'nodejs20.x',
    Handler: 'index.handler',
    Role: 'arn:aws:iam::000000000000:role/provider',
    Code: {
      ZipFile: `exports.handler = async (event) => {
  const body = JSON.stringify({
    Status: '${status}', Reason: 'the provider said no', PhysicalResourceId: 'greeter-' + event.LogicalResourceId,
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId,
    Data: { Greeting: 'Hello, ' + event.ResourceProperties.Name + ' (' + event.RequestType + ')' },
  });
  const res = await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!res.ok) throw new Error('response refused: ' + res.status);
};`,
    },
  },
});

const producer = (name: string) =>
  JSON.stringify({
    Resources: {
      Provider: provider('SUCCESS'),
      Greeter: {
        Type: 'Custom::Greeter',
        Properties: { ServiceToken: { 'Fn::GetAtt': ['Provider', 'Arn'] }, Name: name },
      },
      Setting: {
        Type: 'AWS::SSM::Parameter',
        Properties: { Name: '/app/setting', Type: 'String', Value: 'blue' },
      },
    },
    Outputs: {
      Greeting: { Value: { 'Fn::GetAtt': ['Greeter', 'Greeting'] }, Export: { Name: 'greeting' } },
    },
  });

beforeAll(async () => {
  c = await startCfnCloud('gatehouse-cfn-');
  ({ cloud, cfn } = c);
}, 120_000);

afterAll(() => c?.stop());

const stackOf = (name: string) => c.stackOf(name);

describe('the CloudFormation engine through the SDK', () => {
  it('runs a custom resource for real and exports its Data as an output; GetTemplate gives the exact body', async () => {
    const body = producer('Ada');
    await cfn.send(new CreateStackCommand({ StackName: 'producer', TemplateBody: body }));
    await waitUntilStackCreateComplete({ client: cfn, ...wait }, { StackName: 'producer' });
    const s = await stackOf('producer');
    expect(s?.Outputs).toEqual([
      { OutputKey: 'Greeting', OutputValue: 'Hello, Ada (Create)', ExportName: 'greeting' },
    ]);
    expect((await cfn.send(new GetTemplateCommand({ StackName: 'producer' }))).TemplateBody).toBe(body);
    const resources =
      (await cfn.send(new ListStackResourcesCommand({ StackName: 'producer' }))).StackResourceSummaries ?? [];
    expect(resources.find((r) => r.LogicalResourceId === 'Greeter')?.PhysicalResourceId).toBe(
      'greeter-Greeter',
    );
    const param = await awsJson<{ Parameter: { Value: string } }>(cloud.endpoints.awsEndpoint, [
      'ssm',
      'get-parameter',
      '--name',
      '/app/setting',
    ]);
    expect(param.Parameter.Value).toBe('blue');
  }, 180_000);

  it('diffs an update: Modify with replacement where AWS replaces, and an update with no changes is refused', async () => {
    const next = JSON.parse(producer('Grace')) as {
      Resources: Record<string, { Properties: Record<string, unknown> }>;
    };
    (next.Resources.Setting as { Properties: Record<string, unknown> }).Properties.Name = '/app/renamed';
    await cfn.send(
      new CreateChangeSetCommand({
        StackName: 'producer',
        ChangeSetName: 'rename',
        TemplateBody: JSON.stringify(next),
      }),
    );
    const cs = await cfn.send(
      new DescribeChangeSetCommand({ StackName: 'producer', ChangeSetName: 'rename' }),
    );
    const changes = Object.fromEntries(
      (cs.Changes ?? []).map((c) => [c.ResourceChange?.LogicalResourceId, c.ResourceChange]),
    );
    expect(Object.keys(changes).sort()).toEqual(['Greeter', 'Setting']);
    expect(changes.Setting).toMatchObject({ Action: 'Modify', Replacement: 'True' });
    expect(changes.Greeter).toMatchObject({ Action: 'Modify', Replacement: 'False' });
    const same = await cfn
      .send(new UpdateStackCommand({ StackName: 'producer', TemplateBody: producer('Ada') }))
      .catch((e: Error) => e);
    expect(String(same)).toContain('No updates are to be performed.');
    const unchanged = await cfn.send(
      new CreateChangeSetCommand({
        StackName: 'producer',
        ChangeSetName: 'same',
        TemplateBody: producer('Ada'),
      }),
    );
    expect(unchanged.Id).toBeTruthy();
    const failed = await cfn.send(
      new DescribeChangeSetCommand({ StackName: 'producer', ChangeSetName: 'same' }),
    );
    expect(failed.Status).toBe('FAILED');
    expect(failed.StatusReason).toMatch(/^The submitted information didn't contain changes\./);
  }, 180_000);

  it('imports an export and resolves an SSM-typed parameter', async () => {
    const body = JSON.stringify({
      Parameters: { Color: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/app/setting' } },
      Resources: {
        Copy: {
          Type: 'AWS::SSM::Parameter',
          Properties: {
            Name: '/app/copy',
            Type: 'String',
            Value: { 'Fn::Join': [' / ', [{ 'Fn::ImportValue': 'greeting' }, { Ref: 'Color' }]] },
          },
        },
      },
    });
    await cfn.send(new CreateStackCommand({ StackName: 'consumer', TemplateBody: body }));
    await waitUntilStackCreateComplete({ client: cfn, ...wait }, { StackName: 'consumer' });
    const param = await awsJson<{ Parameter: { Value: string } }>(cloud.endpoints.awsEndpoint, [
      'ssm',
      'get-parameter',
      '--name',
      '/app/copy',
    ]);
    expect(param.Parameter.Value).toBe('Hello, Ada (Create) / blue');
    expect((await stackOf('consumer'))?.Parameters).toEqual([
      { ParameterKey: 'Color', ParameterValue: '/app/setting', ResolvedValue: 'blue' },
    ]);
  }, 180_000);

  it('rolls back a stack whose custom resource fails, naming the resource and the handler reason', async () => {
    const body = JSON.stringify({
      Resources: {
        Provider: provider('FAILED'),
        Marker: {
          Type: 'AWS::SSM::Parameter',
          Properties: { Name: '/app/marker', Type: 'String', Value: 'x' },
        },
        Greeter: {
          Type: 'Custom::Greeter',
          DependsOn: 'Marker',
          Properties: { ServiceToken: { 'Fn::GetAtt': ['Provider', 'Arn'] }, Name: 'Bob' },
        },
      },
    });
    await cfn.send(new CreateStackCommand({ StackName: 'failing', TemplateBody: body }));
    await expect(
      waitUntilStackCreateComplete({ client: cfn, ...wait }, { StackName: 'failing' }),
    ).rejects.toThrow();
    expect((await stackOf('failing'))?.StackStatus).toBe('ROLLBACK_COMPLETE');
    const events =
      (await cfn.send(new DescribeStackEventsCommand({ StackName: 'failing' }))).StackEvents ?? [];
    const failed = events.find((e) => e.ResourceStatus === 'CREATE_FAILED');
    expect(failed?.LogicalResourceId).toBe('Greeter');
    expect(failed?.ResourceStatusReason).toContain('Message returned: the provider said no');
    expect(
      events.some((e) => e.LogicalResourceId === 'Marker' && e.ResourceStatus === 'DELETE_COMPLETE'),
    ).toBe(true);
    const gone = await awsJson(cloud.endpoints.awsEndpoint, [
      'ssm',
      'get-parameter',
      '--name',
      '/app/marker',
    ]).catch((e: Error) => e);
    expect(String(gone)).toContain('ParameterNotFound');
  }, 180_000);

  it('deletes stacks, running the custom resource Delete, and then they do not exist', async () => {
    await cfn.send(new DeleteStackCommand({ StackName: 'consumer' }));
    await waitUntilStackDeleteComplete({ client: cfn, ...wait }, { StackName: 'consumer' });
    await cfn.send(new DeleteStackCommand({ StackName: 'producer' }));
    await waitUntilStackDeleteComplete({ client: cfn, ...wait }, { StackName: 'producer' });
    const after = await cfn.send(new DescribeStacksCommand({ StackName: 'producer' })).catch((e: Error) => e);
    expect(String(after)).toContain('Stack with id producer does not exist');
  }, 180_000);
});
