/**
 * The shapes of a CloudFormation template as the local cloud reads it, and the placeholder for values that only
 * exist in a real AWS account.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html
 */
import { TemplateError } from './errors.js';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  Condition?: string;
}

export interface CfnParameter {
  Type?: string;
  Default?: unknown;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Parameters?: Record<string, CfnParameter>;
  Conditions?: Record<string, unknown>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Outputs?: Record<string, { Value?: unknown; Condition?: string }>;
  Transform?: unknown;
}

export interface ResolverOptions {
  stackName: string;
  region: string;
  accountId: string;
  /** Values for template parameters; a parameter not given here takes its Default. */
  parameters?: Readonly<Record<string, string>> | undefined;
}

/** `Ref: AWS::NoValue`: removes the property or list element that holds it. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/**
 * Values that exist only in a real AWS account (a generated client secret, an SSM parameter, an unknown
 * attribute) resolve to a string with this prefix. It is harmless in properties nothing reads; fields the
 * local cloud relies on are checked with {@link assertResolved}.
 */
export const UNRESOLVED_PREFIX = '{{gatehouse:unresolved:';

export const unresolved = (what: string) => `${UNRESOLVED_PREFIX}${what}}}`;

/** Throws a TemplateError naming the resource and property when `value` still holds an unresolved placeholder. */
export function assertResolved(
  value: unknown,
  logicalId: string,
  property: string,
  /** How to name the resource, e.g. `Resource X (AWS::Type)`; default `Resource X`. */
  at = `Resource ${logicalId}`,
): void {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  const pos = text.indexOf(UNRESOLVED_PREFIX);
  if (pos >= 0) {
    const what = text.slice(pos + UNRESOLVED_PREFIX.length, text.indexOf('}}', pos));
    throw new TemplateError(
      `${at}: ${property} depends on ${what}, which has no value outside AWS`,
      logicalId,
    );
  }
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Partition and URL suffix by region, as the pseudo parameters AWS::Partition and AWS::URLSuffix give them. */
export function partitionOf(region: string): { partition: string; urlSuffix: string } {
  if (region.startsWith('cn-')) return { partition: 'aws-cn', urlSuffix: 'amazonaws.com.cn' };
  if (region.startsWith('us-gov-')) return { partition: 'aws-us-gov', urlSuffix: 'amazonaws.com' };
  return { partition: 'aws', urlSuffix: 'amazonaws.com' };
}
