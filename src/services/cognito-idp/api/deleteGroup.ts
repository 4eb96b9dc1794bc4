import type { DeleteGroupRequest } from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteGroup.html */
export const deleteGroup: Operation<DeleteGroupRequest, Record<string, never>> = async ({ service }, req) => {
  service.groups.deleteGroup(req.UserPoolId as string, req.GroupName as string);
  return {};
};
