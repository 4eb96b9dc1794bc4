/**
 * AWS::ApiGatewayV2::Api, Stage, Route, Integration and Authorizer: each created, updated and deleted on its own
 * through API Gateway v2's internal operations (EngineTargets.apigateway), which run the same code as CreateApi,
 * CreateStage... The ids are the deterministic ones `Ref` gives (ids.ts), so a route's `Target` and `AuthorizerId`
 * name the parts the service holds, and they survive restarts. The properties are the API's members already, save
 * for a few CloudFormation shapes translated here.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/AWS_ApiGatewayV2.html
 */
import { isRecord } from '../template.js';
import { type ProviderRequest, ResourceFailure, type ResourceProvider } from './providers.js';
import type { ApiGatewayPartKind, EngineTargets } from './targets.js';

type ApiGateway = NonNullable<EngineTargets['apigateway']>;
type Props = Record<string, unknown>;

function service(r: ProviderRequest): ApiGateway {
  const ag = r.targets.apigateway;
  if (!ag) throw new ResourceFailure('API Gateway is not available in this local cloud');
  return ag;
}

/** A service error as CloudFormation reports it: the service's message, then its code. */
async function calling<T>(ag: ApiGateway, run: () => T): Promise<T> {
  try {
    return run();
  } catch (e) {
    const err = e as { message?: string; code?: string; statusCode?: number };
    if (typeof err.code === 'string' && typeof err.statusCode === 'number') {
      throw new ResourceFailure(
        `${err.message ?? ''} (Service: AmazonApiGatewayV2; Status Code: ${err.statusCode}; Error Code: ${err.code})`,
      );
    }
    throw e;
  } finally {
    await ag.settled();
  }
}

const required = (r: ProviderRequest, key: string): never => {
  throw new ResourceFailure(
    `Properties validation failed for resource ${r.logicalId} with message: #: required key [${key}] not found`,
  );
};

function apiIdOf(r: ProviderRequest, props: Props = r.properties): string {
  const id = props.ApiId;
  return typeof id === 'string' && id !== '' ? id : required(r, 'ApiId');
}

const refOf = (r: ProviderRequest) => r.resolver.ref(r.logicalId, r.logicalId);

/** CloudFormation passes numbers and booleans of a template as strings too ("30000", "true"). */
function scalars(props: Props, numbers: readonly string[], booleans: readonly string[]): Props {
  const out = { ...props };
  for (const k of numbers) {
    if (typeof out[k] === 'string' && /^\d+$/.test(out[k] as string)) out[k] = Number(out[k]);
  }
  for (const k of booleans) {
    if (out[k] === 'true' || out[k] === 'false') out[k] = out[k] === 'true';
  }
  return out;
}

function apiInput(r: ProviderRequest): Props {
  const props = r.properties;
  for (const key of ['Body', 'BodyS3Location']) {
    if (props[key] !== undefined) {
      throw new ResourceFailure(
        `${key} (an OpenAPI import) is not supported by the local cloud: define the routes as resources (CDK does)`,
      );
    }
  }
  for (const key of ['Target', 'RouteKey', 'CredentialsArn']) {
    if (props[key] !== undefined) {
      throw new ResourceFailure(
        `${key} (quick create) is not supported by the local cloud: define the routes as resources (CDK does)`,
      );
    }
  }
  const { BasePath: _b, FailOnWarnings: _f, ...rest } = props;
  if (rest.Name === undefined) required(r, 'Name');
  const out = scalars(rest, [], ['DisableExecuteApiEndpoint', 'DisableSchemaValidation']);
  if (isRecord(out.CorsConfiguration)) {
    out.CorsConfiguration = scalars(out.CorsConfiguration, ['MaxAge'], ['AllowCredentials']);
  }
  return out;
}

/** What each part's template gives the service: its properties without ApiId, in the API's shapes. */
const INPUT: Record<ApiGatewayPartKind, (props: Props) => Props> = {
  Stage: ({ ApiId: _, StageName: __, ...p }) => scalars(p, [], ['AutoDeploy']),
  Route: ({ ApiId: _, ...p }) => scalars(p, [], ['ApiKeyRequired']),
  Integration: ({ ApiId: _, ...p }) => {
    const out = scalars(p, ['TimeoutInMillis'], []);
    // CloudFormation: { "200": { "ResponseParameters": [{ Destination, Source }] } }; the API: { "200": { dest: source } }.
    if (isRecord(out.ResponseParameters)) {
      out.ResponseParameters = Object.fromEntries(
        Object.entries(out.ResponseParameters).map(([status, v]) => {
          const list = isRecord(v) && Array.isArray(v.ResponseParameters) ? v.ResponseParameters : [];
          return [
            status,
            Object.fromEntries(
              list.filter(isRecord).map((m) => [String(m.Destination ?? ''), String(m.Source ?? '')]),
            ),
          ];
        }),
      );
    }
    return out;
  },
  Authorizer: ({ ApiId: _, ...p }) => scalars(p, ['AuthorizerResultTtlInSeconds'], ['EnableSimpleResponses']),
};

