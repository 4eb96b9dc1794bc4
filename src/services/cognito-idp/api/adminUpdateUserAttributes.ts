import type {
  AdminUpdateUserAttributesRequest,
  AdminUpdateUserAttributesResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { fromWire } from '../service/index.js';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUpdateUserAttributes.html */
export const adminUpdateUserAttributes: Operation<
  AdminUpdateUserAttributesRequest,
  AdminUpdateUserAttributesResponse
> = async ({ service }, req) => {
  await service.accounts.adminUpdateUserAttributes(
    req.UserPoolId as string,
    req.Username as string,
    fromWire(req.UserAttributes),
  );
  return {};
};
