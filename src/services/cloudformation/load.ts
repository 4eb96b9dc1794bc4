/**
 * Reads a synthesized cloud assembly (cdk.out): finds the CloudFormation stack in manifest.json and turns its
 * template into a Topology.
 * @see https://github.com/aws/aws-cdk-cli/tree/main/packages/%40aws-cdk/cloud-assembly-schema
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TemplateError } from './errors.js';
import { writeInlineCode } from './inlineCode.js';
import { type TopologyOptions, translateTemplate } from './topology.js';
import type { Topology } from './types.js';

/** One `aws:cloudformation:stack` artifact of a cloud assembly. */
export interface StackArtifact {
  /** The artifact id in manifest.json (the construct id for top-level stacks). */
  artifactId: string;
  /** The CloudFormation stack name (`properties.stackName`, else the artifact id). */
  stackName: string;
  /** e.g. `MyStage/MyStack` for stacks in a CDK Stage. */
  displayName: string;
  /** Absolute path of the template file. */
  templateFile: string;
  /** The assembly directory the template and its assets live in. */
  assemblyDir: string;
  /** The account and region when the stack pins them (`env`), else undefined. */
  account: string | undefined;
  region: string | undefined;
  parameters: Record<string, string>;
}

export interface LoadTopologyOptions {
  cdkOutDir: string;
  /** The region and account used for environment-agnostic stacks. */
  region: string;
  accountId: string;
  /** Which stack to run; may be omitted when the assembly has exactly one. */
  stackName?: string;
  /** Values for template parameters; others take their Default. */
  parameters?: Readonly<Record<string, string>>;
}

/**
 * The topology of one stack's template, with its inline function code written to disk (see
 * {@link translateTemplate}, which writes nothing).
 */
export function topologyFromTemplate(template: object, opts: TopologyOptions): Topology {
  const { topology, inlineCode } = translateTemplate(template, opts);
  writeInlineCode(inlineCode);
  return topology;
}

/**
 * Loads the topology of one stack of a synthesized CDK app. With no `stackName`, the assembly must hold exactly
 * one stack: several stacks are not merged, because cross-stack references (Fn::ImportValue) would need
 * exports the local cloud does not have, so the error lists the names to choose from.
 *
 * A stack that pins its environment (`env: { account, region }`) is loaded with that account and region, since
 * CDK writes them into the template as literals; `topology.region` then differs from `opts.region`.
 */
export function loadTopology(opts: LoadTopologyOptions): Topology {
  const stack = selectStack(listStacks(opts.cdkOutDir), opts.stackName, opts.cdkOutDir);
  const template = readJson(stack.templateFile, `template of stack ${stack.stackName}`);
  if (typeof template !== 'object' || template === null) {
    throw new TemplateError(`${stack.templateFile} is not a CloudFormation template`);
  }
  return topologyFromTemplate(template, {
    stackName: stack.stackName,
    region: stack.region ?? opts.region,
    accountId: stack.account ?? opts.accountId,
    assetBaseDir: stack.assemblyDir,
    parameters: { ...stack.parameters, ...opts.parameters },
  });
}

/** Every CloudFormation stack of the assembly at `cdkOutDir`, including stacks of nested (Stage) assemblies. */
export function listStacks(cdkOutDir: string): StackArtifact[] {
  const out: StackArtifact[] = [];
  collect(resolve(cdkOutDir), out, 0);
  return out;
}

function collect(assemblyDir: string, out: StackArtifact[], depth: number): void {
  const manifestFile = join(assemblyDir, 'manifest.json');
  const manifest = readJson(
    manifestFile,
    'cloud assembly manifest',
    depth === 0 ? ' (run `npm run synth` first)' : '',
  ) as { artifacts?: Record<string, Artifact> };
  if (typeof manifest !== 'object' || manifest === null) {
    throw new TemplateError(`${manifestFile} is not a cloud assembly manifest`);
  }
  for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
    const props = artifact.properties ?? {};
    if (artifact.type === 'cdk:cloud-assembly' && typeof props.directoryName === 'string' && depth < 8) {
      collect(join(assemblyDir, props.directoryName), out, depth + 1);
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    if (typeof props.templateFile !== 'string') {
      throw new TemplateError(`Stack artifact ${artifactId} in ${manifestFile} has no templateFile`);
    }
    const env = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '');
    const concrete = (v: string | undefined, unknown: string) => (v && v !== unknown ? v : undefined);
    out.push({
      artifactId,
      stackName: typeof props.stackName === 'string' ? props.stackName : artifactId,
      displayName: artifact.displayName ?? artifactId,
      templateFile: join(assemblyDir, props.templateFile),
      assemblyDir,
      account: concrete(env?.[1], 'unknown-account'),
      region: concrete(env?.[2], 'unknown-region'),
      parameters: isStringRecord(props.parameters) ? props.parameters : {},
    });
  }
}

interface Artifact {
  type?: string;
  environment?: string;
  displayName?: string;
  properties?: {
    templateFile?: unknown;
    stackName?: unknown;
    directoryName?: unknown;
    parameters?: unknown;
  };
}

function selectStack(stacks: StackArtifact[], wanted: string | undefined, cdkOutDir: string): StackArtifact {
  const names = stacks.map((s) => s.stackName).join(', ');
  if (wanted !== undefined) {
    const hit = stacks.filter((s) => [s.stackName, s.artifactId, s.displayName].includes(wanted));
    if (hit.length === 1) return hit[0] as StackArtifact;
    throw new TemplateError(
      hit.length === 0
        ? `No stack named ${wanted} in ${cdkOutDir}; it has: ${names || 'no stacks'}`
        : `Several stacks match ${wanted} in ${cdkOutDir}: ${hit.map((s) => s.displayName).join(', ')}`,
    );
  }
  if (stacks.length === 1) return stacks[0] as StackArtifact;
  if (stacks.length === 0)
    throw new TemplateError(`The cloud assembly ${cdkOutDir} has no CloudFormation stack`);
  throw new TemplateError(
    `The cloud assembly ${cdkOutDir} has ${stacks.length} stacks (${names}); choose one by its stack name`,
  );
}

function readJson(file: string, what: string, hint = ''): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new TemplateError(`Cannot read the ${what} at ${file}${hint}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new TemplateError(`The ${what} at ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

function isStringRecord(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && Object.values(v).every((x) => typeof x === 'string');
}
