import type {
  CreateResourceServerRequest,
  CreateResourceServerResponse,
  DeleteResourceServerRequest,
  DescribeResourceServerRequest,
  DescribeResourceServerResponse,
  ListResourceServersRequest,
  ListResourceServersResponse,
  ResourceServerType,
  UpdateResourceServerRequest,
  UpdateResourceServerResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { ResourceServerRecord } from '../../../store/index.js';
import { InvalidParameterException, ResourceNotFoundException } from '../errors.js';
import type { ApiContext, Operation } from './types.js';

/** Resource servers and their custom scopes (`identifier/scope` in a client's AllowedOAuthScopes). */
const view = (r: ResourceServerRecord): ResourceServerType => ({
  UserPoolId: r.poolId,
  Identifier: r.identifier,
  Name: r.name,
  ...(r.scopes.length ? { Scopes: r.scopes } : {}),
});

const find = ({ service }: ApiContext, poolId: string, identifier: string) =>
  service.pools.resourceServers(poolId).find((r) => r.identifier === identifier);

const scopesOf = (s: ResourceServerType['Scopes']) =>
  (s ?? []).map((x) => ({
    ScopeName: x.ScopeName as string,
    ScopeDescription: x.ScopeDescription as string,
  }));

export const createResourceServer: Operation<
  CreateResourceServerRequest,
  CreateResourceServerResponse
> = async (ctx, req) => {
  const poolId = req.UserPoolId as string;
  if (find(ctx, poolId, req.Identifier as string)) {
    throw new InvalidParameterException(`${req.Identifier} already exists in pool ${poolId}.`);
  }
  const r = { identifier: req.Identifier as string, name: req.Name as string, scopes: scopesOf(req.Scopes) };
  ctx.service.pools.putResourceServer(poolId, r);
  return { ResourceServer: view({ ...r, poolId }) };
};

export const describeResourceServer: Operation<
  DescribeResourceServerRequest,
  DescribeResourceServerResponse
> = async (ctx, req) => {
  const r = find(ctx, req.UserPoolId as string, req.Identifier as string);
  if (!r) throw new ResourceNotFoundException(`Resource server ${req.Identifier} does not exist.`);
  return { ResourceServer: view(r) };
};

export const updateResourceServer: Operation<
  UpdateResourceServerRequest,
  UpdateResourceServerResponse
> = async (ctx, req) => {
  const poolId = req.UserPoolId as string;
  if (!find(ctx, poolId, req.Identifier as string)) {
    throw new ResourceNotFoundException(`Resource server ${req.Identifier} does not exist.`);
  }
  const r = { identifier: req.Identifier as string, name: req.Name as string, scopes: scopesOf(req.Scopes) };
  ctx.service.pools.putResourceServer(poolId, r);
  return { ResourceServer: view({ ...r, poolId }) };
};

export const deleteResourceServer: Operation<DeleteResourceServerRequest, Record<string, never>> = async (
  { service },
  req,
) => {
  if (!service.pools.deleteResourceServer(req.UserPoolId as string, req.Identifier as string)) {
    throw new ResourceNotFoundException(`Resource server ${req.Identifier} does not exist.`);
  }
  return {};
};

export const listResourceServers: Operation<ListResourceServersRequest, ListResourceServersResponse> = async (
  { service },
  req,
) => {
  const all = service.pools.resourceServers(req.UserPoolId as string).map(view);
  const start = req.NextToken ? Number(Buffer.from(req.NextToken, 'base64url').toString('utf8')) : 0;
  const max = req.MaxResults ?? 50;
  const page = all.slice(start, start + max);
  return {
    ResourceServers: page,
    ...(start + max < all.length
      ? { NextToken: Buffer.from(String(start + max)).toString('base64url') }
      : {}),
  };
};
