import { adminAddUserToGroup } from './adminAddUserToGroup.js';
import { adminConfirmSignUp } from './adminConfirmSignUp.js';
import { adminCreateUser } from './adminCreateUser.js';
import { adminDeleteUser } from './adminDeleteUser.js';
import { adminDisableUser } from './adminDisableUser.js';
import { adminEnableUser } from './adminEnableUser.js';
import { adminForgetDevice } from './adminForgetDevice.js';
import { adminGetDevice } from './adminGetDevice.js';
import { adminGetUser } from './adminGetUser.js';
import { adminInitiateAuth } from './adminInitiateAuth.js';
import { adminListDevices } from './adminListDevices.js';
import { adminListGroupsForUser } from './adminListGroupsForUser.js';
import { adminRemoveUserFromGroup } from './adminRemoveUserFromGroup.js';
import { adminResetUserPassword } from './adminResetUserPassword.js';
import { adminRespondToAuthChallenge } from './adminRespondToAuthChallenge.js';
import { adminSetUserMFAPreference } from './adminSetUserMFAPreference.js';
import { adminSetUserPassword } from './adminSetUserPassword.js';
import { adminUpdateDeviceStatus } from './adminUpdateDeviceStatus.js';
import { adminUpdateUserAttributes } from './adminUpdateUserAttributes.js';
import { adminUserGlobalSignOut } from './adminUserGlobalSignOut.js';
import { associateSoftwareToken } from './associateSoftwareToken.js';
import { changePassword } from './changePassword.js';
import { completeWebAuthnRegistration } from './completeWebAuthnRegistration.js';
import { confirmDevice } from './confirmDevice.js';
import { confirmForgotPassword } from './confirmForgotPassword.js';
import { confirmSignUp } from './confirmSignUp.js';
import { createGroup } from './createGroup.js';
import { createUserPool } from './createUserPool.js';
import { createUserPoolClient } from './createUserPoolClient.js';
import { deleteGroup } from './deleteGroup.js';
import { deleteUser } from './deleteUser.js';
import { deleteUserPool } from './deleteUserPool.js';
import { deleteUserPoolClient } from './deleteUserPoolClient.js';
import { deleteWebAuthnCredential } from './deleteWebAuthnCredential.js';
import { describeUserPool } from './describeUserPool.js';
import { describeUserPoolClient } from './describeUserPoolClient.js';
import { forgetDevice } from './forgetDevice.js';
import { forgotPassword } from './forgotPassword.js';
import { getDevice } from './getDevice.js';
import { getGroup } from './getGroup.js';
import { getTokensFromRefreshToken } from './getTokensFromRefreshToken.js';
import { getUser } from './getUser.js';
import { getUserAttributeVerificationCode } from './getUserAttributeVerificationCode.js';
import { getUserPoolMfaConfig } from './getUserPoolMfaConfig.js';
import { globalSignOut } from './globalSignOut.js';
import { initiateAuth } from './initiateAuth.js';
import { listDevices } from './listDevices.js';
import { listGroups } from './listGroups.js';
import { listUserPoolClients } from './listUserPoolClients.js';
import { listUserPools } from './listUserPools.js';
import { listUsers } from './listUsers.js';
import { listUsersInGroup } from './listUsersInGroup.js';
import { listWebAuthnCredentials } from './listWebAuthnCredentials.js';
import {
  createManagedLoginBranding,
  deleteManagedLoginBranding,
  describeManagedLoginBranding,
  describeManagedLoginBrandingByClient,
  updateManagedLoginBranding,
} from './managedLoginBranding.js';
import { resendConfirmationCode } from './resendConfirmationCode.js';
import {
  createResourceServer,
  deleteResourceServer,
  describeResourceServer,
  listResourceServers,
  updateResourceServer,
} from './resourceServers.js';
import { respondToAuthChallenge } from './respondToAuthChallenge.js';
import { revokeToken } from './revokeToken.js';
import { setUserMFAPreference } from './setUserMFAPreference.js';
import { setUserPoolMfaConfig } from './setUserPoolMfaConfig.js';
import { signUp } from './signUp.js';
import { startWebAuthnRegistration } from './startWebAuthnRegistration.js';
import { listTagsForResource, tagResource, untagResource } from './tags.js';
import type { ApiContext, Operation } from './types.js';
import { getUICustomization, setUICustomization } from './uiCustomization.js';
import { updateDeviceStatus } from './updateDeviceStatus.js';
import { updateUserAttributes } from './updateUserAttributes.js';
import { updateUserPool } from './updateUserPool.js';
import { updateUserPoolClient } from './updateUserPoolClient.js';
import {
  createUserPoolDomain,
  deleteUserPoolDomain,
  describeUserPoolDomain,
  updateUserPoolDomain,
} from './userPoolDomain.js';
import { validateInput } from './validate.js';
import { verifySoftwareToken } from './verifySoftwareToken.js';
import { verifyUserAttribute } from './verifyUserAttribute.js';

export { model } from './model/shapes.js';
export type { ApiContext, Operation } from './types.js';
export { COGNITO_CODES, validateInput } from './validate.js';

/**
 * Every operation this user pool serves, by its wire name (`X-Amz-Target: AWSCognitoIdentityProviderService.<Op>`).
 * "Which operations do we support" is this object's keys.
 */
