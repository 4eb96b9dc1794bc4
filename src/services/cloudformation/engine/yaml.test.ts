import { expect, it } from 'vitest';
import { parseYamlTemplate } from './yaml.js';

it('reads a YAML template with the short-form intrinsic tags as their long form', () => {
  expect(
    parseYamlTemplate(`Resources:
  A:
    Type: X
    Properties:
      N: !Ref P
      S: !Sub '\${AWS::Region}-x'
      G: !GetAtt B.Arn
      I: !If [C, 1, !Ref AWS::NoValue]
      J:
        Fn::Join: ['', [a, b]]
`),
  ).toEqual({
    Resources: {
      A: {
        Type: 'X',
        Properties: {
          N: { Ref: 'P' },
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
          S: { 'Fn::Sub': '${AWS::Region}-x' },
          G: { 'Fn::GetAtt': ['B', 'Arn'] },
          I: { 'Fn::If': ['C', 1, { Ref: 'AWS::NoValue' }] },
          J: { 'Fn::Join': ['', ['a', 'b']] },
        },
      },
    },
  });
});
