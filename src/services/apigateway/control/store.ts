/**
 * API Gateway v2's resource model (HTTP APIs): apis, stages, routes, integrations, authorizers, deployments and
 * tags, with the create/get/update/delete operations that both the restJson1 API (./operations.ts) and the
 * CloudFormation engine call. Inputs and outputs use the API's member names (PascalCase), which are also
 * CloudFormation's property names for AWS::ApiGatewayV2::*. Every change calls `onChange`, which the CLI wires to
 * the gateway: what exists is what is served.
 *
 * Errors are API Gateway's own: NotFoundException (404), ConflictException (409), BadRequestException (400).
 * @see https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/api-reference.html
 */
import { createHash, randomBytes } from 'node:crypto';
import { AwsError } from '../../../protocols/index.js';
import type { Clock } from '../../../shared/clock.js';
import type { RecordCollection, Records } from '../../../store/records.js';

export type Tags = Record<string, string>;

export interface Cors {
  AllowCredentials?: boolean;
  AllowHeaders?: string[];
  AllowMethods?: string[];
  AllowOrigins?: string[];
  ExposeHeaders?: string[];
  MaxAge?: number;
}

export interface Api {
  ApiId: string;
  Name: string;
  ProtocolType: 'HTTP' | 'WEBSOCKET';
  ApiKeySelectionExpression: string;
  RouteSelectionExpression: string;
  CorsConfiguration?: Cors;
  Description?: string;
  DisableExecuteApiEndpoint: boolean;
  DisableSchemaValidation?: boolean;
  IpAddressType: string;
  Version?: string;
  CreatedDate: Date;
  Tags: Tags;
}

export interface RouteSettings {
  DataTraceEnabled?: boolean;
  DetailedMetricsEnabled?: boolean;
  LoggingLevel?: string;
  ThrottlingBurstLimit?: number;
  ThrottlingRateLimit?: number;
}

export interface Stage {
  StageName: string;
  AutoDeploy: boolean;
  AccessLogSettings?: { DestinationArn?: string; Format?: string };
  DefaultRouteSettings: RouteSettings;
  RouteSettings: Record<string, RouteSettings>;
  StageVariables: Record<string, string>;
  DeploymentId?: string;
  /** Set on stages with AutoDeploy only, as on AWS. */
  LastDeploymentStatusMessage?: string;
  Description?: string;
  ClientCertificateId?: string;
  ApiGatewayManaged: boolean;
  CreatedDate: Date;
  LastUpdatedDate: Date;
  Tags: Tags;
}

export interface Route {
  RouteId: string;
  RouteKey: string;
  AuthorizationType: string;
  AuthorizerId?: string;
  AuthorizationScopes?: string[];
  Target?: string;
  ApiKeyRequired: boolean;
  ApiGatewayManaged: boolean;
  OperationName?: string;
  RequestParameters?: Record<string, { Required: boolean }>;
  RequestModels?: Record<string, string>;
  ModelSelectionExpression?: string;
  RouteResponseSelectionExpression?: string;
}

export interface Integration {
  IntegrationId: string;
  IntegrationType: string;
  IntegrationUri?: string;
  IntegrationMethod?: string;
  PayloadFormatVersion: string;
  TimeoutInMillis: number;
  ConnectionType: string;
  ConnectionId?: string;
  CredentialsArn?: string;
  Description?: string;
  IntegrationSubtype?: string;
  RequestParameters?: Record<string, string>;
  ResponseParameters?: Record<string, Record<string, string>>;
  TlsConfig?: { ServerNameToVerify?: string };
  ApiGatewayManaged: boolean;
}

export interface Authorizer {
  AuthorizerId: string;
  Name: string;
  AuthorizerType: 'JWT' | 'REQUEST';
  IdentitySource: string[];
  JwtConfiguration?: { Audience?: string[]; Issuer?: string };
  AuthorizerUri?: string;
  AuthorizerCredentialsArn?: string;
  AuthorizerPayloadFormatVersion?: string;
  AuthorizerResultTtlInSeconds?: number;
  EnableSimpleResponses?: boolean;
  IdentityValidationExpression?: string;
}

/**
 * What a deployment froze: the API's routes, integrations and authorizers when it was made. Plain data (copies of
 * the records), so it persists with the deployment; never sent on the wire (see `deploymentOut`).
 */
export interface DeploymentSnapshot {
  routes: Route[];
  integrations: Integration[];
  authorizers: Authorizer[];
}

export interface Deployment {
  DeploymentId: string;
  DeploymentStatus: 'DEPLOYED';
  AutoDeployed: boolean;
  CreatedDate: Date;
  Description?: string;
  snapshot: DeploymentSnapshot;
}

