import { describe, expect, it } from 'vitest';
import type { FunctionSpec } from '../../cloudformation/types.js';
import type { FunctionRegistry } from '../functions/registry.js';
import { LambdaControl, routed } from './control.js';
import type { LambdaApiDeps } from './deps.js';
import { lambdaOperations } from './registry.js';

/** A random source that gives these numbers in turn. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length] as number;
};

const spec = (name: string): FunctionSpec => ({
  logicalId: name,
  name,
  arn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
  handler: 'index.handler',
  runtime: 'nodejs22.x',
  codeDir: '/nowhere',
  timeout: 3,
  memorySize: 128,
  environment: {},
});

describe("an alias's weighted routing", () => {
  const alias = {
    Name: 'live',
    FunctionVersion: '1',
    Description: '',
    RevisionId: 'r',
    RoutingConfig: { AdditionalVersionWeights: { '2': 0.3 } },
  };

  it('sends a draw below the weight to the additional version, the rest to FunctionVersion', () => {
    const random = sequence(0, 0.29, 0.3, 0.99);
    expect([1, 2, 3, 4].map(() => routed(alias, random))).toEqual(['2', '2', '1', '1']);
    expect(routed({ ...alias, RoutingConfig: {} }, () => 0)).toBe('1');
    expect(routed({ ...alias, RoutingConfig: { AdditionalVersionWeights: { '2': 0 } } }, () => 0)).toBe('1');
  });

  it('Invoke runs the version drawn and reports it as ExecutedVersion', async () => {
    const targets: string[] = [];
    const control = new LambdaControl(undefined, undefined, undefined, sequence(0.1, 0.5, 0.2, 0.7));
    const e = control.of('fn');
    e.specs.set('1', spec('fn'));
    e.specs.set('2', spec('fn'));
    e.aliases.set('live', alias);
    const d: LambdaApiDeps = {
      registry: {
        get: (name: string) => (name === 'fn' ? { spec: spec('fn') } : undefined),
      } as FunctionRegistry,
      invoker: {
        invoke: async (target) => {
          targets.push(target);
          return { ok: true, payload: { ran: target }, requestId: 'id', durationMs: 1, coldStart: false };
        },
      },
      codeSource: async () => new Uint8Array(),
      region: 'us-east-1',
      accountId: '123456789012',
      log: { warn() {} },
    };
    const invoke = lambdaOperations(d, control).Invoke as (
      i: unknown,
    ) => Promise<{ ExecutedVersion?: string }>;
    const executed: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++)
      executed.push((await invoke({ FunctionName: 'fn', Qualifier: 'live' })).ExecutedVersion);
    expect(executed).toEqual(['2', '1', '2', '1']);
    expect(targets).toEqual(['fn:2', 'fn:1', 'fn:2', 'fn:1']);
    // A version number is not routed.
    expect((await invoke({ FunctionName: 'fn:1' })).ExecutedVersion).toBe('1');
  });

  it('the runtime gets the same routing for invocations of the alias that do not go through Invoke', () => {
    const control = new LambdaControl(undefined, undefined, undefined, sequence(0.5, 0.1));
    control.of('fn').aliases.set('live', alias);
    const pick = control.published().aliases.get('fn')?.get('live');
    expect([pick?.(), pick?.(), pick?.()]).toEqual(['1', '2', '1']);
  });
});