/** The part's id in the service: a stage's name, the deterministic id for the others. */
function partId(kind: ApiGatewayPartKind, r: ProviderRequest, props: Props = r.properties): string {
  if (r.current) return r.current.physicalId;
  if (kind !== 'Stage') return refOf(r);
  const name = props.StageName;
  return typeof name === 'string' && name !== '' ? name : required(r, 'StageName');
}

/**
 * Stages without AutoDeploy and without a DeploymentId serve the stack's API as the stack last changed it: the
 * engine has no AWS::ApiGatewayV2::Deployment, so a change to a route, an integration or an authorizer deploys them
 * (on AWS the template would declare a Deployment).
 */
function manualStages(r: ProviderRequest, apiId: string): string[] {
  return Object.values(r.stack.resources)
    .filter(
      (s) =>
        s.type === 'AWS::ApiGatewayV2::Stage' &&
        s.properties.ApiId === apiId &&
        s.properties.AutoDeploy !== true &&
        s.properties.AutoDeploy !== 'true' &&
        s.properties.DeploymentId === undefined,
    )
    .map((s) => s.physicalId);
}

function redeployManual(ag: ApiGateway, r: ProviderRequest, apiId: string): void {
  for (const stage of manualStages(r, apiId)) {
    if (ag.has(apiId, { kind: 'Stage', id: stage })) ag.deployStage(apiId, stage);
  }
}

const api: ResourceProvider = {
  async create(r) {
    const ag = service(r);
    const id = refOf(r);
    const input = apiInput(r);
    await calling(ag, () => {
      // An API of this id left by an older data dir (or a lost stack record) gives way to the stack's definition.
      if (ag.has(id)) ag.deleteApi(id);
      ag.createApi(id, input);
    });
    return { physicalId: id };
  },
  async update(r) {
    const ag = service(r);
    const id = r.current?.physicalId ?? refOf(r);
    const input = apiInput(r);
    await calling(ag, () => ag.updateApi(id, input));
    return { physicalId: id };
  },
  async delete(r) {
    const ag = service(r);
    await calling(ag, () => ag.deleteApi(r.current?.physicalId ?? refOf(r)));
  },
  exists: (r) => service(r).has(r.current?.physicalId ?? refOf(r)),
};

function part(kind: ApiGatewayPartKind): ResourceProvider {
  const provider: ResourceProvider = {
    async create(r) {
      const ag = service(r);
      const apiId = apiIdOf(r);
      const id = kind === 'Stage' ? partId(kind, r) : refOf(r);
      const input = INPUT[kind](r.properties);
      await calling(ag, () => {
        // A part of this id already there (an older data dir) is brought to the template's state.
        if (ag.has(apiId, { kind, id })) ag.updatePart(kind, apiId, id, input);
        else ag.createPart(kind, apiId, id, input);
        if (kind !== 'Stage') redeployManual(ag, r, apiId);
        else if (input.AutoDeploy !== true && input.DeploymentId === undefined) ag.deployStage(apiId, id);
      });
      return { physicalId: id };
    },
    async update(r) {
      const ag = service(r);
      const apiId = apiIdOf(r);
      const id = partId(kind, r);
      const input = INPUT[kind](r.properties);
      await calling(ag, () => {
        ag.updatePart(kind, apiId, id, input);
        if (kind !== 'Stage') redeployManual(ag, r, apiId);
        else if (input.AutoDeploy !== true && input.DeploymentId === undefined) ag.deployStage(apiId, id);
      });
      return { physicalId: id };
    },
    async delete(r) {
      const ag = service(r);
      const apiId = apiIdOf(r);
      const id = partId(kind, r);
      await calling(ag, () => {
        if (ag.deletePart(kind, apiId, id) && kind !== 'Stage') redeployManual(ag, r, apiId);
      });
    },
    exists: (r) => service(r).has(apiIdOf(r), { kind, id: partId(kind, r) }),
  };
  return provider;
}

export const apiGatewayProviders = {
  api,
  stage: part('Stage'),
  route: part('Route'),
  integration: part('Integration'),
  authorizer: part('Authorizer'),
} as const satisfies Readonly<Record<string, ResourceProvider>>;
