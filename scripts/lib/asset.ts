import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

interface TemplateResource {
  Type?: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

/**
 * Finds the bundled code directory of a function in a synthesized cloud assembly, through the
 * `aws:asset:path` metadata CDK writes on the AWS::Lambda::Function. Zipping that directory deploys exactly what
 * `cdk deploy` would.
 * @see https://docs.aws.amazon.com/cdk/v2/guide/assets.html
 */
export async function findFunctionAssetDir(
  cdkOut: string,
  stackName: string,
  functionName: string,
): Promise<string> {
  const templatePath = join(cdkOut, `${stackName}.template.json`);
  let text: string;
  try {
    text = await readFile(templatePath, 'utf8');
  } catch {
    throw new Error(
      `No synthesized template at ${templatePath}; run \`npm run synth\` first or pass --asset-dir`,
    );
  }
  const template = JSON.parse(text) as { Resources?: Record<string, TemplateResource> };
  const bundled = Object.entries(template.Resources ?? {}).filter(
    ([, resource]) =>
      resource.Type === 'AWS::Lambda::Function' && typeof resource.Metadata?.['aws:asset:path'] === 'string',
  );
  // Prefer the function whose literal name matches; the app's only bundled function is the fallback when the
  // name comes from outputs of a stack synthesized with another config.
  const byName = bundled.filter(([, resource]) => resource.Properties?.FunctionName === functionName);
  const candidates =
    byName.length > 0 ? byName : bundled.filter(([, r]) => r.Metadata?.['aws:asset:is-bundled']);
  if (candidates.length !== 1) {
    throw new Error(
      `Expected one bundled function named ${functionName} in ${templatePath}, found ${candidates.length}; pass --asset-dir`,
    );
  }
  const [, resource] = candidates[0] as [string, TemplateResource];
  const dir = join(cdkOut, String(resource.Metadata?.['aws:asset:path']));
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new Error(`Asset directory ${dir} is missing; run \`npm run synth\` again`);
  return dir;
}
