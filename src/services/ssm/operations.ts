/**
 * SSM Parameter Store operations (awsJson 1.1, `X-Amz-Target: AmazonSSM.*`): the ones the CDK CLI and
 * CloudFormation's `AWS::SSM::Parameter::Value<String>` parameters read, and the writes that go with them.
 * SecureString values are stored as given (no KMS); `WithDecryption` is accepted and has no effect.
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Operations.html
 */
import { AwsError, type OperationRegistry } from '../../protocols/index.js';
import type { Clock } from '../../shared/clock.js';
import type { ParameterStore, StoredParameter } from './store.js';

export interface SsmDeps {
  store: ParameterStore;
  clock: Clock;
  region: string;
  accountId: string;
}

interface NameInput {
  Name: string;
  WithDecryption?: boolean;
}
interface PutInput {
  Name: string;
  Value: string;
  Type?: StoredParameter['type'];
  Overwrite?: boolean;
  Description?: string;
  AllowedPattern?: string;
  Tier?: string;
  DataType?: string;
}
interface ByPathInput {
  Path: string;
  Recursive?: boolean;
  MaxResults?: number;
  NextToken?: string;
}

/** The `Name` a reader asks for: a plain name, a full parameter ARN, or `name:version`. */
function parseName(raw: string): { name: string; version: number | undefined } {
  const arn = /^arn:[^:]+:ssm:[^:]*:[^:]*:parameter(\/.*)$/.exec(raw);
  let name = arn ? (arn[1] as string) : raw;
  // An ARN keeps the leading slash only for hierarchical names: `parameter/a/b` is `/a/b`, `parameter/x` is `x`.
  if (arn && name.split('/').length === 2) name = name.slice(1);
  const sel = /^(.*):(\d+)$/.exec(name);
  return sel ? { name: sel[1] as string, version: Number(sel[2]) } : { name, version: undefined };
}

const notFound = () => new AwsError('ParameterNotFound', '');

export function parameterArn(d: SsmDeps, name: string): string {
  return `arn:aws:ssm:${d.region}:${d.accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
}

function view(d: SsmDeps, p: StoredParameter, selector?: string) {
  return {
    Name: p.name,
    Type: p.type,
    Value: p.value,
    Version: p.version,
    ...(selector !== undefined ? { Selector: selector } : {}),
    LastModifiedDate: new Date(p.lastModified),
    ARN: parameterArn(d, p.name),
    DataType: p.dataType,
  };
}

/** Reads one parameter; a version selector must name the current version (history is not kept). */
function read(d: SsmDeps, raw: string): ReturnType<typeof view> | undefined {
  const { name, version } = parseName(raw);
  const p = d.store.get(name);
  if (!p || (version !== undefined && version !== p.version)) return undefined;
  return view(d, p, version !== undefined ? `:${version}` : undefined);
}

/** Creates or overwrites a parameter, as PutParameter and the CloudFormation engine's AWS::SSM::Parameter do. */
export function putParameter(d: SsmDeps, input: PutInput): { Version: number; Tier: string } {
  const name = input.Name;
  if (name.split('/').length > 16) {
    throw new AwsError('HierarchyLevelLimitExceededException', 'Parameter name hierarchy is too deep');
  }
  if (name.includes('/') && !name.startsWith('/')) {
    throw new AwsError('ValidationException', 'Parameter name: a hierarchical name must begin with a slash');
  }
  if (/^\/?(aws|ssm)/i.test(name)) {
    throw new AwsError(
      'ValidationException',
      'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).',
    );
  }
  const old = d.store.get(name);
  if (old && !input.Overwrite) {
    throw new AwsError(
      'ParameterAlreadyExists',
      'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
    );
  }
  if (input.AllowedPattern !== undefined && !new RegExp(input.AllowedPattern).test(input.Value)) {
    throw new AwsError(
      'ParameterPatternMismatchException',
      `Parameter value, cannot be validated against allowedPattern: ${input.AllowedPattern}`,
    );
  }
  const type = input.Type ?? old?.type;
  if (type === undefined) {
    throw new AwsError('ValidationException', 'A parameter type is required when you create a parameter.');
  }
  const p: StoredParameter = {
    name,
    type,
    value: input.Value,
    version: (old?.version ?? 0) + 1,
    lastModified: d.clock.now(),
    dataType: input.DataType ?? old?.dataType ?? 'text',
    tier: input.Tier ?? old?.tier ?? 'Standard',
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    ...(input.AllowedPattern !== undefined ? { allowedPattern: input.AllowedPattern } : {}),
  };
  d.store.put(p);
  return { Version: p.version, Tier: p.tier };
}

/** The current value of a parameter, for the CloudFormation engine; undefined when it does not exist. */
export function parameterValue(d: SsmDeps, name: string): string | undefined {
  return read(d, name)?.Value;
}

function page(token: string | undefined): number {
  if (token === undefined) return 0;
  const n = Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(n) || n < 0) throw new AwsError('ValidationException', 'The nextToken is not valid.');
  return n;
}

export function ssmOperations(d: SsmDeps): OperationRegistry {
  return {
    /** @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html */
    GetParameter: async (input: NameInput) => {
      const p = read(d, input.Name);
      if (!p) throw notFound();
      return { Parameter: p };
    },
    /** @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameters.html */
    GetParameters: async (input: { Names: string[] }) => {
      const found: ReturnType<typeof view>[] = [];
      const invalid: string[] = [];
      for (const n of new Set(input.Names)) {
        const p = read(d, n);
        if (p) found.push(p);
        else invalid.push(n);
      }
      return { Parameters: found, InvalidParameters: invalid };
    },
    /** @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html */
    PutParameter: async (input: PutInput) => putParameter(d, input),
    /** @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DeleteParameter.html */
    DeleteParameter: async (input: NameInput) => {
      if (!d.store.delete(input.Name)) throw notFound();
      return {};
    },
    /** @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html */
    GetParametersByPath: async (input: ByPathInput) => {
      const base = input.Path.endsWith('/') ? input.Path : `${input.Path}/`;
      if (!input.Path.startsWith('/')) {
        throw new AwsError('ValidationException', 'The parameter path must begin with a slash');
      }
      const rows = d.store.all().filter((p) => {
        if (input.Path === '/') return input.Recursive || p.name.lastIndexOf('/') === 0;
        if (!p.name.startsWith(base)) return false;
        return input.Recursive === true || !p.name.slice(base.length).includes('/');
      });
      const start = page(input.NextToken);
      const max = input.MaxResults ?? 10;
      return {
        Parameters: rows.slice(start, start + max).map((p) => view(d, p)),
        ...(start + max < rows.length
          ? { NextToken: Buffer.from(String(start + max)).toString('base64url') }
          : {}),
      };
    },
  };
}
