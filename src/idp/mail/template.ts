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
