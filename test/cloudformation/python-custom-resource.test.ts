/**
 * A Python custom resource handler through the CloudFormation engine of `npm start -- --empty`: the handler PUTs
 * its answer to the HTTPS ResponseURL with urllib, as AWS's cfnresponse-style handlers do, and the local cloud's
 * Python runtime hook carries it to the local CloudFormation. SUCCESS creates the stack with the handler's Data;
 * FAILED rolls it back with the handler's reason.
 */
import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
} from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CfnCloud, STACK_WAIT, startCfnCloud } from '../helpers/cloudformation.js';

/** A cfnresponse-style handler: `send` PUTs the JSON answer to the ResponseURL with urllib.request. */
const HANDLER = `import json, urllib.request

def send(event, context, status, data, reason, physical_id):
    body = json.dumps({
        'Status': status,
        'Reason': reason or 'See the details in CloudWatch Log Stream: ' + context.log_stream_name,
        'PhysicalResourceId': physical_id,
        'StackId': event['StackId'],
        'RequestId': event['RequestId'],
        'LogicalResourceId': event['LogicalResourceId'],
        'Data': data,
    }).encode()
    req = urllib.request.Request(event['ResponseURL'], data=body, method='PUT',
                                 headers={'content-type': '', 'content-length': str(len(body))})
    with urllib.request.urlopen(req) as r:
        print('Status code:', r.status)

def handler(event, context):
    props = event['ResourceProperties']
    physical_id = 'py-' + event['LogicalResourceId']
    if props.get('Fail') == 'yes' and event['RequestType'] == 'Create':
        send(event, context, 'FAILED', {}, 'python says no to ' + props['Name'], physical_id)
        return
    greeting = 'Hello, ' + props['Name'] + ' (' + event['RequestType'] + ') from Python'
    send(event, context, 'SUCCESS', {'Greeting': greeting}, None, physical_id)
`;

const template = (fail: boolean) =>
  JSON.stringify({
    Resources: {
      Provider: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Runtime: 'python3.12',
          Handler: 'index.handler',
          Role: 'arn:aws:iam::000000000000:role/provider',
          Code: { ZipFile: HANDLER },
        },
      },
      Greeter: {
        Type: 'Custom::Greeter',
        Properties: {
          ServiceToken: { 'Fn::GetAtt': ['Provider', 'Arn'] },
          Name: 'Ada',
          Fail: fail ? 'yes' : 'no',
        },
      },
    },
    Outputs: { Greeting: { Value: { 'Fn::GetAtt': ['Greeter', 'Greeting'] } } },
  });

let c: CfnCloud;
beforeAll(async () => {
  c = await startCfnCloud('gatehouse-cfn-python-');
}, 120_000);
afterAll(() => c?.stop());

describe('a Python custom resource handler', () => {
  it('answers SUCCESS through the HTTPS ResponseURL: the stack is created with its Data, and deleted', async () => {
    await c.cfn.send(new CreateStackCommand({ StackName: 'py-ok', TemplateBody: template(false) }));
    await waitUntilStackCreateComplete({ client: c.cfn, ...STACK_WAIT }, { StackName: 'py-ok' });
    expect((await c.stackOf('py-ok'))?.Outputs).toEqual([
      { OutputKey: 'Greeting', OutputValue: 'Hello, Ada (Create) from Python' },
    ]);
    await c.cfn.send(new DeleteStackCommand({ StackName: 'py-ok' }));
    await waitUntilStackDeleteComplete({ client: c.cfn, ...STACK_WAIT }, { StackName: 'py-ok' });
    // A Delete the handler never answered would fail the resource (DELETE_FAILED) and so the waiter.
    expect(String(await c.stackOf('py-ok').catch((e: Error) => e))).toContain(
      'Stack with id py-ok does not exist',
    );
  }, 180_000);

  it('answers FAILED: the stack rolls back, the event names the resource and the handler reason', async () => {
    await c.cfn.send(new CreateStackCommand({ StackName: 'py-fail', TemplateBody: template(true) }));
    await expect(
      waitUntilStackCreateComplete({ client: c.cfn, ...STACK_WAIT }, { StackName: 'py-fail' }),
    ).rejects.toThrow();
    expect((await c.stackOf('py-fail'))?.StackStatus).toBe('ROLLBACK_COMPLETE');
    const events =
      (await c.cfn.send(new DescribeStackEventsCommand({ StackName: 'py-fail' }))).StackEvents ?? [];
    const failed = events.find((e) => e.ResourceStatus === 'CREATE_FAILED');
    expect(failed?.LogicalResourceId).toBe('Greeter');
    expect(failed?.ResourceStatusReason).toContain('Message returned: python says no to Ada');
  }, 180_000);
});
