/**
 * The shape of a generated service model (`npm run gen:shapes`): botocore's service-2.json cut down to the operations a
 * service serves, with the traits the protocol layer reads. Documentation is dropped.
 */
export type ShapeType =
  | 'structure'
  | 'list'
  | 'map'
  | 'string'
  | 'integer'
  | 'long'
  | 'boolean'
  | 'timestamp'
  | 'double'
  | 'float'
  | 'blob';

/** A reference from a structure member (or a list member, map key/value) to its shape, with the member's traits. */
export interface MemberRef {
  shape: string;
  /** Where a REST protocol binds the member: `uri`, `querystring`, `header`, `headers` (a prefix map), `statusCode`. */
  location?: string;
  locationName?: string;
  xmlAttribute?: boolean;
  xmlNamespace?: unknown;
  flattened?: boolean;
  jsonvalue?: boolean;
  timestampFormat?: string;
  idempotencyToken?: boolean;
  hostLabel?: boolean;
  queryName?: string;
}

export interface ShapeModel {
  type: ShapeType;
  required?: string[];
  members?: Record<string, MemberRef>;
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
  /** The member that is the whole HTTP body (REST protocols). */
  payload?: string;
  flattened?: boolean;
  locationName?: string;
  xmlNamespace?: unknown;
  timestampFormat?: string;
  streaming?: boolean;
  requiresLength?: boolean;
  eventstream?: boolean;
  document?: boolean;
  union?: boolean;
  error?: { httpStatusCode?: number; code?: string; senderFault?: boolean };
  exception?: boolean;
}

export interface OperationModel {
  http: { method: string; requestUri: string; responseCode?: number };
  input?: string;
  output?: string;
  /** awsQuery: the element the output is wrapped in (`AssumeRoleResult`). */
  resultWrapper?: string;
  errors?: string[];
}

export type ProtocolName = 'json' | 'rest-json' | 'rest-xml' | 'query' | 'ec2' | 'smithy-rpc-v2-cbor';

export interface ServiceModel {
  /** botocore's name for the service: `cognito-idp`, `s3`, `sts`. */
  service: string;
  /** The botocore version the model was generated from. */
  botocore: string;
  /** The botocore file it was cut from. */
  source: string;
  apiVersion: string;
  protocol: ProtocolName;
  /** The service name in the SigV4 credential scope. */
  signingName: string;
  /** awsJson: `1.0` or `1.1`. */
  jsonVersion?: string;
  /** awsJson: the `X-Amz-Target` prefix, before the `.`. */
  targetPrefix?: string;
  /** awsQuery / restXml: the XML namespace of replies. */
  xmlNamespace?: string;
  operations: Record<string, OperationModel>;
  shapes: Record<string, ShapeModel>;
}
