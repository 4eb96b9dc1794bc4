/**
 * Pools described by a topology (tests and `startIdp({ topology })`) created through the service's internal
 * operations, and the view of the stacks' pools that endpoints.json and the start-up summary show.
 */
import {
  groupRequest,
  managedLoginBrandingRequest,
  resourceServerRequest,
  userPoolRequest,
} from '../cloudformation/index.js';
import type { Topology, UserPoolSpec } from '../cloudformation/types.js';
import { type CognitoInternal, cognitoInternal } from './internal.js';
import type { IdpService } from './service/index.js';

/** What endpoints.json and the start-up summary show for one pool. */
export interface ProvisionedPool {
  logicalId: string;
  id: string;
  name: string;
  issuer: string;
  jwksUri: string;
  domain: string | undefined;
  clients: {
    logicalId: string;
    id: string;
    name: string;
    secret: string | null;
    callbackUrls: string[];
    logoutUrls: string[];
  }[];
}

const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/**
 * Creates or updates each pool of the topology, idempotently, with the same internal operations as the
 * CloudFormation engine's providers: the pool (its id comes from the template), its clients (a secret is generated
 * once when GenerateSecret is set, then kept), groups, resource servers, domain prefix and branding. Users are
 * never touched.
 */
export async function provisionUserPools(
  service: IdpService,
  topology: Pick<Topology, 'userPools'>,
): Promise<ProvisionedPool[]> {
  const cognito = cognitoInternal(service);
  for (const spec of topology.userPools) await provisionPool(cognito, spec);
  return poolsView(
    service,
    topology.userPools.map((spec) => ({
      logicalId: spec.logicalId,
      id: spec.id,
      domain: spec.domain?.prefix,
      clients: spec.clients.map((c) => ({ logicalId: c.logicalId, id: c.id })),
    })),
  );
}

async function provisionPool(cognito: CognitoInternal, spec: UserPoolSpec): Promise<void> {
  await cognito.putUserPool(spec.id, userPoolRequest(spec.name, spec.properties));
  for (const c of spec.clients) {
    const { UserPoolId: _pool, ...props } = c.properties as Record<string, unknown>;
    cognito.putUserPoolClient(spec.id, c.id, props);
  }
  for (const g of spec.groups) {
    cognito.putGroup(spec.id, groupRequest(String(g.properties.GroupName ?? g.logicalId), g.properties));
  }
  for (const r of spec.resourceServers)
    cognito.putResourceServer(spec.id, resourceServerRequest(r.properties));
  if (spec.domain) cognito.putUserPoolDomain(spec.id, spec.domain.prefix, false);
  // Classic customization needs the domain; the logo is not a template property.
  for (const c of spec.uiCustomizations ?? []) cognito.setUICustomization(spec.id, c.clientId, c.css);
  for (const b of spec.managedLoginBrandings ?? []) {
    cognito.putManagedLoginBranding(spec.id, b.clientId, managedLoginBrandingRequest(b.properties));
  }
}

/** One stack resource as the view needs it (the CloudFormation engine's ResourceState has these fields). */
export interface StackResource {
  logicalId: string;
  type: string;
  physicalId: string;
  properties: Record<string, unknown>;
}

/**
 * The stacks' pools as the service has them now, for endpoints.json and the summary: each AWS::Cognito::UserPool
 * the service serves, with the stacks' clients of it (template order) and its domain. Pools made through the API are
 * not listed.
 */
export function stackPools(service: IdpService, resources: readonly StackResource[]): ProvisionedPool[] {
  const of = (type: string) => resources.filter((r) => r.type === `AWS::Cognito::${type}`);
  const poolOf = (r: StackResource) => r.properties.UserPoolId;
  return poolsView(
    service,
    of('UserPool').map((p) => ({
      logicalId: p.logicalId,
      id: p.physicalId,
      domain: service.pools.domainOf(p.physicalId),
      clients: of('UserPoolClient')
        .filter((c) => poolOf(c) === p.physicalId)
        .map((c) => ({ logicalId: c.logicalId, id: c.physicalId })),
    })),
  );
}

function poolsView(
  service: IdpService,
  pools: {
    logicalId: string;
    id: string;
    domain: string | undefined;
    clients: { logicalId: string; id: string }[];
  }[],
): ProvisionedPool[] {
  const urls = service.urls;
  const out: ProvisionedPool[] = [];
  for (const p of pools) {
    const pool = service.findPool(p.id);
    if (!pool) continue;
    const clients: ProvisionedPool['clients'] = [];
    for (const c of p.clients) {
      const client = service.findClient(c.id);
      if (!client || client.poolId !== pool.id) continue;
      clients.push({
        logicalId: c.logicalId,
        id: client.id,
        name: client.name,
        secret: client.secret ?? null,
        callbackUrls: strs(client.config.CallbackURLs),
        logoutUrls: strs(client.config.LogoutURLs),
      });
    }
    out.push({
      logicalId: p.logicalId,
      id: pool.id,
      name: pool.name,
      issuer: urls.issuer(pool.id),
      jwksUri: urls.jwksUri(pool.id),
      domain: p.domain,
      clients,
    });
  }
  return out;
}
