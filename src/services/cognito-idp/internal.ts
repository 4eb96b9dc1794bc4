/**
 * The user pool service's internal operations for other parts of the local cloud (the CloudFormation engine's
 * AWS::Cognito::* resources): the same service calls CreateUserPool, CreateUserPoolClient, CreateUserPoolDomain,
 * CreateGroup, CreateResourceServer, SetUICustomization and CreateManagedLoginBranding make, without HTTP, taking
 * requests in the API's own shape. Each `put` creates the resource with the given id, or updates it in place when it
 * exists (users, keys, memberships and a client's secret are kept).
 */
import type { AssetType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException } from './errors.js';
import type { IdpService } from './service/index.js';

/** What `has` can be asked about: one kind of pool resource. */
export type CognitoResourceKind =
  | 'pool'
  | 'client'
  | 'domain'
  | 'group'
  | 'resourceServer'
  | 'uiCustomization'
  | 'managedLoginBranding';

export interface CognitoInternal {
  /** CreateUserPool with this id (request: PoolName and the pool's settings), or UpdateUserPool when it exists. */
  putUserPool(id: string, request: Record<string, unknown>): Promise<void>;
  /** DeleteUserPool (deletion protection refuses it, as Cognito does); a pool already gone is not an error. */
  deleteUserPool(id: string): void;
  /** CreateUserPoolClient with this id (a secret is generated once with GenerateSecret), or an in-place update. */
  putUserPoolClient(poolId: string, clientId: string, request: Record<string, unknown>): void;
  deleteUserPoolClient(poolId: string, clientId: string): void;
  /**
   * CreateUserPoolDomain. A custom domain (the local Hosted UI serves the pool on its own port) names the pool only
   * while it has no prefix domain; a prefix domain replaces a custom one.
   */
  putUserPoolDomain(poolId: string, domain: string, custom: boolean): void;
  deleteUserPoolDomain(poolId: string, domain: string): void;
  putGroup(
    poolId: string,
    request: { GroupName: string; Description?: string; RoleArn?: string; Precedence?: number },
  ): void;
  deleteGroup(poolId: string, name: string): void;
  putResourceServer(
    poolId: string,
    request: { Identifier: string; Name: string; Scopes: { ScopeName: string; ScopeDescription: string }[] },
  ): void;
  deleteResourceServer(poolId: string, identifier: string): void;
  /** SetUICustomization of the CSS (`clientId` undefined or `ALL`: the pool's default). */
  setUICustomization(poolId: string, clientId: string | undefined, css: string | undefined): void;
  /** The customization is reset (no CSS, no logo), as deleting the attachment does. */
  clearUICustomization(poolId: string, clientId: string | undefined): void;
  /** CreateManagedLoginBranding for the client, or its style replaced; returns the style's id. */
  putManagedLoginBranding(
    poolId: string,
    clientId: string,
    request: { UseCognitoProvidedValues: boolean; Settings?: unknown; Assets?: AssetType[] },
  ): string;
  deleteManagedLoginBranding(poolId: string, clientId: string): void;
  /** Whether the resource exists in the service (`id`: the client id, domain, group name, identifier...). */
  has(kind: CognitoResourceKind, poolId: string, id?: string): boolean;
}

