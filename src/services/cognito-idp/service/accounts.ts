/**
 * Accounts: the user operations of the pool service, one section per file under accounts/ (sign-up, passwords,
 * self-service, admin, listing, group membership). This class only binds them to the service's parts.
 */
import * as admin from './accounts/admin.js';
import * as membership from './accounts/groupMembership.js';
import { listUsers } from './accounts/listing.js';
import * as passwords from './accounts/passwords.js';
import * as selfService from './accounts/selfService.js';
import type { AccountCtx } from './accounts/shared.js';
import * as signUp from './accounts/signUp.js';
import type { AuthService } from './auth.js';
import type { Core } from './core.js';
import type { TokenService } from './tokens.js';

export { parseFilter } from './accounts/listing.js';
export { userView } from './accounts/shared.js';

export class AccountService {
  readonly #ctx: AccountCtx;

  constructor(core: Core, auth: AuthService, tokens: TokenService) {
    this.#ctx = { core, auth, tokens };
  }

  #op<A extends unknown[], R>(f: (ctx: AccountCtx, ...args: A) => R): (...args: A) => R {
    return (...args) => f(this.#ctx, ...args);
  }

  // Sign-up
  readonly signUp = this.#op(signUp.signUp);
  readonly confirmSignUp = this.#op(signUp.confirmSignUp);
  readonly resendConfirmationCode = this.#op(signUp.resendConfirmationCode);
  // Passwords
  readonly forgotPassword = this.#op(passwords.forgotPassword);
  readonly confirmForgotPassword = this.#op(passwords.confirmForgotPassword);
  readonly changePassword = this.#op(passwords.changePassword);
  // Self-service (access token)
  readonly getUser = this.#op(selfService.getUser);
  readonly updateUserAttributes = this.#op(selfService.updateUserAttributes);
  readonly getUserAttributeVerificationCode = this.#op(selfService.getUserAttributeVerificationCode);
  readonly verifyUserAttribute = this.#op(selfService.verifyUserAttribute);
  readonly deleteUser = this.#op(selfService.deleteUser);
  readonly globalSignOut = this.#op(selfService.globalSignOut);
  // Admin
  readonly adminCreateUser = this.#op(admin.adminCreateUser);
  readonly adminGetUser = this.#op(admin.adminGetUser);
  readonly adminConfirmSignUp = this.#op(admin.adminConfirmSignUp);
  readonly adminSetUserPassword = this.#op(admin.adminSetUserPassword);
  readonly adminUpdateUserAttributes = this.#op(admin.adminUpdateUserAttributes);
  readonly adminDeleteUser = this.#op(admin.adminDeleteUser);
  readonly adminSetEnabled = this.#op(admin.adminSetEnabled);
  readonly adminResetUserPassword = this.#op(admin.adminResetUserPassword);
  readonly adminUserGlobalSignOut = this.#op(admin.adminUserGlobalSignOut);
  // Listing and group membership
  readonly listUsers = this.#op(listUsers);
  readonly adminAddUserToGroup = this.#op(membership.adminAddUserToGroup);
  readonly adminRemoveUserFromGroup = this.#op(membership.adminRemoveUserFromGroup);
  readonly adminListGroupsForUser = this.#op(membership.adminListGroupsForUser);
  readonly listUsersInGroup = this.#op(membership.listUsersInGroup);
}
