/**
 * The response modules CloudFormation provides to inline (`Code.ZipFile`) code, through the engine of
 * `npm start -- --empty`: a Node.js provider using `require('cfn-response')` and a Python one using
 * `import cfnresponse`. SUCCESS creates the stack with the handler's Data (read by Fn::GetAtt in outputs) and its
 * physical id; FAILED rolls it back with the module's reason.
 */
import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceCommand,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
} from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CfnCloud, STACK_WAIT, startCfnCloud } from '../helpers/cloudformation.js';

/** A Node.js handler that answers only through cfn-response (no promise, no callback: send ends the invocation). */
const NODE_HANDLER = `var response = require('cfn-response');
exports.handler = function (event, context) {
  var props = event.ResourceProperties;
  if (props.Fail === 'yes' && event.RequestType === 'Create') {
    response.send(event, context, response.FAILED, {});
    return;
  }
  response.send(event, context, response.SUCCESS, { Greeting: 'Hello, ' + props.Name + ' from Node.js' }, 'node-' + props.Name);
};
`;

const PYTHON_HANDLER = `import cfnresponse

def handler(event, context):
    props = event['ResourceProperties']
    if props.get('Fail') == 'yes' and event['RequestType'] == 'Create':
        cfnresponse.send(event, context, cfnresponse.FAILED, {}, reason='python says no to ' + props['Name'])
        return
    cfnresponse.send(event, context, cfnresponse.SUCCESS, {'Greeting': 'Hello, ' + props['Name'] + ' from Python'},
                     physicalResourceId='py-' + props['Name'])
`;

const template = (fail: { node: boolean; python: boolean }) =>
  JSON.stringify({
    Resources: {
      NodeProvider: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: 'arn:aws:iam::000000000000:role/provider',
          Code: { ZipFile: NODE_HANDLER },
        },
      },
      PythonProvider: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Runtime: 'python3.12',
          Handler: 'index.handler',
          Role: 'arn:aws:iam::000000000000:role/provider',
          Code: { ZipFile: PYTHON_HANDLER },
        },
      },
      NodeGreeter: {
        Type: 'Custom::Greeter',
        Properties: {
          ServiceToken: { 'Fn::GetAtt': ['NodeProvider', 'Arn'] },
          Name: 'Ada',
          Fail: fail.node ? 'yes' : 'no',
        },
      },
      PythonGreeter: {
        Type: 'Custom::Greeter',
        Properties: {
          ServiceToken: { 'Fn::GetAtt': ['PythonProvider', 'Arn'] },
          Name: 'Grace',
          Fail: fail.python ? 'yes' : 'no',
        },
      },
    },
    Outputs: {
      NodeGreeting: { Value: { 'Fn::GetAtt': ['NodeGreeter', 'Greeting'] } },
      PythonGreeting: { Value: { 'Fn::GetAtt': ['PythonGreeter', 'Greeting'] } },
    },
  });

let c: CfnCloud;
beforeAll(async () => {
  c = await startCfnCloud('gatehouse-cfn-response-');
}, 120_000);
afterAll(() => c?.stop());

async function failedEvent(stackName: string) {
  const events =
    (await c.cfn.send(new DescribeStackEventsCommand({ StackName: stackName }))).StackEvents ?? [];
  return events.find((e) => e.ResourceStatus === 'CREATE_FAILED' && e.ResourceType === 'Custom::Greeter');
}

describe('the cfn-response and cfnresponse modules beside inline code', () => {
  it('send SUCCESS: the stack has both handlers’ Data in its outputs and their physical ids, and is deleted', async () => {
    await c.cfn.send(
      new CreateStackCommand({
        StackName: 'cfnr-ok',
        TemplateBody: template({ node: false, python: false }),
      }),
    );
    await waitUntilStackCreateComplete({ client: c.cfn, ...STACK_WAIT }, { StackName: 'cfnr-ok' });
    const outputs = (await c.stackOf('cfnr-ok'))?.Outputs ?? [];
    expect(Object.fromEntries(outputs.map((o) => [o.OutputKey, o.OutputValue]))).toEqual({
      NodeGreeting: 'Hello, Ada from Node.js',
      PythonGreeting: 'Hello, Grace from Python',
    });
    const physicalId = async (id: string) =>
      (await c.cfn.send(new DescribeStackResourceCommand({ StackName: 'cfnr-ok', LogicalResourceId: id })))
        .StackResourceDetail?.PhysicalResourceId;
    expect(await physicalId('NodeGreeter')).toBe('node-Ada');
    expect(await physicalId('PythonGreeter')).toBe('py-Grace');
    await c.cfn.send(new DeleteStackCommand({ StackName: 'cfnr-ok' }));
    // A Delete either module failed to answer would fail the resource (DELETE_FAILED) and so the waiter.
    await waitUntilStackDeleteComplete({ client: c.cfn, ...STACK_WAIT }, { StackName: 'cfnr-ok' });
  }, 180_000);

  it('Node.js send FAILED: the stack rolls back with the log stream reason cfn-response gives', async () => {
    await c.cfn.send(
      new CreateStackCommand({
        StackName: 'cfnr-node-fail',
        TemplateBody: template({ node: true, python: false }),
      }),
    );
    await expect(
      waitUntilStackCreateComplete({ client: c.cfn, ...STACK_WAIT }, { StackName: 'cfnr-node-fail' }),
    ).rejects.toThrow();
    expect((await c.stackOf('cfnr-node-fail'))?.StackStatus).toBe('ROLLBACK_COMPLETE');
    const failed = await failedEvent('cfnr-node-fail');
    expect(failed?.LogicalResourceId).toBe('NodeGreeter');
    expect(failed?.ResourceStatusReason).toMatch(
      /Message returned: See the details in CloudWatch Log Stream: \d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}/,
    );
  }, 180_000);

  it('Python send FAILED with a reason: the stack rolls back with that reason', async () => {
    await c.cfn.send(
      new CreateStackCommand({
        StackName: 'cfnr-py-fail',
        TemplateBody: template({ node: false, python: true }),
      }),
    );
    await expect(
      waitUntilStackCreateComplete({ client: c.cfn, ...STACK_WAIT }, { StackName: 'cfnr-py-fail' }),
    ).rejects.toThrow();
    expect((await c.stackOf('cfnr-py-fail'))?.StackStatus).toBe('ROLLBACK_COMPLETE');
    const failed = await failedEvent('cfnr-py-fail');
    expect(failed?.LogicalResourceId).toBe('PythonGreeter');
    expect(failed?.ResourceStatusReason).toContain('Message returned: python says no to Grace');
  }, 180_000);
});
