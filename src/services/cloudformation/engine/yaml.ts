/**
 * CloudFormation templates written in YAML (the CDK CLI submits its bootstrap template so), with the short-form
 * intrinsic tags (`!Ref`, `!Sub`, `!GetAtt a.b`, `!If [...]`) turned into their long form.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */
import type * as Yaml from 'yaml';
import { lazyRequire } from '../../../shared/lazy.js';

/** Only YAML templates need the parser (the CDK's are JSON). */
const yaml = lazyRequire<typeof Yaml>('yaml');

const FUNCTIONS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
  'Contains',
  'EachMemberEquals',
  'EachMemberIn',
  'RefAll',
  'ValueOf',
  'ValueOfAll',
  'Length',
  'ToJsonString',
];

type Node = { toJSON(): unknown };

function tagsFor(name: string, key: string, scalar: (s: string) => unknown = (s) => s): Yaml.Tags {
  const wrap = (v: unknown) => ({ [key]: v });
  return [
    { tag: `!${name}`, resolve: (s: string) => wrap(scalar(s)) },
    { tag: `!${name}`, collection: 'seq', resolve: (n: unknown) => wrap((n as Node).toJSON()) },
    { tag: `!${name}`, collection: 'map', resolve: (n: unknown) => wrap((n as Node).toJSON()) },
  ] as Yaml.Tags;
}

const CUSTOM_TAGS: Yaml.Tags = [
  ...tagsFor('Ref', 'Ref'),
  ...tagsFor('Condition', 'Condition'),
  ...tagsFor('GetAtt', 'Fn::GetAtt', (s) => {
    const dot = s.indexOf('.');
    return dot < 0 ? s : [s.slice(0, dot), s.slice(dot + 1)];
  }),
  ...FUNCTIONS.flatMap((f) => tagsFor(f, `Fn::${f}`)),
];

/** The YAML template as an object; throws the parser's error for malformed YAML. */
export function parseYamlTemplate(body: string): unknown {
  return yaml().parse(body, { customTags: CUSTOM_TAGS, maxAliasCount: 100, prettyErrors: false });
}
