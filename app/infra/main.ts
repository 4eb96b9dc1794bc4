/**
 * The CDK app (`cdk.json`: `node --import tsx app/infra/main.ts`: tsx's loader, without an npx start-up before it).
 * Synthesizes the Gatehouse stack offline: no lookups, no AWS account needed, the handler bundled by the local esbuild.
 */
import { App, Validations } from 'aws-cdk-lib';
import cdkNag from 'cdk-nag';
import { loadStackConfig } from './config.js';
import { GatehouseStack } from './stack.js';

const app = new App();
const { AwsSolutionsChecks } = cdkNag;
// The one place app/infra reads the environment; everything else gets a StackConfig.
const config = loadStackConfig((key) => app.node.tryGetContext(key), process.env);

new GatehouseStack(app, config.stackName, {
  config,
  stackName: config.stackName,
  description: 'Gatehouse: Cognito + HTTP API JWT authorizer + Lambda',
  // Without a region the stack stays environment-agnostic and deploys to the credential chain's region.
  ...(config.region ? { env: { region: config.region } } : {}),
});

// cdk-nag runs on every synth, so a new finding stops a deploy, not only the tests.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

app.synth();
