/**
 * The AWS::Cognito::* resource providers: each resource is created, updated and deleted on its own through the user
 * pool service's internal operations (targets.cognito: what CreateUserPool, CreateUserPoolClient,
 * CreateUserPoolDomain, CreateGroup, CreateResourceServer, SetUICustomization and CreateManagedLoginBranding run).
 * Physical ids are the deterministic ones (../ids.ts), so pools and clients keep their ids across redeploys; what a
 * provider creates is stored by the service like anything made through its API, and served again after a restart.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/AWS_Cognito.html
 */
import {
  groupRequest,
  managedLoginBrandingRequest,
  resourceServerRequest,
  userPoolName,
  userPoolRequest,
} from '../readUserPools.js';
import type { ProviderRequest, ResourceProvider } from './providers.js';
import { ResourceFailure } from './providers.js';
import type { EngineTargets } from './targets.js';

type Cognito = NonNullable<EngineTargets['cognito']>;

const refOf = (r: ProviderRequest) => r.resolver.ref(r.logicalId, r.logicalId);
const physical = (r: ProviderRequest) => r.current?.physicalId ?? refOf(r);

/** Runs one service operation; its failure becomes the resource's reason, as CloudFormation reports a handler's. */
async function call<T>(r: ProviderRequest, op: (c: Cognito) => T | Promise<T>): Promise<T> {
  const cognito = r.targets.cognito;
  if (!cognito) throw new ResourceFailure('Amazon Cognito user pools are not available in this local cloud');
  try {
    return await op(cognito);
  } catch (e) {
    if (e instanceof ResourceFailure) throw e;
    const name = e instanceof Error ? e.name : 'Error';
    const msg = e instanceof Error ? e.message : String(e);
    throw new ResourceFailure(
      `${msg} (Service: CognitoIdentityProvider, Status Code: 400, Error Code: ${name})`,
    );
  }
}

function str(r: ProviderRequest, key: string): string {
  const v = r.properties[key];
  if (typeof v !== 'string' || v === '') {
    throw new ResourceFailure(`Properties validation failed for resource ${r.logicalId}: ${key} is required`);
  }
  return v;
}

const optStr = (r: ProviderRequest, key: string): string | undefined => {
  const v = r.properties[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

/** The properties of a pool's child without UserPoolId (the API takes it apart). */
function rest(r: ProviderRequest): Record<string, unknown> {
  const { UserPoolId: _pool, ...props } = r.properties;
  return props;
}

/** A provider whose create and in-place update are the same `put`. */
function upserting(
  put: (r: ProviderRequest, c: Cognito) => void | Promise<void> | Record<string, unknown>,
  del: (r: ProviderRequest, c: Cognito) => void,
  exists: (r: ProviderRequest, c: Cognito) => boolean,
): ResourceProvider {
  const apply = async (r: ProviderRequest) => {
    const attributes = await call(r, (c) => put(r, c));
    return { physicalId: physical(r), ...(attributes ? { attributes } : {}) };
  };
  return {
    create: apply,
    update: apply,
    delete: async (r) => {
      await call(r, (c) => del(r, c));
    },
    exists: (r) => (r.targets.cognito ? exists(r, r.targets.cognito) : true),
  };
}

const userPool = upserting(
  (r, c) =>
    c.putUserPool(
      physical(r),
      userPoolRequest(userPoolName(r.stack.stackName, r.logicalId, optStr(r, 'UserPoolName')), r.properties),
    ),
  (r, c) => c.deleteUserPool(physical(r)),
  (r, c) => c.has('pool', physical(r)),
);

const userPoolClient = upserting(
  (r, c) => c.putUserPoolClient(str(r, 'UserPoolId'), physical(r), rest(r)),
  (r, c) => c.deleteUserPoolClient(str(r, 'UserPoolId'), physical(r)),
  (r, c) => c.has('client', str(r, 'UserPoolId'), physical(r)),
);

const userPoolDomain = upserting(
  (r, c) =>
    c.putUserPoolDomain(
      str(r, 'UserPoolId'),
      str(r, 'Domain'),
      r.properties.CustomDomainConfig !== undefined,
    ),
  (r, c) => c.deleteUserPoolDomain(str(r, 'UserPoolId'), physical(r)),
  (r, c) =>
    c.has('domain', str(r, 'UserPoolId'), str(r, 'Domain')) || r.properties.CustomDomainConfig !== undefined,
);

const userPoolGroup = upserting(
  (r, c) => c.putGroup(str(r, 'UserPoolId'), groupRequest(physical(r), r.properties)),
  (r, c) => c.deleteGroup(str(r, 'UserPoolId'), physical(r)),
  (r, c) => c.has('group', str(r, 'UserPoolId'), physical(r)),
);

const resourceServer = upserting(
  (r, c) =>
    c.putResourceServer(
      str(r, 'UserPoolId'),
      resourceServerRequest({ ...r.properties, Identifier: str(r, 'Identifier') }),
    ),
  (r, c) => c.deleteResourceServer(str(r, 'UserPoolId'), physical(r)),
  (r, c) => c.has('resourceServer', str(r, 'UserPoolId'), str(r, 'Identifier')),
);

const uiCustomization = upserting(
  (r, c) => c.setUICustomization(str(r, 'UserPoolId'), str(r, 'ClientId'), optStr(r, 'CSS')),
  (r, c) => c.clearUICustomization(str(r, 'UserPoolId'), str(r, 'ClientId')),
  (r, c) => c.has('uiCustomization', str(r, 'UserPoolId'), str(r, 'ClientId')),
);

const managedLoginBranding = upserting(
  (r, c) => ({
    ManagedLoginBrandingId: c.putManagedLoginBranding(
      str(r, 'UserPoolId'),
      str(r, 'ClientId'),
      managedLoginBrandingRequest(r.properties),
    ),
  }),
  (r, c) => c.deleteManagedLoginBranding(str(r, 'UserPoolId'), str(r, 'ClientId')),
  (r, c) => c.has('managedLoginBranding', str(r, 'UserPoolId'), str(r, 'ClientId')),
);

/** The providers of the Cognito resource types, by type. */
export const COGNITO_PROVIDERS: Readonly<Record<string, ResourceProvider>> = {
  'AWS::Cognito::UserPool': userPool,
  'AWS::Cognito::UserPoolClient': userPoolClient,
  'AWS::Cognito::UserPoolDomain': userPoolDomain,
  'AWS::Cognito::UserPoolGroup': userPoolGroup,
  'AWS::Cognito::UserPoolResourceServer': resourceServer,
  'AWS::Cognito::UserPoolUICustomizationAttachment': uiCustomization,
  'AWS::Cognito::ManagedLoginBranding': managedLoginBranding,
};
