/**
 * Fills a Cognito message template: `{####}` becomes the code and `{username}` the user name. Placeholders without a
 * value stay as they are. Values are inserted literally (no `$&`-style replacement patterns).
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-message-templates.html
 */
export function renderTemplate(template: string, vars: { code?: string; username?: string }): string {
  return template.replace(/\{####\}|\{username\}/g, (placeholder) => {
    const value = placeholder === '{####}' ? vars.code : vars.username;
    return value ?? placeholder;
  });
}

/**
 * Cognito's default message templates, used when the pool sets none. [unverified] wording recalled from the console
 * defaults and CloudFormation docs; kept here, in one place, so it is easy to correct.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_VerificationMessageTemplateType.html
 */
export const DEFAULT_TEMPLATES = {
  verificationSubject: 'Your verification code',
  verificationMessage: 'Your verification code is {####}. ',
  invitationSubject: 'Your temporary password',
  invitationMessage: 'Your username is {username} and temporary password is {####}. ',
} as const;
