import type {
  CreateManagedLoginBrandingRequest,
  CreateManagedLoginBrandingResponse,
  DeleteManagedLoginBrandingRequest,
  DescribeManagedLoginBrandingByClientRequest,
  DescribeManagedLoginBrandingByClientResponse,
  DescribeManagedLoginBrandingRequest,
  DescribeManagedLoginBrandingResponse,
  UpdateManagedLoginBrandingRequest,
  UpdateManagedLoginBrandingResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/**
 * Managed login branding styles: a Settings document and image assets per app client. The Hosted UI shows the
 * settings a local page can (README: "Branding"); the rest is stored and read back.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateManagedLoginBranding.html
 */
export const createManagedLoginBranding: Operation<
  CreateManagedLoginBrandingRequest,
  CreateManagedLoginBrandingResponse
> = async ({ service }, req) => ({
  ManagedLoginBranding: service.branding.createStyle(req.UserPoolId as string, req.ClientId as string, req),
});

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeManagedLoginBranding.html */
export const describeManagedLoginBranding: Operation<
  DescribeManagedLoginBrandingRequest,
  DescribeManagedLoginBrandingResponse
> = async ({ service }, req) => ({
  ManagedLoginBranding: service.branding.describeStyle(
    req.UserPoolId as string,
    req.ManagedLoginBrandingId as string,
    req.ReturnMergedResources === true,
  ),
});

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeManagedLoginBrandingByClient.html */
export const describeManagedLoginBrandingByClient: Operation<
  DescribeManagedLoginBrandingByClientRequest,
  DescribeManagedLoginBrandingByClientResponse
> = async ({ service }, req) => ({
  ManagedLoginBranding: service.branding.describeStyleOfClient(
    req.UserPoolId as string,
    req.ClientId as string,
    req.ReturnMergedResources === true,
  ),
});

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateManagedLoginBranding.html */
export const updateManagedLoginBranding: Operation<
  UpdateManagedLoginBrandingRequest,
  UpdateManagedLoginBrandingResponse
> = async ({ service }, req) => ({
  ManagedLoginBranding: service.branding.updateStyle(req.UserPoolId, req.ManagedLoginBrandingId, req),
});

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteManagedLoginBranding.html */
export const deleteManagedLoginBranding: Operation<
  DeleteManagedLoginBrandingRequest,
  Record<string, never>
> = async ({ service }, req) => {
  service.branding.deleteStyle(req.UserPoolId as string, req.ManagedLoginBrandingId as string);
  return {};
};
