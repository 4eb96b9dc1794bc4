/**
 * A template the local cloud cannot run. Thrown at start-up, never per request; the message names the
 * resource (logical id and type) or the file, so the user knows what to change.
 */
export class TemplateError extends Error {
  override name = 'TemplateError';

  constructor(
    message: string,
    /** The logical id of the resource (or `Outputs.X`, `Conditions.X`) the error is about, when there is one. */
    readonly logicalId?: string,
  ) {
    super(message);
  }
}
