/**
 * Lambda's published versions and aliases. A version is an immutable snapshot of the function's code and
 * configuration at PublishVersion; invoking it (a `Qualifier`, `name:3` or a qualified ARN) runs that snapshot, in
 * execution environments of its own. An alias points at a version (or `$LATEST`); its RoutingConfig sends a share
 * of Invoke's invocations to a second version (../api/control.ts `routed`). GetFunction and
 * GetFunctionConfiguration read a version's configuration, or the one an alias points at.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-aliases.html
 */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { AwsError, type OperationRegistry } from '../../../protocols/index.js';
import type { Alias, LambdaControl } from './control.js';
import { functionArn, invalidParameter, type LambdaApiDeps, notFound, requireFunction } from './deps.js';

const user = (code: string, message: string, status: number) =>
  new AwsError(code, message, status, { Type: 'User' });

/**
 * Publishes the function's current code and configuration (`current`, as GetFunctionConfiguration reports it) as
 * a new version, unless nothing changed since the last one: then Lambda returns that one.
 */
export function publishVersion(
  d: LambdaApiDeps,
  c: LambdaControl,
  name: string,
  current: FunctionConfiguration,
  description?: string,
): FunctionConfiguration {
  const e = c.of(name);
  const spec = requireFunction(d, name).spec;
  const last = e.versions.at(-1);
  const lastSpec = last === undefined ? undefined : e.specs.get(last.Version as string);
  if (
    last &&
    JSON.stringify(lastSpec) === JSON.stringify(spec) &&
    last.CodeSha256 === current.CodeSha256 &&
    last.Description === (description ?? current.Description)
  ) {
    return last;
  }
  const version = String(++e.lastVersion);
  const v: FunctionConfiguration = {
    ...current,
    Version: version,
    FunctionArn: `${functionArn(d, name)}:${version}`,
    ...(description !== undefined ? { Description: description } : {}),
  };
  e.versions.push(v);
  e.specs.set(version, structuredClone(spec));
  c.publishedChanged();
  return v;
}

/**
 * The configuration GetFunctionConfiguration gives for a qualifier: a version's, as published (`Version`, the
 * qualified FunctionArn); for an alias, the configuration of the version it points at, under the alias's ARN. A
 * version or alias the function does not have is ResourceNotFoundException, as Invoke answers.
 */
export function qualifiedConfiguration(
  d: LambdaApiDeps,
  c: LambdaControl,
  name: string,
  qualifier: string,
  latest: (name: string) => FunctionConfiguration,
): FunctionConfiguration {
  const e = c.of(name);
  const find = (version: string) =>
    version === '$LATEST' ? latest(name) : e.versions.find((v) => v.Version === version);
  if (/^\d+$/.test(qualifier)) {
    const v = find(qualifier);
    if (v === undefined) throw notFound(d, name, qualifier);
    return v;
  }
  const alias = e.aliases.get(qualifier);
  const v = alias === undefined ? undefined : find(alias.FunctionVersion);
  if (v === undefined) throw notFound(d, name, qualifier);
  return { ...v, FunctionArn: `${functionArn(d, name)}:${qualifier}` };
}

/** PublishVersion, ListVersionsByFunction and the alias operations. */
export function versionOperations(
  d: LambdaApiDeps,
  c: LambdaControl,
  nameOf: (functionName: string) => string,
  config: (name: string) => FunctionConfiguration,
): OperationRegistry {
  const aliasOut = (name: string, a: Alias) => ({ ...a, AliasArn: `${functionArn(d, name)}:${a.Name}` });
  const requireVersion = (name: string, version: string) => {
    if (version !== '$LATEST' && !c.of(name).specs.has(version)) {
      throw user('ResourceNotFoundException', `Function not found: ${functionArn(d, name)}:${version}`, 404);
    }
  };
  const requireAlias = (name: string, alias: string): Alias => {
    const a = c.of(name).aliases.get(alias);
    if (!a) throw user('ResourceNotFoundException', `Alias not found: ${functionArn(d, name)}:${alias}`, 404);
    return a;
  };
  /**
   * An alias's RoutingConfig as Lambda allows it: one additional version, published and other than FunctionVersion,
   * which must be published too (not `$LATEST`), both with the same execution role.
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html
   */
  const checkRouting = (name: string, a: Alias) => {
    const versions = Object.keys(a.RoutingConfig?.AdditionalVersionWeights ?? {});
    if (versions.length === 0) return;
    // [unverified] The messages below are ours: the documentation states the rules, not Lambda's wording.
    if (versions.length > 1)
      throw invalidParameter('An alias can point to at most two versions: give one additional version.');
    const other = versions[0] as string;
    if (a.FunctionVersion === '$LATEST' || other === '$LATEST')
      throw invalidParameter('An alias with a routing configuration cannot point to $LATEST.');
    if (other === a.FunctionVersion)
      throw invalidParameter('The additional version must differ from the alias FunctionVersion.');
    requireVersion(name, other);
    const roleOf = (v: string) => c.of(name).versions.find((x) => x.Version === v)?.Role;
    if (roleOf(other) !== roleOf(a.FunctionVersion))
      throw invalidParameter('Both versions of an alias must have the same execution role.');
  };
  return {
    ListVersionsByFunction: async (i) => {
      const name = nameOf(i.FunctionName);
      return { Versions: [config(name), ...c.of(name).versions] };
    },
    PublishVersion: async (i) => {
      const name = nameOf(i.FunctionName);
      return publishVersion(d, c, name, config(name), i.Description);
    },
    CreateAlias: async (i) => {
      const name = nameOf(i.FunctionName);
      const e = c.of(name);
      if (e.aliases.has(i.Name))
        throw user(
          'ResourceConflictException',
          `Alias already exists: ${functionArn(d, name)}:${i.Name}`,
          409,
        );
      requireVersion(name, i.FunctionVersion);
      const a: Alias = {
        Name: i.Name,
        FunctionVersion: i.FunctionVersion,
        Description: i.Description ?? '',
        RevisionId: crypto.randomUUID(),
        ...(i.RoutingConfig !== undefined ? { RoutingConfig: i.RoutingConfig } : {}),
      };
      checkRouting(name, a);
      e.aliases.set(i.Name, a);
      c.publishedChanged();
      return aliasOut(name, a);
    },
    GetAlias: async (i) => {
      const name = nameOf(i.FunctionName);
      return aliasOut(name, requireAlias(name, i.Name));
    },
    UpdateAlias: async (i) => {
      const name = nameOf(i.FunctionName);
      const a = requireAlias(name, i.Name);
      if (i.FunctionVersion !== undefined) requireVersion(name, i.FunctionVersion);
      const next: Alias = {
        ...a,
        ...(i.FunctionVersion !== undefined ? { FunctionVersion: i.FunctionVersion } : {}),
        ...(i.Description !== undefined ? { Description: i.Description } : {}),
        ...(i.RoutingConfig !== undefined ? { RoutingConfig: i.RoutingConfig } : {}),
      };
      checkRouting(name, next);
      Object.assign(a, next, { RevisionId: crypto.randomUUID() });
      c.publishedChanged();
      return aliasOut(name, a);
    },
    DeleteAlias: async (i) => {
      c.of(nameOf(i.FunctionName)).aliases.delete(i.Name);
      c.publishedChanged();
      return {};
    },
    ListAliases: async (i) => {
      const name = nameOf(i.FunctionName);
      return { Aliases: [...c.of(name).aliases.values()].map((a) => aliasOut(name, a)) };
    },
  };
}
