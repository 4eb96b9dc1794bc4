import type {
  AdminCreateUserRequest,
  AdminCreateUserResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { fromWire } from '../service/index.js';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html */
export const adminCreateUser: Operation<AdminCreateUserRequest, AdminCreateUserResponse> = async (
  { service },
  req,
) => ({
  User: await service.accounts.adminCreateUser(req.UserPoolId as string, {
    username: req.Username as string,
    attributes: fromWire(req.UserAttributes),
    ...(req.TemporaryPassword !== undefined ? { temporaryPassword: req.TemporaryPassword } : {}),
    ...(req.MessageAction ? { messageAction: req.MessageAction } : {}),
    ...(req.DesiredDeliveryMediums
      ? { desiredDeliveryMediums: req.DesiredDeliveryMediums as ('EMAIL' | 'SMS')[] }
      : {}),
    ...(req.ForceAliasCreation !== undefined ? { forceAliasCreation: req.ForceAliasCreation } : {}),
    ...(req.ValidationData ? { validationData: fromWire(req.ValidationData) } : {}),
    ...(req.ClientMetadata ? { clientMetadata: req.ClientMetadata } : {}),
  }),
});