/** A deployment as the API returns it: without its snapshot. */
export const deploymentOut = ({ snapshot: _, ...d }: Deployment): Omit<Deployment, 'snapshot'> => d;

/** The description AWS gives the deployments it makes for AutoDeploy stages. */
export const AUTO_DEPLOY_DESCRIPTION = 'Automatic deployment triggered by changes to the Api configuration';

/** One API with everything in it. */
export interface ApiRecord {
  api: Api;
  stages: Map<string, Stage>;
  routes: Map<string, Route>;
  integrations: Map<string, Integration>;
  authorizers: Map<string, Authorizer>;
  deployments: Map<string, Deployment>;
}

export const notFound = (message: string) => new AwsError('NotFoundException', message, 404);
export const conflict = (message: string) => new AwsError('ConflictException', message, 409);
export const badRequest = (message: string) => new AwsError('BadRequestException', message, 400);

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** API Gateway ids: lower-case alphanumerics (10 for an API, 7 for its parts, 6 for a deployment). */
export function newId(length: number, seed?: string): string {
  const bytes = seed === undefined ? randomBytes(length) : createHash('sha256').update(seed).digest();
  return [...bytes.subarray(0, length)].map((b) => ALNUM[b % ALNUM.length]).join('');
}

/** Drops the keys whose value is undefined, so reads return exactly what was written. */
export function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The HTTP APIs, in memory, and written whole (each API with all its parts) to `records` when given: on every
 * {@link changed} and by {@link commit}, which the service runs after every operation, before it answers. A new store
 * reads them back. The stacks' APIs are kept the same way (the CloudFormation engine makes them through ./internal.ts).
 */
export class ApiGatewayStore {
  readonly #apis = new Map<string, ApiRecord>();
  #listeners: (() => void)[] = [];
  readonly #records: RecordCollection<ApiRecord> | undefined;

