import type { GetGroupRequest, GetGroupResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetGroup.html */
export const getGroup: Operation<GetGroupRequest, GetGroupResponse> = async ({ service }, req) => ({
  Group: service.groups.getGroup(req.UserPoolId as string, req.GroupName as string),
});
