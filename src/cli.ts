/**
 * `gatehouse start`: synthesizes the CDK stack offline, reads cdk.out and runs the whole stack on this machine:
 * the Cognito-compatible user pools (JSON API, Hosted UI, OAuth2/OIDC), the HTTP APIs with their JWT authorizers,
 * and the Lambda functions. This file is the only place that wires concrete parts together.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { batchedWriter, LOG_FLUSH_MS } from './cli/batchedWriter.js';
import { startStacks } from './cli/cloudformation.js';
import { registerControlPlane, startFunctionsAndLogs } from './cli/control-plane.js';
import { s3CodeSource, startDeployTarget } from './cli/deploy-target.js';
import { type EndpointsFile, removeEndpointsFile, writeEndpointsFile } from './cli/endpoints.js';
import { synthIfChanged } from './cli/synth.js';
import { watchAndResynth } from './cli/watch.js';
import { type Config, ConfigError, createUrls, loadConfig, type Urls } from './config/index.js';
import { createEdge } from './edge/index.js';
import { localPoolIssuers, type RunningGateway, startGateway } from './services/apigateway/index.js';
import { loadTopology, type Topology } from './services/cloudformation/index.js';
import { startHostedUi } from './services/cognito-idp/hosted-ui/server.js';
import { startIdp } from './services/cognito-idp/index.js';
import { cognitoInternal } from './services/cognito-idp/internal.js';
import { type ProvisionedPool, stackPools } from './services/cognito-idp/provision.js';
import { createS3Service } from './services/s3/index.js';
import { s3Internal } from './services/s3/internal.js';
import { createSsmService } from './services/ssm/index.js';
import { createStsService } from './services/sts/index.js';
import { AdjustableClock, systemClock } from './shared/clock.js';
import { httpOrigin, listenHttp } from './shared/listen.js';
import { ensurePrivateDir } from './shared/privateFiles.js';
import { ControlPlaneStore } from './store/records.js';
import { S3Store } from './store/s3/index.js';

const USAGE = `Usage: gatehouse start [options]

Runs the synthesized CDK stack locally: user pools, Hosted UI, HTTP APIs and Lambda functions.

Options (each also settable as GATEHOUSE_<NAME> in the environment):
  --data-dir DIR        state directory (default .gatehouse)
  --project-dir DIR     the CDK project to synthesize and watch (default: the working directory)
  --idp-port N          Cognito JSON API, JWKS, discovery and inbox (default 9229; 0 = any free port)
  --hosted-ui-port N    Hosted UI and OAuth2 endpoints (default 9230)
  --api-port N          HTTP API (default 9231)
  --host H              bind address (default 127.0.0.1)
  --request-timeout-ms N    every port: a request must arrive whole within N ms (default 30000)
  --headers-timeout-ms N    every port: its headers within N ms (default 10000)
  --keep-alive-timeout-ms N every port: an idle keep-alive connection closes after N ms (default 5000)
  --issuer-mode M       local (http://127.0.0.1:PORT/<poolId>) or aws (https://cognito-idp.<region>.amazonaws.com/<poolId>)
  --python PATH         python3 executable for python3.x functions (default: python3 on the PATH)
  --lambda-concurrency N  worker threads per function (default: the number of cores, at least 2)
  --cdk-out DIR         cloud assembly to read (default cdk.out)
  --synth               run cdk synth even if nothing that feeds it changed since the last synth
  --no-synth            use the existing cloud assembly instead of running cdk synth
                        (default: synth only when the CDK app, cdk.json, context, config or lock file changed)
  --empty               no stack: an empty local cloud to deploy into (Terraform, SDKs, aws CLI)
  --watch               re-synthesize and reload functions and routes when the CDK app's sources change
  --test-clock          let POST /_gatehouse/clock {"advanceSeconds":N} on the Cognito endpoint move time forward
  --smtp-url URL        also deliver mail through this SMTP server (smtp://user:pass@host:port)
  --log-level L         fatal|error|warn|info|debug|trace|silent (default info)
`;

/** A client secret as the summary shows it: enough to tell clients apart, not enough to use. */
export function shortSecret(secret: string): string {
  return `${secret.slice(0, 8)}…`;
}

