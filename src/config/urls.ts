/**
 * One source for every URL the local cloud hands out: issuer, JWKS, discovery, Hosted UI, inbox and API stages.
 * Tokens, discovery documents, endpoints.json and the gateway's authorizer mapping all call these functions, so a
 * token's `iss` always matches its discovery document.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
 */
export type IssuerMode = 'local' | 'aws';

export interface UrlInputs {
  region: string;
  issuerMode: IssuerMode;
  /** e.g. `http://127.0.0.1:9229`: the Cognito JSON API, issuer documents and inbox. */
  idpOrigin: string;
  /** e.g. `http://localhost:9230`: the Hosted UI and OAuth2 endpoints. */
  hostedUiOrigin: string;
  /** e.g. `http://127.0.0.1:9231`: the HTTP APIs. */
  apiOrigin: string;
}

export interface Urls {
  readonly region: string;
  readonly idpEndpoint: string;
  /** The one AWS endpoint (`AWS_ENDPOINT_URL`): every AWS API (Cognito, S3, STS, ...) on the IdP's port. */
  readonly awsEndpoint: string;
  readonly inboxUrl: string;
  /** The `iss` of every token of the pool. */
  issuer(poolId: string): string;
  /** Where this machine serves the pool's JWKS (also in `aws` issuer mode). */
  jwksUri(poolId: string): string;
  /** Where this machine serves the pool's discovery document (also in `aws` issuer mode). */
  discoveryUrl(poolId: string): string;
  /** The Hosted UI base URL (one host serves every pool's domain, keyed by client_id). */
  hostedUiBase(): string;
  oauth: {
    authorize: string;
    token: string;
    userInfo: string;
    revoke: string;
    logout: string;
    login: string;
  };
  /**
   * Where the Hosted UI serves a branding image: a classic customization's logo (`scope` = client id or `ALL`) or
   * a managed login style's asset (`scope` = the style's id).
   */
  brandingAsset(poolId: string, scope: string, file: string): string;
  /** The real AWS issuer form for a pool, as CDK writes it into authorizers. */
  awsIssuer(poolId: string): string;
  /** The invoke URL of an HTTP API stage: `$default` has no path prefix. */
  apiStageUrl(stageName: string): string;
}

const trim = (s: string) => s.replace(/\/+$/, '');

export function createUrls(inputs: UrlInputs): Urls {
  const idp = trim(inputs.idpOrigin);
  const ui = trim(inputs.hostedUiOrigin);
  const api = trim(inputs.apiOrigin);
  const awsIssuer = (poolId: string) => `https://cognito-idp.${inputs.region}.amazonaws.com/${poolId}`;
  const localIssuer = (poolId: string) => `${idp}/${poolId}`;
  return {
    region: inputs.region,
    idpEndpoint: idp,
    awsEndpoint: idp,
    inboxUrl: `${idp}/_gatehouse/inbox`,
    issuer: (poolId) => (inputs.issuerMode === 'aws' ? awsIssuer(poolId) : localIssuer(poolId)),
    jwksUri: (poolId) => `${localIssuer(poolId)}/.well-known/jwks.json`,
    discoveryUrl: (poolId) => `${localIssuer(poolId)}/.well-known/openid-configuration`,
    hostedUiBase: () => ui,
    oauth: {
      authorize: `${ui}/oauth2/authorize`,
      token: `${ui}/oauth2/token`,
      userInfo: `${ui}/oauth2/userInfo`,
      revoke: `${ui}/oauth2/revoke`,
      logout: `${ui}/logout`,
      login: `${ui}/login`,
    },
    brandingAsset: (poolId, scope, file) =>
      `${ui}/branding/${encodeURIComponent(poolId)}/${encodeURIComponent(scope)}/${encodeURIComponent(file)}`,
    awsIssuer,
    apiStageUrl: (stageName) => (stageName === '$default' ? api : `${api}/${stageName}`),
  };
}
