import { invalid } from './domain.js';

/**
 * CloudWatch Logs' filter patterns for unstructured text: terms that must all appear (`ERROR timeout`), quoted
 * phrases (`"Task timed out"`), `?term` alternatives (any one must appear), `-term` exclusions; matching is
 * case-sensitive. An empty pattern matches everything. JSON (`{ $.x = 1 }`) and space-delimited (`[a, b]`) patterns
 * are refused as not supported locally rather than silently matching nothing.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */
export function compileFilterPattern(pattern: string | undefined): (message: string) => boolean {
  const text = (pattern ?? '').trim();
  if (text === '') return () => true;
  if (text.startsWith('{') || text.startsWith('[') || text.startsWith('%')) {
    throw invalid('Only term, phrase, ?term and -term filter patterns are supported by the local cloud.');
  }
  const all: string[] = [];
  const any: string[] = [];
  const none: string[] = [];
  for (const m of text.matchAll(/([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g)) {
    const term = (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
    if (term === '') continue;
    if (m[1] === '?') any.push(term);
    else if (m[1] === '-') none.push(term);
    else all.push(term);
  }
  return (message) =>
    all.every((t) => message.includes(t)) &&
    (any.length === 0 || any.some((t) => message.includes(t))) &&
    !none.some((t) => message.includes(t));
}
