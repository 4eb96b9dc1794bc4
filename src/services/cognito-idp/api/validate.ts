import { validateInput as validateAgainstModel } from '../../../protocols/index.js';
import { model } from './model/shapes.js';

/** Cognito's codes for input the model refuses: wrong types are a SerializationException, constraints invalid parameters. */
export const COGNITO_CODES = {
  serialization: 'SerializationException',
  validation: 'InvalidParameterException',
  unknownOperation: 'UnknownOperationException',
  internal: 'InternalErrorException',
} as const;

/**
 * Checks a request body against the operation's input shape in the botocore model (src/protocols/validate.ts) and
 * returns it with `null` members removed. An operation without a model is refused.
 */
export function validateInput(operation: string, body: unknown): Record<string, unknown> {
  return validateAgainstModel(model, operation, body, COGNITO_CODES);
}
