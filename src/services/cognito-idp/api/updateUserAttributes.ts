import type {
  UpdateUserAttributesRequest,
  UpdateUserAttributesResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { fromWire } from '../service/index.js';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserAttributes.html */
export const updateUserAttributes: Operation<
  UpdateUserAttributesRequest,
  UpdateUserAttributesResponse
> = async ({ service }, req) => {
  const list = await service.accounts.updateUserAttributes(
    req.AccessToken as string,
    fromWire(req.UserAttributes),
  );
  return list.length ? { CodeDeliveryDetailsList: list } : {};
};
