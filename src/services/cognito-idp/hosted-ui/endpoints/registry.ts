import { authorizeEndpoint } from './authorize.js';
import { brandingAssetEndpoint } from './brandingAsset.js';
import type { HostedUiEndpoint } from './endpoint.js';
import { logoutEndpoint } from './logout.js';
import { revokeEndpoint } from './revoke.js';
import { tokenEndpoint } from './token.js';
import { userInfoEndpoint } from './userInfo.js';

/** Every OAuth2/OIDC endpoint of the Hosted UI host, one file each, named by its endpoint. */
export const HOSTED_UI_ENDPOINTS: readonly HostedUiEndpoint[] = [
  authorizeEndpoint,
  logoutEndpoint,
  tokenEndpoint,
  revokeEndpoint,
  userInfoEndpoint,
  brandingAssetEndpoint,
];