function endpointsFile(
  urls: Urls,
  pools: ProvisionedPool[],
  gateway: RunningGateway,
  stackApis: ReadonlyMap<string, { logicalId: string; name: string }>,
): EndpointsFile {
  return {
    region: urls.region,
    awsEndpoint: urls.awsEndpoint,
    cognitoIdpEndpoint: urls.idpEndpoint,
    inboxUrl: urls.inboxUrl,
    userPools: pools.map((p) => ({
      logicalId: p.logicalId,
      id: p.id,
      name: p.name,
      issuer: p.issuer,
      jwksUri: p.jwksUri,
      hostedUiUrl: p.domain === undefined ? null : urls.hostedUiBase(),
      clients: p.clients.map((c) => ({
        logicalId: c.logicalId,
        id: c.id,
        secret: c.secret,
        callbackUrls: c.callbackUrls,
        logoutUrls: c.logoutUrls,
      })),
    })),
    apis: gateway.apis.flatMap((a) => {
      const stackApi = stackApis.get(a.id);
      const logicalId = stackApi?.logicalId ?? a.id;
      const name = stackApi?.name ?? a.logicalId;
      return a.stages.map((s) => ({ logicalId, name, stage: s.name, url: s.url }));
    }),
  };
}

function summary(
  file: EndpointsFile,
  hostedUi: string,
  dataDir: string,
  smtp: boolean,
  gatewayUrl?: string,
): string {
  const lines = ['', 'Gatehouse local cloud is running', ''];
  lines.push(`  AWS endpoint  ${file.awsEndpoint}   (AWS_ENDPOINT_URL=${file.awsEndpoint})`);
  lines.push(
    `  Cognito API   ${file.cognitoIdpEndpoint}   (aws cognito-idp --endpoint-url ${file.cognitoIdpEndpoint})`,
  );
  lines.push(`  Hosted UI     ${hostedUi}`);
  for (const api of file.apis) lines.push(`  HTTP API      ${api.url}   (${api.name})`);
  if (file.apis.length === 0 && gatewayUrl) {
    lines.push(`  HTTP API      ${gatewayUrl}   (none yet: the first API created through the AWS endpoint)`);
  }
  for (const pool of file.userPools) {
    lines.push(`  User pool     ${pool.id}   ${pool.name}`);
    lines.push(`    issuer      ${pool.issuer}`);
    for (const c of pool.clients) {
      // The full secret is in endpoints.json (0600) and DescribeUserPoolClient, not on a terminal or in its scrollback.
      lines.push(`    client      ${c.id}${c.secret ? `   secret ${shortSecret(c.secret)}` : '   (public)'}`);
      const login = c.callbackUrls[0];
      if (pool.hostedUiUrl && login) {
        const q = new URLSearchParams({
          client_id: c.id,
          response_type: 'code',
          scope: 'openid email',
          redirect_uri: login,
        });
        lines.push(`    sign in     ${pool.hostedUiUrl}/oauth2/authorize?${q}`);
      }
    }
  }
  lines.push(`  Mail          ${file.inboxUrl}.html${smtp ? ' (and SMTP)' : ''}`);
  lines.push(`  State         ${dataDir}`, '');
  return lines.join('\n');
}

