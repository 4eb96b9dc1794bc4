import { TemplateError } from '../../src/services/cloudformation/errors.js';

/** Runs `fn` and returns the TemplateError it throws; anything else fails the test. */
export function templateErrorOf(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TemplateError) return err;
    throw err;
  }
  throw new Error('expected a TemplateError, but nothing was thrown');
}
