import type { CreateGroupRequest, CreateGroupResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateGroup.html */
export const createGroup: Operation<CreateGroupRequest, CreateGroupResponse> = async ({ service }, req) => ({
  Group: service.groups.createGroup(req.UserPoolId as string, {
    GroupName: req.GroupName as string,
    ...(req.Description !== undefined ? { Description: req.Description } : {}),
    ...(req.RoleArn !== undefined ? { RoleArn: req.RoleArn } : {}),
    ...(req.Precedence !== undefined ? { Precedence: req.Precedence } : {}),
  }),
});
