import type {
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  TagResourceRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException } from '../errors.js';
import type { ApiContext, Operation } from './types.js';

/** Tags of a user pool (its UserPoolTags), by the pool's ARN. */
function poolOf({ service }: ApiContext, arn: string) {
  const id = /^arn:aws[a-z-]*:cognito-idp:[^:]+:\d{12}:userpool\/([\w-]+_[0-9a-zA-Z]+)$/.exec(arn)?.[1];
  if (id === undefined) throw new InvalidParameterException(`Invalid ARN: ${arn}`);
  return service.pool(id);
}

const tagsOf = (config: Record<string, unknown>) => ({
  ...((config.UserPoolTags as Record<string, string>) ?? {}),
});

export const tagResource: Operation<TagResourceRequest, Record<string, never>> = async (ctx, req) => {
  const pool = poolOf(ctx, req.ResourceArn as string);
  const tags = { ...tagsOf(pool.config), ...(req.Tags ?? {}) };
  await ctx.service.pools.upsertPool(pool.id, pool.name, { ...pool.config, UserPoolTags: tags });
  return {};
};

export const untagResource: Operation<UntagResourceRequest, Record<string, never>> = async (ctx, req) => {
  const pool = poolOf(ctx, req.ResourceArn as string);
  const tags = Object.fromEntries(
    Object.entries(tagsOf(pool.config)).filter(([k]) => !req.TagKeys?.includes(k)),
  );
  await ctx.service.pools.upsertPool(pool.id, pool.name, { ...pool.config, UserPoolTags: tags });
  return {};
};

export const listTagsForResource: Operation<ListTagsForResourceRequest, ListTagsForResourceResponse> = async (
  ctx,
  req,
) => ({ Tags: tagsOf(poolOf(ctx, req.ResourceArn as string).config) });
