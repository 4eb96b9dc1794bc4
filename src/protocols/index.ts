/**
 * The AWS wire protocols, written once: awsJson 1.0/1.1, restJson1, awsQuery and restXml.
 *
 * How a service plugs in (see src/services/sts for a complete small one):
 * 1. Name the operations it serves in `src/services/<svc>/gen-shapes.json`
 *    (`{"service": "<botocore name>", "operations": [...], "output": "model.gen.ts"}`) and run `npm run gen:shapes`:
 *    that writes the botocore model of those operations (input/output shapes, http bindings, constraints) and the
 *    botocore version used. Commit the generated file (CI has no botocore).
 * 2. Write one file per operation, `(input, ctx) => output`, and a registry `{ OperationName: fn }`. Inputs arrive
 *    validated against the model, with `null` members removed; throw `AwsError(code, message, status)` for errors.
 * 3. Build the service with the builder of its protocol: `jsonService` (awsJson, routed by `X-Amz-Target`),
 *    `restJsonService` (routed by method + the model's requestUri), `queryService` (awsQuery `Action=`). For restXml
 *    (S3) write `handle` yourself with the helpers in restXml.ts. Each answers errors in its protocol's own shape
 *    and sets the request-id headers (`x-amzn-RequestId`; S3: `x-amz-request-id` + `x-amz-id-2`).
 * 4. Add a test that calls `assertRegistryMatchesModel(model, operations)` (the registry and the model must agree).
 * 5. In src/cli.ts, `edge.register(service)`: the edge (src/edge) is the one AWS endpoint, `awsEndpoint` in
 *    endpoints.json. It routes by `X-Amz-Target` prefix, else by the SigV4 credential scope's service name
 *    (`signingNames`), else `<bucket>.localhost` to the service with `virtualHosts`. Signatures are not verified.
 */
export {
  assertRegistryMatchesModel,
  type Operation,
  type OperationRegistry,
  type ProtocolServiceOptions,
} from './dispatch.js';
export { AwsError, type ErrorCodes } from './errors.js';
export {
  BodyTooLargeError,
  headerSafe,
  newRequestId,
  readBody,
  s3RequestIds,
  send,
  splitUrl,
} from './http.js';
export { jsonService, sendJsonError, toWireJson } from './json.js';
export type { MemberRef, OperationModel, ServiceModel, ShapeModel, ShapeType } from './model.js';
export { fromQueryParams, queryService, sendQueryError } from './query.js';
export { restJsonService, sendRestJsonError } from './restJson.js';
export { type RestXmlIds, readXmlBody, restXmlIdHeaders, sendRestXmlError, sendXml } from './restXml.js';
export type { AwsService, ProtocolLogger, RequestContext } from './service.js';
export { type CredentialScope, credentialScope } from './sigv4.js';
export { validateInput } from './validate.js';
export { buildXml, isoTimestamp, parseXml, toXmlTree } from './xml.js';
