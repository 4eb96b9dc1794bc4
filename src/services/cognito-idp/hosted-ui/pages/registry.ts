import { confirmForgotPasswordPage } from './confirmForgotPassword.js';
import { confirmUserPage } from './confirmUser.js';
import { forceChangePasswordPage } from './forceChangePassword.js';
import { forgotPasswordPage } from './forgotPassword.js';
import { loginPage } from './login.js';
import { mfaPage } from './mfa.js';
import { mfaSetupPage } from './mfaSetup.js';
import type { HostedUiPage } from './page.js';
import { passkeyPage } from './passkey.js';
import { passkeyRegistrationPage } from './passkeyRegistration.js';
import { selectChallengePage } from './selectChallenge.js';
import { selectMfaTypePage } from './selectMfaType.js';
import { signupPage } from './signup.js';

/**
 * Every Hosted UI page, one file each, served as GET and POST by pages/mount.ts. A new page is a new file here. The
 * sign-in steps after the first factor (pages/steps.ts) are /mfa, /selectMfaType, /mfaSetup, /selectChallenge,
 * /passkey and /passkeyRegistration.
 */
export const HOSTED_UI_PAGES: readonly HostedUiPage[] = [
  loginPage,
  signupPage,
  confirmUserPage,
  forceChangePasswordPage,
  forgotPasswordPage,
  confirmForgotPasswordPage,
  mfaPage,
  selectMfaTypePage,
  mfaSetupPage,
  selectChallengePage,
  passkeyPage,
  passkeyRegistrationPage,
];