export function cognitoInternal(service: IdpService): CognitoInternal {
  const { pools } = service;
  const styleOf = (poolId: string, clientId: string) => {
    try {
      return service.branding.describeStyleOfClient(poolId, clientId, false).ManagedLoginBrandingId;
    } catch {
      return undefined;
    }
  };
  return {
    async putUserPool(id, request) {
      const { PoolName, ...config } = request;
      if (typeof PoolName !== 'string' || PoolName === '') {
        throw new InvalidParameterException('PoolName is required.');
      }
      await pools.upsertPool(id, PoolName, config);
    },
    deleteUserPool(id) {
      if (service.findPool(id)) pools.deletePool(id);
    },
    putUserPoolClient(poolId, clientId, request) {
      const existing = service.findClient(clientId);
      if (existing && existing.poolId !== poolId) {
        throw new InvalidParameterException(`Client ${clientId} belongs to another user pool.`);
      }
      if (!existing) pools.createClient(poolId, request, { id: clientId });
      else pools.upsertClient(poolId, clientId, request);
    },
    deleteUserPoolClient(poolId, clientId) {
      if (service.findClient(clientId)?.poolId === poolId) pools.deleteClient(poolId, clientId);
    },
    putUserPoolDomain(poolId, domain, custom) {
      if (!service.findPool(poolId)) pools.describePool(poolId);
      const owner = pools.poolOfDomain(domain);
      if (owner && owner.id !== poolId) {
        throw new InvalidParameterException('Domain already associated with another user pool.');
      }
      const current = pools.domainOf(poolId);
      if (current === domain) return;
      if (custom && current !== undefined) return;
      // One domain names the pool's Hosted UI: a prefix domain takes the place of a custom one.
      if (current !== undefined) pools.removeDomain(current);
      pools.setDomain(poolId, domain);
    },
    deleteUserPoolDomain(poolId, domain) {
      if (pools.poolOfDomain(domain)?.id === poolId) pools.removeDomain(domain);
    },
    putGroup(poolId, request) {
      service.groups.upsertGroup(poolId, request);
    },
    deleteGroup(poolId, name) {
      if (service.findPool(poolId) && has('group', poolId, name)) service.groups.deleteGroup(poolId, name);
    },
    putResourceServer(poolId, request) {
      pools.putResourceServer(poolId, {
        identifier: request.Identifier,
        name: request.Name,
        scopes: request.Scopes,
      });
    },
    deleteResourceServer(poolId, identifier) {
      if (service.findPool(poolId)) pools.deleteResourceServer(poolId, identifier);
    },
    setUICustomization(poolId, clientId, css) {
      service.branding.setUi(poolId, clientId, css, undefined);
    },
    clearUICustomization(poolId, clientId) {
      // SetUICustomization needs a domain; without one the Hosted UI shows nothing to reset.
      if (!service.findPool(poolId) || pools.domainOf(poolId) === undefined) return;
      if (clientId !== undefined && clientId !== 'ALL' && service.findClient(clientId)?.poolId !== poolId)
        return;
      service.branding.setUi(poolId, clientId, undefined, undefined);
    },
    putManagedLoginBranding(poolId, clientId, request) {
      const style = service.branding.putStyleFromTemplate(poolId, clientId, request);
      return style.ManagedLoginBrandingId as string;
    },
    deleteManagedLoginBranding(poolId, clientId) {
      if (!service.findPool(poolId) || service.findClient(clientId)?.poolId !== poolId) return;
      const id = styleOf(poolId, clientId);
      if (id !== undefined) service.branding.deleteStyle(poolId, id);
    },
    has,
  };

  function has(kind: CognitoResourceKind, poolId: string, id?: string): boolean {
    if (!service.findPool(poolId)) return false;
    switch (kind) {
      case 'pool':
        return true;
      case 'client':
        return id !== undefined && service.findClient(id)?.poolId === poolId;
      case 'domain':
        return id !== undefined && pools.poolOfDomain(id)?.id === poolId;
      case 'group':
        try {
          return id !== undefined && service.groups.getGroup(poolId, id).GroupName === id;
        } catch {
          return false;
        }
      case 'resourceServer':
        return pools.resourceServers(poolId).some((r) => r.identifier === id);
      case 'uiCustomization': {
        if (pools.domainOf(poolId) === undefined) return true;
        const scope = id ?? 'ALL';
        if (scope !== 'ALL' && service.findClient(scope)?.poolId !== poolId) return false;
        const ui = service.branding.getUi(poolId, scope);
        return ui.ClientId === scope && ui.CreationDate !== undefined;
      }
      case 'managedLoginBranding':
        return (
          id !== undefined && service.findClient(id)?.poolId === poolId && styleOf(poolId, id) !== undefined
        );
    }
  }
}
