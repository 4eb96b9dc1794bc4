/** What a value pointing at AWS maps to on this machine. */
export interface LocalEndpoints {
  /** The local invoke URL of an HTTP API stage, when the API and stage exist. */
  stageUrl(apiId: string, stage: string): string | undefined;
  /** The local Hosted UI base URL (one host serves every pool's domain). */
  hostedUiBase: string;
  /** The issuer local tokens carry for a pool. */
  issuer(poolId: string): string;
}

const EXECUTE_API =
  /https:\/\/([a-z0-9]{10})\.execute-api\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?(\/[^/?#\s"]*)?\/?/g;
const HOSTED_UI = /https:\/\/[a-z0-9-]+\.auth\.[a-z0-9-]+\.amazoncognito\.com/g;
const ISSUER = /https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/([a-z0-9-]+_[A-Za-z0-9]+)/g;

/**
 * Rewrites AWS URLs in a stack output to this machine's: an execute-api stage URL to the local stage URL (so
 * `ApiEndpoint` is what to call), a Hosted UI domain to the local Hosted UI, a Cognito issuer to the local issuer.
 * Anything else is returned as it is.
 */
export function localizer(e: LocalEndpoints): (value: string) => string {
  return (value) =>
    value
      .replace(EXECUTE_API, (whole, apiId: string, path: string | undefined) => {
        const stage = path === undefined || path === '/' ? '$default' : decodeURIComponent(path.slice(1));
        const url =
          e.stageUrl(apiId, stage) ?? (stage !== '$default' ? undefined : e.stageUrl(apiId, '$default'));
        if (url === undefined) return whole;
        return whole.endsWith('/') && !url.endsWith('/') ? `${url}/` : url;
      })
      .replace(HOSTED_UI, e.hostedUiBase)
      .replace(ISSUER, (_whole, poolId: string) => e.issuer(poolId));
}
