import { PROTECTED_CLAIMS } from '../tokens/mint.js';
import { commonEvent, type PoolRef, withClientMetadata } from './events.js';
import type { TriggerTarget } from './invoke.js';
import { invokeTrigger, isObject, stringList, unrecognizable } from './invoke.js';
import type {
  ClaimsOverride,
  PreTokenGenerationInput,
  PreTokenGenerationVersion,
  PreTokenResult,
} from './types.js';

/**
 * Claims a function can neither add, override nor suppress (one list, shared with the token mint); attempts are
 * dropped [unverified: whether Cognito drops them or fails the call]. Group claims change only through
 * groupOverrideDetails.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html
 */
export { PROTECTED_CLAIMS };

/**
 * Pre token generation. V1_0 events customise the ID token (and the groups in both tokens); V2_0 and V3_0 events
 * also the access token and its scopes. Only V3_0 functions are called for client-credentials tokens.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html
 */
export async function preTokenGeneration(
  target: TriggerTarget,
  pool: PoolRef,
  version: PreTokenGenerationVersion,
  i: PreTokenGenerationInput,
): Promise<PreTokenResult> {
  if (i.triggerSource === 'TokenGeneration_ClientCredentials' && version !== 'V3_0') return {};
  const v1 = version === 'V1_0';
  const request: Record<string, unknown> = {
    userAttributes: i.userAttributes,
    groupConfiguration: { groupsToOverride: i.groups, iamRolesToOverride: [], preferredRole: null },
  };
  if (!v1) request.scopes = i.scopes;
  const event = commonEvent(pool, {
    version: v1 ? '1' : version === 'V2_0' ? '2' : '3',
    triggerSource: i.triggerSource,
    userName: i.username,
    clientId: i.clientId,
    request: withClientMetadata(request, i.clientMetadata),
    response: v1 ? { claimsOverrideDetails: null } : { claimsAndScopeOverrideDetails: null },
  });
  const r = await invokeTrigger(target, 'PreTokenGeneration', event);
  return v1 ? fromV1(r.claimsOverrideDetails) : fromV2(r.claimsAndScopeOverrideDetails);
}

function fromV1(details: unknown): PreTokenResult {
  if (details === undefined || details === null) return {};
  if (!isObject(details)) throw unrecognizable();
  const out: PreTokenResult = {};
  // V1 claims are strings in the ID token; a number or boolean is written as its text.
  const id = claims(details.claimsToAddOrOverride, details.claimsToSuppress, (v) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw unrecognizable();
  });
  if (id !== undefined) out.idClaimsOverride = id;
  const groups = groupOverride(details);
  if (groups !== undefined) out.groupOverride = groups;
  return out;
}

function fromV2(details: unknown): PreTokenResult {
  if (details === undefined || details === null) return {};
  if (!isObject(details)) throw unrecognizable();
  const out: PreTokenResult = {};
  const idGen = section(details.idTokenGeneration);
  if (idGen !== undefined) {
    const id = claims(idGen.claimsToAddOrOverride, idGen.claimsToSuppress, json);
    if (id !== undefined) out.idClaimsOverride = id;
  }
  const accessGen = section(details.accessTokenGeneration);
  if (accessGen !== undefined) {
    const access: NonNullable<PreTokenResult['accessClaimsOverride']> = {
      ...claims(accessGen.claimsToAddOrOverride, accessGen.claimsToSuppress, json),
    };
    const scopesToAdd = stringList(accessGen.scopesToAdd);
    const scopesToSuppress = stringList(accessGen.scopesToSuppress);
    if (scopesToAdd !== undefined) access.scopesToAdd = scopesToAdd;
    if (scopesToSuppress !== undefined) access.scopesToSuppress = scopesToSuppress;
    if (Object.keys(access).length > 0) out.accessClaimsOverride = access;
  }
  const groups = groupOverride(details);
  if (groups !== undefined) out.groupOverride = groups;
  return out;
}

function section(v: unknown): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw unrecognizable();
  return v;
}

function json(v: unknown): unknown {
  if (v === undefined) throw unrecognizable();
  return v;
}

/** Protected claims are dropped; a claim both added and suppressed is suppressed, as the documentation says. */
function claims(add: unknown, suppress: unknown, value: (v: unknown) => unknown): ClaimsOverride | undefined {
  const out: ClaimsOverride = {};
  const suppressed = stringList(suppress)?.filter((c) => !PROTECTED_CLAIMS.has(c));
  if (suppressed !== undefined && suppressed.length > 0) out.suppress = suppressed;
  if (add !== undefined && add !== null) {
    if (!isObject(add)) throw unrecognizable();
    const added: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(add)) {
      if (PROTECTED_CLAIMS.has(k) || suppressed?.includes(k)) continue;
      added[k] = value(v);
    }
    if (Object.keys(added).length > 0) out.add = added;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Present (even null or empty) means "replace the groups": an empty or null object leaves the user with none. */
function groupOverride(details: Record<string, unknown>): PreTokenResult['groupOverride'] {
  if (!('groupOverrideDetails' in details) || details.groupOverrideDetails === undefined) return undefined;
  const g = details.groupOverrideDetails;
  if (g === null) return { groupsToOverride: [] };
  if (!isObject(g)) throw unrecognizable();
  return { groupsToOverride: stringList(g.groupsToOverride) ?? [] };
}
