import { describe, expect, it } from 'vitest';
import { creationOrder } from './graph.js';

describe('creationOrder', () => {
  it('puts every resource after what it refers to by Ref, GetAtt, Sub and DependsOn', () => {
    const order = creationOrder({
      Resources: {
        Route: {
          Type: 'R',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
          Properties: { Target: { 'Fn::Sub': 'integrations/${Integration}' }, Api: { Ref: 'Api' } },
        },
        Integration: { Type: 'I', Properties: { Uri: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
        Fn: { Type: 'F', Properties: { Role: { 'Fn::GetAtt': 'Role.Arn' } } },
        Role: { Type: 'R' },
        Api: { Type: 'A', DependsOn: ['Role'] } as never,
      },
    });
    const at = (id: string) => order.indexOf(id);
    expect(at('Role')).toBeLessThan(at('Fn'));
    expect(at('Fn')).toBeLessThan(at('Integration'));
    expect(at('Integration')).toBeLessThan(at('Route'));
    expect(at('Api')).toBeLessThan(at('Route'));
    expect(at('Role')).toBeLessThan(at('Api'));
  });

  it('ignores Sub variables and parameters that are not resources', () => {
    const order = creationOrder({
      Parameters: { Stage: {} },
      Resources: {
        A: {
          Type: 'X',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
          Properties: { N: { 'Fn::Sub': ['${Local}-${Stage}-${AWS::Region}', { Local: 'x' }] } },
        },
      },
    });
    expect(order).toEqual(['A']);
  });

  it('reports a cycle with the resources in it', () => {
    expect(() =>
      creationOrder({
        Resources: {
          A: { Type: 'X', Properties: { B: { Ref: 'B' } } },
          B: { Type: 'X', Properties: { A: { Ref: 'A' } } },
        },
      }),
    ).toThrow(/Circular dependency between resources: \[A, B\]/);
  });
});
