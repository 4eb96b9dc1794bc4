import type {
  GetUICustomizationRequest,
  GetUICustomizationResponse,
  SetUICustomizationRequest,
  SetUICustomizationResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/**
 * Classic Hosted UI branding: CSS over Cognito's customizable classes and a PNG or JPEG logo, for the pool
 * (`ClientId` omitted or `ALL`) or one app client. The Hosted UI pages render them.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUICustomization.html
 */
export const setUICustomization: Operation<SetUICustomizationRequest, SetUICustomizationResponse> = async (
  { service },
  req,
) => ({
  UICustomization: service.branding.setUi(
    req.UserPoolId as string,
    req.ClientId,
    req.CSS,
    req.ImageFile as unknown,
  ),
});

/**
 * The client's customization, else the pool's, else an empty one.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUICustomization.html
 */
export const getUICustomization: Operation<GetUICustomizationRequest, GetUICustomizationResponse> = async (
  { service },
  req,
) => ({ UICustomization: service.branding.getUi(req.UserPoolId as string, req.ClientId) });
