/**
 * Access logs in the stage's `AccessLogSettings.Format`: every `$context.<name>` is replaced by its value for the
 * request, `-` when it has none (as CloudWatch shows missing values).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
 */
export type AccessLogVariables = Readonly<Record<string, string | number | undefined>>;

const VARIABLE = /\$context\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_:-]+)*)/g;

/** A format split once into literal text and variable names: [text, name, text, name, ..., text]. */
type CompiledFormat = readonly string[];

/** A stage has one format, so the cache stays as small as the number of stages with access logs. */
const compiled = new Map<string, CompiledFormat>();
const MAX_CACHED_FORMATS = 100;

function compile(format: string): CompiledFormat {
  let parts = compiled.get(format);
  if (parts === undefined) {
    parts = format.split(VARIABLE);
    if (compiled.size >= MAX_CACHED_FORMATS) compiled.clear();
    compiled.set(format, parts);
  }
  return parts;
}

/** Substitutes the `$context.*` variables of `format`. Pure (the format's parsing is cached: one per request is hot). */
export function formatAccessLog(format: string, vars: AccessLogVariables): string {
  const parts = compile(format);
  let line = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) {
    const v = vars[parts[i] as string];
    line += v === undefined || v === '' ? '-' : String(v);
    line += parts[i + 1] as string;
  }
  return line;
}
