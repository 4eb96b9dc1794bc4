/**
 * Access logs in the stage's `AccessLogSettings.Format`: every `$context.<name>` is replaced by its value for the
 * request, `-` when it has none (as CloudWatch shows missing values).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
 */
export type AccessLogVariables = Readonly<Record<string, string | number | undefined>>;

const VARIABLE = /\$context\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_:-]+)*)/g;

/** Substitutes the `$context.*` variables of `format`. Pure. */
export function formatAccessLog(format: string, vars: AccessLogVariables): string {
  return format.replace(VARIABLE, (_m, name: string) => {
    const v = vars[name];
    return v === undefined || v === '' ? '-' : String(v);
  });
}
