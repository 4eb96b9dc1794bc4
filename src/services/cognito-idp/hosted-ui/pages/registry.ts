import { confirmForgotPasswordPage } from './confirmForgotPassword.js';
import { confirmUserPage } from './confirmUser.js';
import { forceChangePasswordPage } from './forceChangePassword.js';
import { forgotPasswordPage } from './forgotPassword.js';
import { loginPage } from './login.js';
import type { HostedUiPage } from './page.js';
import { signupPage } from './signup.js';

/**
 * Every Hosted UI page, one file each, served as GET and POST by pages/mount.ts. A new page (MFA, passwordless) is a
 * new file here.
 */
export const HOSTED_UI_PAGES: readonly HostedUiPage[] = [
  loginPage,
  signupPage,
  confirmUserPage,
  forceChangePasswordPage,
  forgotPasswordPage,
  confirmForgotPasswordPage,
];