export const operations = {
  CreateUserPoolDomain: createUserPoolDomain,
  DescribeUserPoolDomain: describeUserPoolDomain,
  UpdateUserPoolDomain: updateUserPoolDomain,
  DeleteUserPoolDomain: deleteUserPoolDomain,
  UpdateUserPool: updateUserPool,
  CreateResourceServer: createResourceServer,
  DescribeResourceServer: describeResourceServer,
  UpdateResourceServer: updateResourceServer,
  DeleteResourceServer: deleteResourceServer,
  ListResourceServers: listResourceServers,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
  AdminAddUserToGroup: adminAddUserToGroup,
  AdminConfirmSignUp: adminConfirmSignUp,
  AdminCreateUser: adminCreateUser,
  AdminDeleteUser: adminDeleteUser,
  AdminDisableUser: adminDisableUser,
  AdminEnableUser: adminEnableUser,
  AdminGetUser: adminGetUser,
  AdminInitiateAuth: adminInitiateAuth,
  AdminListGroupsForUser: adminListGroupsForUser,
  AdminRemoveUserFromGroup: adminRemoveUserFromGroup,
  AdminResetUserPassword: adminResetUserPassword,
  AdminRespondToAuthChallenge: adminRespondToAuthChallenge,
  AdminSetUserMFAPreference: adminSetUserMFAPreference,
  AdminSetUserPassword: adminSetUserPassword,
  AdminUpdateUserAttributes: adminUpdateUserAttributes,
  AdminUserGlobalSignOut: adminUserGlobalSignOut,
  AssociateSoftwareToken: associateSoftwareToken,
  ChangePassword: changePassword,
  ConfirmForgotPassword: confirmForgotPassword,
  ConfirmSignUp: confirmSignUp,
  CreateGroup: createGroup,
  CreateUserPool: createUserPool,
  CreateUserPoolClient: createUserPoolClient,
  DeleteGroup: deleteGroup,
  DeleteUser: deleteUser,
  DeleteUserPool: deleteUserPool,
  DeleteUserPoolClient: deleteUserPoolClient,
  DescribeUserPool: describeUserPool,
  DescribeUserPoolClient: describeUserPoolClient,
  ForgotPassword: forgotPassword,
  GetGroup: getGroup,
  GetTokensFromRefreshToken: getTokensFromRefreshToken,
  GetUser: getUser,
  GetUserAttributeVerificationCode: getUserAttributeVerificationCode,
  GetUserPoolMfaConfig: getUserPoolMfaConfig,
  GlobalSignOut: globalSignOut,
  InitiateAuth: initiateAuth,
  ListGroups: listGroups,
  ListUserPoolClients: listUserPoolClients,
  ListUserPools: listUserPools,
  ListUsers: listUsers,
  ListUsersInGroup: listUsersInGroup,
  ResendConfirmationCode: resendConfirmationCode,
  RespondToAuthChallenge: respondToAuthChallenge,
  RevokeToken: revokeToken,
  SetUserMFAPreference: setUserMFAPreference,
  SetUserPoolMfaConfig: setUserPoolMfaConfig,
  SignUp: signUp,
  UpdateUserAttributes: updateUserAttributes,
  UpdateUserPoolClient: updateUserPoolClient,
  VerifySoftwareToken: verifySoftwareToken,
  VerifyUserAttribute: verifyUserAttribute,
  // Devices (issue 15)
  AdminForgetDevice: adminForgetDevice,
  AdminGetDevice: adminGetDevice,
  AdminListDevices: adminListDevices,
  AdminUpdateDeviceStatus: adminUpdateDeviceStatus,
  ConfirmDevice: confirmDevice,
  ForgetDevice: forgetDevice,
  GetDevice: getDevice,
  ListDevices: listDevices,
  UpdateDeviceStatus: updateDeviceStatus,
  // Passkeys (issue 16)
  CompleteWebAuthnRegistration: completeWebAuthnRegistration,
  DeleteWebAuthnCredential: deleteWebAuthnCredential,
  ListWebAuthnCredentials: listWebAuthnCredentials,
  StartWebAuthnRegistration: startWebAuthnRegistration,
  // Branding (issue 16)
  SetUICustomization: setUICustomization,
  GetUICustomization: getUICustomization,
  CreateManagedLoginBranding: createManagedLoginBranding,
  DescribeManagedLoginBranding: describeManagedLoginBranding,
  DescribeManagedLoginBrandingByClient: describeManagedLoginBrandingByClient,
  UpdateManagedLoginBranding: updateManagedLoginBranding,
  DeleteManagedLoginBranding: deleteManagedLoginBranding,
} satisfies Record<string, Operation<never, unknown>>;

export type OperationName = keyof typeof operations;

export const isOperation = (name: string): name is OperationName => Object.hasOwn(operations, name);

/**
 * Validates `body` against the operation's botocore input shape, then runs it. Throws CognitoError subclasses only
 * for protocol errors (anything else is a bug, mapped to a 500 by the server).
 */
export async function dispatch(ctx: ApiContext, name: OperationName, body: unknown): Promise<unknown> {
  const input = validateInput(name, body);
  const op = operations[name] as Operation<unknown, unknown>;
  return op(ctx, input);
}
