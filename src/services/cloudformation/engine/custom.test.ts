import { describe, expect, it } from 'vitest';
import type { FunctionInvoker } from '../../../shared/invoker.js';
import { Resolver } from '../intrinsics.js';
import { type CustomResourceContext, ResponseInbox, runCustomResource } from './custom.js';
import type { ProviderRequest } from './providers.js';
import type { Stack } from './types.js';

const TOKEN = 'arn:aws:lambda:us-east-1:000000000000:function:provider';

/** A custom resource request whose handler `behave`s with the token of its ResponseURL. */
function request(behave: (inbox: ResponseInbox, key: string) => void, ok = true): ProviderRequest {
  const inbox = new ResponseInbox();
  const custom: CustomResourceContext = {
    inbox,
    responseUrl: (key) => `https://response.s3.amazonaws.com/r/${key}`,
    responseTimeoutMs: 50,
    prepare: async () => {},
  };
  const invoker: FunctionInvoker = {
    invoke: async (_name, event) => {
      behave(
        inbox,
        String((event as { ResponseURL: string }).ResponseURL)
          .split('/')
          .pop() as string,
      );
      return ok
        ? { ok: true, payload: null }
        : ({ ok: false, kind: 'Unhandled', errorType: 'Error', errorMessage: 'boom' } as never);
    },
  } as FunctionInvoker;
  const template = { Resources: { Thing: { Type: 'Custom::Thing', Properties: { ServiceToken: TOKEN } } } };
  return {
    stack: { stackId: 'arn:stack', stackName: 's' } as Stack,
    logicalId: 'Thing',
    type: 'Custom::Thing',
    properties: { ServiceToken: TOKEN },
    resolver: new Resolver(template, { stackName: 's', region: 'us-east-1', accountId: '000000000000' }),
    targets: { invoker },
    custom,
    assetBaseDir: undefined,
  };
}

describe('custom resources', () => {
  it('takes the response the handler sent, even one that arrives after the handler returned', async () => {
    const r = request((inbox, key) => {
      setTimeout(
        () => inbox.deliver(key, { Status: 'SUCCESS', PhysicalResourceId: 'late', Data: { A: 1 } }),
        5,
      );
    });
    await expect(runCustomResource('Create', r)).resolves.toEqual({
      physicalId: 'late',
      attributes: { A: 1 },
    });
  });

  it('fails the resource when no response arrives in time, or the handler failed without one', async () => {
    await expect(
      runCustomResource(
        'Create',
        request(() => {}),
      ),
    ).rejects.toThrow(
      'Custom resource handler did not send a response to the ResponseURL (the function returned and no response came within 0.05 seconds)',
    );
    await expect(
      runCustomResource(
        'Create',
        request(() => {}, false),
      ),
    ).rejects.toThrow('the function failed: Error: boom');
  });

  it("fails the resource with the handler's reason when it answers FAILED", async () => {
    const r = request((inbox, key) => inbox.deliver(key, { Status: 'FAILED', Reason: 'no bucket' }));
    await expect(runCustomResource('Delete', r)).rejects.toThrow(
      'Received response status [FAILED] from custom resource. Message returned: no bucket',
    );
  });
});
