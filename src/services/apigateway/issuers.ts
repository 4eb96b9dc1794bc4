import type { Urls } from '../../config/urls.js';
import { defaultResolveIssuer, type ResolvedIssuer, type ResolveIssuer } from './authorizer.js';

/**
 * The issuer mapping for `npm start`, built from the one URL source: an authorizer whose template issuer is a
 * local pool's AWS issuer (`https://cognito-idp.<region>.amazonaws.com/<poolId>`, as CDK writes it) checks tokens
 * against that pool's local issuer and discovery document; the local issuer itself maps to the same; any other
 * issuer is used as given (discovery plus JWKS over HTTP(S)).
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
 */
export function localPoolIssuers(
  urls: Urls,
  poolIds: readonly string[],
  /** Pools created after start (through the API): an AWS issuer naming one maps to it too. */
  isLocalPool: (poolId: string) => boolean = () => false,
): ResolveIssuer {
  const known = new Map<string, ResolvedIssuer>();
  for (const id of poolIds) {
    const local: ResolvedIssuer = { issuer: urls.issuer(id), discoveryUrl: urls.discoveryUrl(id) };
    known.set(urls.awsIssuer(id), local);
    known.set(urls.issuer(id), local);
  }
  return (issuer) => {
    const trimmed = issuer.replace(/\/+$/, '');
    const hit = known.get(trimmed);
    if (hit) return hit;
    const id = /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/([\w-]+_[0-9a-zA-Z]+)$/.exec(
      trimmed,
    )?.[1];
    if (id !== undefined && trimmed === urls.awsIssuer(id) && isLocalPool(id)) {
      return { issuer: urls.issuer(id), discoveryUrl: urls.discoveryUrl(id) };
    }
    return defaultResolveIssuer(issuer);
  };
}
