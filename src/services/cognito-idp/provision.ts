import type { AssetType } from '@aws-sdk/client-cognito-identity-provider';
import type { Topology, UserPoolSpec } from '../cloudformation/types.js';
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

/** The template's passkey properties (WebAuthnRelyingPartyID, WebAuthnUserVerification) in the API's form. */
function templatePoolConfig(props: Record<string, unknown>): Record<string, unknown> {
  const { WebAuthnRelyingPartyID: rp, WebAuthnUserVerification: uv, ...rest } = props;
  if (rp === undefined && uv === undefined) return rest;
  return {
    ...rest,
    WebAuthnConfiguration: {
      ...(typeof rp === 'string' ? { RelyingPartyId: rp } : {}),
      ...(typeof uv === 'string' ? { UserVerification: uv } : {}),
    },
  };
}

const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
const numOrUndef = (v: unknown): number | undefined => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

/**
 * The template's branding, after the domain (classic customization needs one): each attachment's CSS (the logo is
 * not a template property) and each managed login style, created or replaced, with SetUICustomization's and
 * CreateManagedLoginBranding's checks.
 */
function applyBranding(service: IdpService, poolId: string, spec: UserPoolSpec): void {
  for (const c of spec.uiCustomizations ?? []) {
    service.branding.setUi(poolId, c.clientId, c.css, undefined);
  }
  for (const b of spec.managedLoginBrandings ?? []) {
    const p = b.properties;
    service.branding.putStyleFromTemplate(poolId, b.clientId, {
      UseCognitoProvidedValues: p.UseCognitoProvidedValues === true || p.UseCognitoProvidedValues === 'true',
      Settings: p.Settings,
      Assets: Array.isArray(p.Assets) ? (p.Assets as AssetType[]) : undefined,
    });
  }
}

/**
 * Creates or updates each pool of the topology, idempotently: the pool (its id comes from the template), its keys
 * (generated once, then kept), clients (ids from the template; a secret is generated once when GenerateSecret is set
 * and kept across restarts), groups, resource servers and domain prefix. Users are never touched.
 */
export async function provisionUserPools(
  service: IdpService,
  topology: Pick<Topology, 'userPools'>,
): Promise<ProvisionedPool[]> {
  const out: ProvisionedPool[] = [];
  for (const spec of topology.userPools) out.push(await provisionPool(service, spec));
  return out;
}

async function provisionPool(service: IdpService, spec: UserPoolSpec): Promise<ProvisionedPool> {
  const { UserPoolName: _name, ...config } = spec.properties as Record<string, unknown>;
  const pool = await service.pools.upsertPool(spec.id, spec.name, templatePoolConfig(config));
  const clients: ProvisionedPool['clients'] = [];
  for (const c of spec.clients) {
    const { UserPoolId: _pool, ...props } = c.properties as Record<string, unknown>;
    const client = service.pools.upsertClient(pool.id, c.id, props);
    clients.push({
      logicalId: c.logicalId,
      id: client.id,
      name: client.name,
      secret: client.secret ?? null,
      callbackUrls: strs(client.config.CallbackURLs),
      logoutUrls: strs(client.config.LogoutURLs),
    });
  }
  for (const g of spec.groups) {
    const p = g.properties;
    const precedence = numOrUndef(p.Precedence);
    service.groups.upsertGroup(pool.id, {
      GroupName: String(p.GroupName ?? g.logicalId),
      ...(typeof p.Description === 'string' ? { Description: p.Description } : {}),
      ...(typeof p.RoleArn === 'string' ? { RoleArn: p.RoleArn } : {}),
      ...(precedence !== undefined ? { Precedence: precedence } : {}),
    });
  }
  for (const r of spec.resourceServers) {
    const p = r.properties;
    const scopes = Array.isArray(p.Scopes)
      ? (p.Scopes as { ScopeName?: unknown; ScopeDescription?: unknown }[])
      : [];
    service.pools.putResourceServer(pool.id, {
      identifier: String(p.Identifier),
      name: String(p.Name ?? p.Identifier),
      scopes: scopes.map((s) => ({
        ScopeName: String(s.ScopeName),
        ScopeDescription: String(s.ScopeDescription ?? ''),
      })),
    });
  }
  if (spec.domain) service.pools.setDomain(pool.id, spec.domain.prefix);
  applyBranding(service, pool.id, spec);
  const urls = service.urls;
  return {
    logicalId: spec.logicalId,
    id: pool.id,
    name: pool.name,
    issuer: urls.issuer(pool.id),
    jwksUri: urls.jwksUri(pool.id),
    domain: spec.domain?.prefix,
    clients,
  };
}