  constructor(
    readonly region: string,
    readonly accountId: string,
    readonly clock: Clock,
    records?: Records,
  ) {
    this.#records = records?.collection<ApiRecord>('apigateway', 'api');
    for (const [id, r] of this.#records?.all() ?? []) this.#apis.set(id, r);
  }

  /** Called after every change (the gateway reloads from {@link list}). */
  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  changed(): void {
    this.commit();
    for (const l of this.#listeners) l();
  }

  /** Stores every API whose state changed (one transaction). */
  commit(): void {
    this.#records?.sync([...this.#apis]);
  }

  now = (): Date => new Date(this.clock.now());

  list(): ApiRecord[] {
    return [...this.#apis.values()].sort((a, b) => a.api.CreatedDate.getTime() - b.api.CreatedDate.getTime());
  }

  require(apiId: string): ApiRecord {
    const r = this.#apis.get(apiId);
    if (!r) throw notFound(`Invalid API identifier specified ${this.accountId}:${apiId}`);
    return r;
  }

  apiArn(apiId: string): string {
    return `arn:aws:apigateway:${this.region}::/apis/${apiId}`;
  }

  createApi(
    i: {
      Name: string;
      ProtocolType: 'HTTP' | 'WEBSOCKET';
      CorsConfiguration?: Cors;
      Description?: string;
      DisableExecuteApiEndpoint?: boolean;
      DisableSchemaValidation?: boolean;
      IpAddressType?: string;
      RouteSelectionExpression?: string;
      ApiKeySelectionExpression?: string;
      Version?: string;
      Tags?: Tags;
    },
    fixedId?: string,
  ): Api {
    if (i.ProtocolType !== 'HTTP') {
      throw badRequest('Only HTTP APIs are emulated locally (ProtocolType HTTP).');
    }
    const id = fixedId ?? newId(10);
    if (this.#apis.has(id)) throw conflict(`Api ${id} already exists`);
    const api: Api = defined({
      ApiId: id,
      Name: i.Name,
      ProtocolType: i.ProtocolType,
      ApiKeySelectionExpression: i.ApiKeySelectionExpression ?? '$request.header.x-api-key',
      RouteSelectionExpression: i.RouteSelectionExpression ?? '$request.method $request.path',
      CorsConfiguration: i.CorsConfiguration,
      Description: i.Description,
      DisableExecuteApiEndpoint: i.DisableExecuteApiEndpoint ?? false,
      DisableSchemaValidation: i.DisableSchemaValidation,
      IpAddressType: i.IpAddressType ?? 'ipv4',
      Version: i.Version,
      CreatedDate: this.now(),
      Tags: { ...(i.Tags ?? {}) },
    });
    this.#apis.set(id, {
      api,
      stages: new Map(),
      routes: new Map(),
      integrations: new Map(),
      authorizers: new Map(),
      deployments: new Map(),
    });
    this.changed();
    return api;
  }

  updateApi(apiId: string, patch: Partial<Omit<Api, 'ApiId' | 'CreatedDate' | 'Tags'>>): Api {
    const r = this.require(apiId);
    r.api = defined({ ...r.api, ...defined(patch) });
    this.changed();
    return r.api;
  }

  /** DeleteCorsConfiguration and UpdateApi with an empty CorsConfiguration both end here. */
  deleteCors(apiId: string): void {
    const r = this.require(apiId);
    delete r.api.CorsConfiguration;
    this.changed();
  }

  deleteApi(apiId: string): void {
    this.require(apiId);
    this.#apis.delete(apiId);
    this.changed();
  }

  /**
   * A new deployment: a snapshot of the API's routes, integrations and authorizers as they are now. A manual one
   * (CreateDeployment) moves the stage it names onto it; an automatic one moves every AutoDeploy stage onto it and
   * sets their LastDeploymentStatusMessage. Stages serve their deployment's snapshot, not the API's current parts:
   * "A deployment is a snapshot of your API configuration. [...] You must deploy an API for changes to take
   * effect. If you enable automatic deployments, changes to an API are automatically released for you."
   * An API without routes cannot be deployed: CreateDeployment answers BadRequestException, and no automatic
   * deployment is made for a stage that has none yet.
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-stages.html
   * @see https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-deployments.html
   */
  deploy(
    apiId: string,
    opts: { description?: string; stageName?: string; auto: boolean },
  ): Deployment | undefined {
    const r = this.require(apiId);
    if (opts.stageName !== undefined && !r.stages.has(opts.stageName)) {
      throw notFound(`Invalid stage identifier specified`);
    }
    if (r.routes.size === 0) {
      if (!opts.auto) throw badRequest('Unable to deploy API because no routes exist in this API');
      // [unverified] Once the last route is deleted, an AutoDeploy stage that served routes is redeployed
      // empty, so that deleting a resource takes it out of service (issue 13); one never deployed stays so.
      if (![...r.stages.values()].some((s) => s.AutoDeploy && s.DeploymentId !== undefined)) return undefined;
    }
    const d: Deployment = defined({
      DeploymentId: newId(6),
      DeploymentStatus: 'DEPLOYED' as const,
      AutoDeployed: opts.auto,
      CreatedDate: this.now(),
      Description: opts.auto ? AUTO_DEPLOY_DESCRIPTION : opts.description,
      snapshot: structuredClone({
        routes: [...r.routes.values()],
        integrations: [...r.integrations.values()],
        authorizers: [...r.authorizers.values()],
      }),
    });
    r.deployments.set(d.DeploymentId, d);
    for (const s of r.stages.values()) {
      if (opts.auto ? s.AutoDeploy : s.StageName === opts.stageName) {
        s.DeploymentId = d.DeploymentId;
        s.LastUpdatedDate = this.now();
        if (s.AutoDeploy) {
          s.LastDeploymentStatusMessage = `Successfully deployed stage with deployment ID '${d.DeploymentId}'`;
        }
      }
    }
    return d;
  }

  /** After a change to routes, integrations or authorizers: what AWS's auto-deploy does. */
  autoDeploy(apiId: string): void {
    const r = this.require(apiId);
    if ([...r.stages.values()].some((s) => s.AutoDeploy)) this.deploy(apiId, { auto: true });
  }

  /** A deployment a stage still serves cannot be deleted (AWS: BadRequestException). */
  deleteDeployment(apiId: string, deploymentId: string): void {
    const r = this.require(apiId);
    if (!r.deployments.has(deploymentId)) throw notFound('Invalid Deployment identifier specified');
    if ([...r.stages.values()].some((s) => s.DeploymentId === deploymentId)) {
      throw badRequest('Active stages pointing to this deployment must be moved or deleted');
    }
    r.deployments.delete(deploymentId);
  }

  tagsByArn(arn: string): { tags: Tags; set(t: Tags): void } {
    const m = /^arn:aws:apigateway:[^:]*::\/apis\/([a-z0-9]+)(?:\/stages\/([^/]+))?$/.exec(arn);
    if (!m) throw notFound(`Invalid resource identifier specified ${arn}`);
    const r = this.require(m[1] as string);
    if (m[2] === undefined) return { tags: r.api.Tags, set: (t) => Object.assign(r.api, { Tags: t }) };
    const s = r.stages.get(decodeURIComponent(m[2]));
    if (!s) throw notFound(`Invalid stage identifier specified`);
    return { tags: s.Tags, set: (t) => Object.assign(s, { Tags: t }) };
  }
}
