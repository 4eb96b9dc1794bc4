/**
 * Reading resource properties, once their intrinsics are resolved: each reader checks the type the local cloud
 * needs and throws a TemplateError naming the resource and property otherwise.
 */
import { functionNameOf } from '../../shared/invoker.js';
import { TemplateError } from './errors.js';
import type { Resolver } from './intrinsics.js';
import { assertResolved } from './template.js';

export { isRecord } from './template.js';

/** What the readers share while one template is read. */
export interface Ctx {
  r: Resolver;
  warnings: string[];
  functionNames: Set<string>;
  /** Functions a trigger, integration or authorizer refers to. */
  used: Set<string>;
}

export function fail(r: Resolver, logicalId: string, why: string): never {
  throw new TemplateError(`${r.at(logicalId)}: ${why}`, logicalId);
}

export function requireString(r: Resolver, id: string, value: unknown, property: string): string {
  assertResolved(value, id, property, r.at(id));
  if (typeof value !== 'string' || value === '') fail(r, id, `${property} must be a non-empty string`);
  return value;
}

export function optionalString(
  r: Resolver,
  id: string,
  value: unknown,
  property: string,
): string | undefined {
  return value === undefined ? undefined : requireString(r, id, value, property);
}

export function stringList(r: Resolver, id: string, value: unknown, property: string): string[] {
  if (value === undefined) return [];
  assertResolved(value, id, property, r.at(id));
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    fail(r, id, `${property} must be a list of strings`);
  }
  return value;
}

export function numberOr(r: Resolver, id: string, value: unknown, property: string, dflt: number): number {
  if (value === undefined) return dflt;
  // Parameters resolve to strings, so `"30"` is a number here as it is in CloudFormation.
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) fail(r, id, `${property} must be a number`);
  return n;
}

export function booleanOr(r: Resolver, id: string, value: unknown, property: string, dflt: boolean): boolean {
  if (value === undefined) return dflt;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return fail(r, id, `${property} must be true or false`);
}

/** A Lambda function name from a function ARN, an API Gateway invocation ARN, or a bare name. */
export function lambdaName(ctx: Ctx, id: string, value: unknown, property: string): string {
  const text = requireString(ctx.r, id, value, property);
  const invocation = /^arn:[^:]+:apigateway:[^:]*:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/.exec(
    text,
  );
  const name = functionNameOf(invocation?.[1] ?? text);
  if (!ctx.functionNames.has(name)) {
    fail(ctx.r, id, `${property} refers to function ${name}, which is not a function of this stack`);
  }
  ctx.used.add(name);
  return name;
}
