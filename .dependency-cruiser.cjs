/**
 * The layers of the local cloud, held by `npm run lint` (dependency-cruiser over src/):
 *
 *   src/cli.ts, src/cli/**      wires everything; nothing imports it
 *   src/edge/**                 the one AWS endpoint: routes to services through their interfaces
 *   src/services/<name>/**      one folder per AWS service; another service is reached only through its
 *                               declared interface files: index.ts (the barrel) and types.ts (type shapes)
 *   src/store/**                SQLite stores: no service
 *   src/protocols/**            AWS wire protocols: no service
 *   src/config/**, src/shared/** the bottom layers: no service, no store
 *
 * Tests (*.test.ts) may reach into anything and are not cruised.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'nothing-imports-the-cli',
      comment: 'src/cli.ts is the only place that wires concrete parts together; nothing may depend on it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli(\\.ts$|/)' },
      to: { path: '^src/cli(\\.ts$|/)' },
    },
    {
      name: 'store-imports-no-service',
      comment: 'Stores hold records; they depend on no service (the service depends on its store interface).',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/(services|edge|protocols)/' },
    },
    {
      name: 'gateway-never-imports-cognito',
      comment:
        'The gateway finds issuer keys by discovery + JWKS like any client; it never imports the user pools.',
      severity: 'error',
      from: { path: '^src/services/apigateway/' },
      to: { path: '^src/services/cognito-idp/' },
    },
    {
      name: 'lower-layers-import-no-service',
      comment: 'shared, config and protocols sit below every service.',
      severity: 'error',
      from: { path: '^src/(shared|config|protocols)/' },
      to: { path: '^src/(services|edge|store)/' },
    },
    {
      name: 'shared-is-the-bottom',
      comment: 'src/shared depends on nothing else in src.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^src/', pathNot: '^src/shared/' },
    },
    {
      name: 'services-meet-through-interfaces',
      comment:
        "A service (or the edge) reaches another service only through that service's index.ts or types.ts, never a deep file.",
      severity: 'error',
      from: { path: '^src/(services/[^/]+|edge)/' },
      to: {
        path: '^src/services/[^/]+/.+',
        pathNot: ['^src/$1/', '^src/services/[^/]+/(index|types)\\.ts$'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
