/**
 * An error a service answers with, in its protocol's own shape. Each protocol serialises it in one place: awsJson as
 * `{"__type","message"}`, restJson1 with `X-Amzn-ErrorType`, awsQuery as `<ErrorResponse>`, restXml as `<Error>`.
 * Messages must never contain secrets. `fields` are extra members of the error body (S3's `<Key>`, Lambda's `Type`).
 */
export class AwsError extends Error {
  readonly fields: Readonly<Record<string, string>>;
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
    fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = code;
    this.fields = fields;
  }

  /** awsQuery's `<Type>`: a 5xx is the service's fault, anything else the caller's. */
  get sender(): 'Sender' | 'Receiver' {
    return this.statusCode >= 500 ? 'Receiver' : 'Sender';
  }
}

/** Codes each protocol uses for malformed input and for an unexpected failure. */
export interface ErrorCodes {
  /** A body that cannot be parsed, or a member of the wrong type (awsJson: SerializationException). */
  serialization: string;
  /** Constraint failures (required, length, range, pattern, enum) collected into one message. */
  validation: string;
  /** The operation is not served (awsJson: UnknownOperationException; awsQuery: InvalidAction). */
  unknownOperation: string;
  /** The generic 500 (awsJson: InternalFailure / the service's own, e.g. InternalErrorException). */
  internal: string;
}
