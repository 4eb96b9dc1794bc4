import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type CfnTemplate, Resolver } from '../intrinsics.js';
import { listStacks } from '../load.js';

/** One resource of the deployed stack, with its local physical id. */
export interface DeployedResource {
  logicalId: string;
  physicalId: string;
  type: string;
}

/** The stack `npm start` deployed, as CloudFormation's read API describes it. */
export interface DeployedStack {
  stackName: string;
  stackId: string;
  description: string | undefined;
  /** The template as synthesized, for GetTemplate. */
  templateBody: string;
  resources: DeployedResource[];
  /** Outputs resolved to local values (see ./localize.ts). */
  outputs: { key: string; value: string; description: string | undefined; exportName: string | undefined }[];
  parameters: { key: string; value: string }[];
  createdAt: Date;
  /** AWS::Logs::LogGroup resources: name and RetentionInDays. */
  logGroups: { name: string; retentionInDays: number | undefined }[];
  /** Access log destinations of HTTP API stages: `<apiId>/<stage>` → log group name. */
  accessLogGroups: Map<string, string>;
}

export interface ReadStackOptions {
  cdkOutDir: string;
  stackName?: string | undefined;
  region: string;
  accountId: string;
  /** When the stack was deployed (this start). */
  deployedAt: Date;
  /** Maps a value pointing at AWS (an execute-api URL, a Hosted UI domain) to its local counterpart. */
  localize: (value: string) => string;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `arn:...:log-group:NAME[:*]` → NAME. */
const logGroupOfArn = (arn: string) => /:log-group:(.+?)(?::\*)?$/.exec(arn)?.[1];

/**
 * Reads the deployed stack from the cloud assembly with the same resolver that built the running topology, so the
 * physical ids it reports are the ones the local services use.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html
 */
export function readDeployedStack(o: ReadStackOptions): DeployedStack {
  const stacks = listStacks(o.cdkOutDir);
  const artifact = o.stackName === undefined ? stacks[0] : stacks.find((s) => s.stackName === o.stackName);
  if (artifact === undefined) throw new Error(`No stack ${o.stackName ?? ''} in ${o.cdkOutDir}`);
  const templateBody = readFileSync(artifact.templateFile, 'utf8');
  const template = JSON.parse(templateBody) as CfnTemplate & { Description?: string };
  const region = artifact.region ?? o.region;
  const accountId = artifact.account ?? o.accountId;
  const r = new Resolver(template, {
    stackName: artifact.stackName,
    region,
    accountId,
    parameters: artifact.parameters,
  });
  const resources: DeployedResource[] = [];
  const logGroups: DeployedStack['logGroups'] = [];
  const accessLogGroups = new Map<string, string>();
  for (const [logicalId, res] of Object.entries(template.Resources ?? {})) {
    if (!r.isActive(logicalId)) continue;
    let physicalId: string;
    try {
      physicalId = r.ref(logicalId, logicalId);
    } catch {
      physicalId = logicalId;
    }
    resources.push({ logicalId, physicalId, type: res.Type });
    try {
      if (res.Type === 'AWS::Logs::LogGroup') {
        const days = r.properties(logicalId).RetentionInDays;
        logGroups.push({ name: physicalId, retentionInDays: typeof days === 'number' ? days : undefined });
      } else if (res.Type === 'AWS::ApiGatewayV2::Stage') {
        const props = r.properties(logicalId);
        const dest = isRecord(props.AccessLogSettings) ? props.AccessLogSettings.DestinationArn : undefined;
        const group = typeof dest === 'string' ? logGroupOfArn(dest) : undefined;
        if (group !== undefined)
          accessLogGroups.set(`${String(props.ApiId)}/${String(props.StageName)}`, group);
      }
    } catch {
      // A property that only resolves in AWS: the resource is still listed, without this detail.
    }
  }
  const outputs = Object.entries(template.Outputs ?? {}).flatMap(([key, out]) => {
    if (out.Condition !== undefined && !r.condition(out.Condition, `Output ${key}`)) return [];
    const value = r.resolve(out.Value, `Output ${key}`);
    const exp = (out as { Export?: { Name?: unknown } }).Export?.Name;
    return [
      {
        key,
        value: o.localize(typeof value === 'string' ? value : JSON.stringify(value)),
        description: (out as { Description?: string }).Description,
        exportName: exp === undefined ? undefined : String(r.resolve(exp, `Output ${key}`)),
      },
    ];
  });
  const uuid = createHash('sha256').update(`${accountId}/${region}/${artifact.stackName}`).digest('hex');
  return {
    stackName: artifact.stackName,
    stackId: `arn:aws:cloudformation:${region}:${accountId}:stack/${artifact.stackName}/${uuid.slice(0, 8)}-${uuid.slice(8, 12)}-${uuid.slice(12, 16)}-${uuid.slice(16, 20)}-${uuid.slice(20, 32)}`,
    description: template.Description,
    templateBody,
    resources,
    outputs,
    parameters: Object.entries(artifact.parameters).map(([key, value]) => ({ key, value })),
    createdAt: o.deployedAt,
    logGroups,
    accessLogGroups,
  };
}