async function start(config: Config): Promise<void> {
  // Asynchronous writes, batched, keep logging off the request path (bench/gateway.ts measures npm start's defaults).
  const logDestination = pino.destination({ sync: false });
  const logOut = batchedWriter(logDestination, LOG_FLUSH_MS);
  const log = pino(
    {
      level: config.logLevel,
      base: undefined,
      redact: ['password', 'secret', 'token', '*.password', 'privateJwk', '*.privateJwk', 'private_jwk'],
    },
    logOut,
  );
  // Whatever ends the process (a start-up error included), the lines still held are written.
  process.once('exit', () => {
    logOut.flush();
    logDestination.flushSync();
  });
  const rawLines = log.isLevelEnabled('info');
  const writeRawLine = (line: string) => {
    if (rawLines) logOut.write(`${line}\n`);
  };
  // The state holds signing keys and client secrets: 0700, every file in it 0600, before anything is written.
  const privacy = ensurePrivateDir(config.dataDir);
  for (const t of privacy.tightened) {
    log.warn(
      { path: t.path, from: t.from },
      'tightened permissions that let other local users read the state',
    );
  }

  // The synth is skipped when nothing that feeds it changed since the last one (src/cli/synth-inputs.ts).
  const synthOpts = {
    cwd: config.projectDir,
    outDir: config.cdkOut,
    env: config.synthEnv,
    skipDirs: [config.dataDir],
  };
  let synthesized = false;
  if (config.empty) {
    log.info({}, 'starting empty: no stack, ready to deploy into (Terraform, the SDKs, the aws CLI)');
  } else if (config.synth !== 'never') {
    const t0 = performance.now();
    const done = await synthIfChanged({ ...synthOpts, force: config.synth === 'always' });
    synthesized = done.synthesized;
    const ms = Math.round(performance.now() - t0);
    if (done.synthesized)
      log.info({ outDir: config.cdkOut, reason: done.reason, ms }, 'synthesized the CDK stack');
    else
      log.info(
        { outDir: config.cdkOut, files: done.files, ms },
        `skipped cdk synth: ${done.reason} (--synth forces it)`,
      );
  }
  if (!config.empty && !existsSync(join(config.cdkOut, 'manifest.json'))) {
    throw new ConfigError(`No cloud assembly at ${config.cdkOut}: run \`npm run synth\` or drop --no-synth`);
  }
  // The services start with the project's stack as synthesized (or nothing with --empty); the CloudFormation engine
  // then deploys that stack, and everything deployed later (cdk deploy, Terraform) is applied to the same services.
  const topology: Topology = config.empty
    ? {
        stackName: 'empty',
        region: config.region,
        accountId: config.accountId,
        userPools: [],
        functions: [],
        apis: [],
        buckets: [],
      }
    : loadTopology({
        cdkOutDir: config.cdkOut,
        region: config.region,
        accountId: config.accountId,
      });
  for (const w of topology.warnings ?? []) log.warn({ stack: topology.stackName }, w);

  // Every port is bound for real first (0 = any free port), so every URL names the port actually bound.
  const bound = {
    idp: await listenHttp(config.host, config.ports.idp, config.limits),
    hostedUi: await listenHttp(config.host, config.ports.hostedUi, config.limits),
    api: await listenHttp(config.host, config.ports.api, config.limits, { maxHeaderSize: 64 * 1024 }),
  };
  const publicOrigin = (port: number) => httpOrigin(config.publicHost, port);
  // The whole cloud shares one clock; with --test-clock, POST /_gatehouse/clock on the Cognito endpoint moves it.
  const testClock = config.testClock ? new AdjustableClock(systemClock) : undefined;
  const clock = testClock ?? systemClock;
  // Functions (with their durable code updates) and CloudWatch Logs, where every function line also goes.
  const functions = startFunctionsAndLogs({
    config,
    topology,
    clock,
    log,
    writeRawLine,
    // The functions reach AWS at the local AWS endpoint (on the IdP's port).
    awsEndpoint: publicOrigin(bound.idp.port),
  });
  const { runtime } = functions;
  // The one AWS endpoint, on the IdP's port: every AWS API call is routed to its service from here.
  const edge = createEdge({ log });
  const s3Store = new S3Store(join(config.dataDir, 's3'));
  const s3 = { store: s3Store, region: topology.region, accountId: topology.accountId, clock };
  edge.register(createS3Service(s3));
  const ssm = createSsmService({
    dataDir: config.dataDir,
    clock,
    region: topology.region,
    accountId: topology.accountId,
  });
  edge.register(ssm.service);
  edge.register(createStsService({ accountId: topology.accountId, clock }));
  // The IdP binds its port first, so the issuer and every other URL name the real port (0 = any free port).
  const idp = await startIdp({
    dataDir: config.dataDir,
    region: topology.region,
    issuerMode: config.issuerMode,
    host: config.host,
    server: bound.idp,
    urls: () =>
      createUrls({
        region: topology.region,
        issuerMode: config.issuerMode,
        idpOrigin: publicOrigin(bound.idp.port),
        hostedUiOrigin: publicOrigin(bound.hostedUi.port),
        apiOrigin: publicOrigin(bound.api.port),
      }),
    clock,
    log,
    ...(config.smtpUrl ? { smtpUrl: config.smtpUrl } : {}),
    invoker: runtime,
    ...(testClock ? { testClock } : {}),
    edge,
  });
  const { urls, service } = idp;
  // The stacks' pools, as endpoints.json and the summary show them (the engine creates them in the service).
  let pools: ProvisionedPool[] = [];

  const hostedUi = await startHostedUi({
    service,
    urls,
    log,
    clock,
    host: config.host,
    server: bound.hostedUi.server,
  });
  // The gateway serves API Gateway's store, where the CloudFormation engine makes the stacks' APIs too.
  const gateway = await startGateway({
    apis: [],
    invoker: runtime,
    clock,
    log,
    region: topology.region,
    accountId: topology.accountId,
    // Plain data about the local pools, not the IdP: the gateway finds their keys by discovery + JWKS like any issuer.
    // A pool's AWS issuer maps to the local one while the pool exists (the stacks create theirs after this).
    resolveIssuer: localPoolIssuers(urls, [], (poolId) => service.findPool(poolId) !== undefined),
    host: config.host,
    publicHost: config.publicHost,
    server: bound.api,
    limits: config.limits,
    // Access log lines go out as the stage's format made them, as CloudWatch Logs would hold them.
    accessLogSink: (e) => {
      writeRawLine(e.line);
      functions.accessLog(e.apiId, e.stage, e.line);
    },
  });
  // Lambda's API and CloudWatch Logs on the one AWS endpoint; `lambda`: what a stack's functions go through.
  const lambda = registerControlPlane({
    edge,
    config,
    topology: () => topology,
    parts: functions,
    codeSource: s3CodeSource(s3Store),
    log,
  });
  // IAM, API Gateway v2's control plane; the gateway serves its store, where the stacks' APIs go too. All of it is
  // kept in <dataDir>/control-plane.sqlite and served again at start.
  const controlPlane = ControlPlaneStore.open(config.dataDir);
  const target = startDeployTarget({
    records: controlPlane,
    edge,
    gateway,
    region: topology.region,
    accountId: topology.accountId,
    clock,
    log,
    setAccessLogGroups: (groups) => functions.setAccessLogGroups(groups),
  });
  // CloudFormation: the engine, whose stacks the services above serve.
  let started = false;
  const writeEndpoints = () =>
    writeEndpointsFile(config.dataDir, endpointsFile(urls, pools, gateway, stacks.stackApis()));
  const stacksChanged = async (): Promise<void> => {
    pools = stackPools(service, stacks.engine.liveResources());
    if (started) writeEndpoints();
  };
  const stacks = startStacks({
    edge,
    dataDir: config.dataDir,
    region: topology.region,
    accountId: topology.accountId,
    clock,
    endpoints: {
      stageUrl: (apiId, stage) =>
        gateway.apis.flatMap((a) => a.stages.filter((s) => a.id === apiId && s.name === stage))[0]?.url,
      hostedUiBase: urls.hostedUiBase(),
      issuer: (poolId) => urls.issuer(poolId),
    },
    targets: {
      ssm,
      s3: s3Internal({ store: s3Store, region: topology.region, now: () => clock.now() }),
      logs: functions.logs,
      lambda,
      cognito: cognitoInternal(service),
      invoker: runtime,
      apigateway: target.apiGateway,
      stacksChanged,
    },
    log,
  });
  await stacks.bootstrap();
  // A data dir from before a service stored the stacks' resources: what it lacks is created again.
  const restored = await stacks.engine.restore();
  if (restored.length) log.info({ resources: restored }, 'restored stack resources a service lacked');
  if (!config.empty) {
    const deployed = await stacks.deployAssembly(config.cdkOut);
    if (!/_COMPLETE$/.test(deployed.status) || /ROLLBACK/.test(deployed.status)) {
      throw new ConfigError(
        `Deploying ${deployed.stackName} failed (${deployed.status}): ${deployed.reason ?? ''}`,
      );
    }
    log.info(
      { stack: deployed.stackName, status: deployed.status },
      'deployed the stack through CloudFormation',
    );
    // A new synth is a fresh deploy of the project's stack: its functions' code and configuration replace the
    // updates made through Lambda's API since (a `cdk deploy --hotswap`), even where the template did not change.
    if (synthesized) {
      for (const r of Object.values(stacks.engine.store.find(deployed.stackName)?.resources ?? {}))
        if (r.type === 'AWS::Lambda::Function') lambda.resetUpdates(r.physicalId);
    }
  }
  // The pools of the stacks deployed before a restart (cdk deploy into --empty) are listed again.
  await stacksChanged();
  // The APIs restored from control-plane.sqlite (the stacks' included) are served before the summary names them.
  await target.settled();
  started = true;

  const file = endpointsFile(urls, pools, gateway, stacks.stackApis());
  writeEndpointsFile(config.dataDir, file);
  process.stdout.write(
    summary(file, urls.hostedUiBase(), config.dataDir, Boolean(config.smtpUrl), gateway.url),
  );

  // --watch: a change re-synthesizes only when the synth's inputs changed, then deploys the new assembly.
  const watcher = config.watch
    ? watchAndResynth({
        synth: synthOpts,
        log,
        deploy: async () => {
          const r = await stacks.deployAssembly(config.cdkOut);
          if (/FAILED|ROLLBACK/.test(r.status)) throw new Error(`${r.status}: ${r.reason ?? ''}`);
          log.info({ functions: functions.registry.list().length }, 'reloaded functions and routes');
        },
      })
    : undefined;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    watcher?.close();
    removeEndpointsFile(config.dataDir);
    await Promise.allSettled([gateway.close(), hostedUi.close()]);
    // Last: the IdP waits for mail deliveries, stops its SRP workers and closes the store the Hosted UI shared.
    await idp.close();
    s3Store.close();
    controlPlane.close();
    await functions.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

async function main(argv: string[]): Promise<void> {
  const [command = 'start', ...rest] = argv;
  if (command === '--help' || command === 'help' || rest.includes('--help')) {
    process.stdout.write(USAGE);
    return;
  }
  if (command !== 'start') throw new ConfigError(`Unknown command: ${command}\n\n${USAGE}`);
  await start(loadConfig(rest));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`gatehouse: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
