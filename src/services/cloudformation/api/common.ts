/** Helpers the CloudFormation operations share: errors, paging, the stack lookup and the template source. */
import { AwsError } from '../../../protocols/index.js';
import type { CloudFormationEngine } from '../engine/engine.js';
import type { EngineTargets } from '../engine/targets.js';
import type { Stack } from '../engine/types.js';

export interface CloudFormationDeps {
  engine: CloudFormationEngine;
  targets: EngineTargets;
  /** Maps AWS URLs in outputs to their local counterparts (at read time: the local URLs exist by then). */
  localize(value: string): string;
}

/** CloudFormation's answer for a stack it does not have, which the CDK CLI matches exactly. */
export const noStack = (name: string) =>
  new AwsError('ValidationError', `Stack with id ${name} does not exist`);

export const invalid = (m: string) => new AwsError('ValidationError', m);

export function requireStack(d: CloudFormationDeps, nameOrId: string | undefined): Stack {
  if (nameOrId === undefined)
    throw invalid(
      "1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null",
    );
  const s = d.engine.store.find(nameOrId);
  if (!s || (s.status === 'DELETE_COMPLETE' && s.stackId !== nameOrId)) throw noStack(nameOrId);
  return s;
}

export function pageOf<T>(
  rows: readonly T[],
  token: string | undefined,
  size = 100,
): { rows: T[]; next?: string } {
  let start = 0;
  if (token !== undefined) {
    start = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw invalid('Invalid NextToken');
  }
  const next =
    start + size < rows.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
  return { rows: rows.slice(start, start + size), ...(next !== undefined ? { next } : {}) };
}

/**
 * The template body of a request: `TemplateBody`, or the object `TemplateURL` names. The bucket and key come from the
 * URL's path (or its virtual host), whatever the host, so `https://s3.<region>.amazonaws.com/<bucket>/<key>` is read
 * from the local S3 too.
 */
export function templateBodyOf(
  d: CloudFormationDeps,
  input: { TemplateBody?: string; TemplateURL?: string },
): string {
  if (input.TemplateBody !== undefined && input.TemplateURL !== undefined) {
    throw invalid('Specify exactly one of TemplateBody or TemplateUrl.');
  }
  if (input.TemplateBody !== undefined) return input.TemplateBody;
  if (input.TemplateURL === undefined)
    throw invalid('Either Template URL or Template Body must be specified.');
  let url: URL;
  try {
    url = new URL(input.TemplateURL);
  } catch {
    throw invalid('TemplateURL must be a supported URL.');
  }
  const path = decodeURIComponent(url.pathname).replace(/^\//, '');
  const vhost =
    /^(.+?)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com$/.exec(url.hostname) ??
    /^(.+)\.localhost$/.exec(url.hostname);
  const [bucket, key] = vhost
    ? [vhost[1] as string, path]
    : [path.split('/')[0] ?? '', path.split('/').slice(1).join('/')];
  if (!bucket || !key) throw invalid('TemplateURL must be a supported URL.');
  const body = d.targets.s3?.readObject(bucket, key);
  if (!body) throw invalid(`S3 error: The specified key does not exist. (${bucket}/${key})`);
  return body.toString('utf8');
}
