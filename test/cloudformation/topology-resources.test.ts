import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { topologyFromTemplate, translateTemplate } from '../../src/services/cloudformation/index.js';
import { templateErrorOf } from './helpers.js';
import { edited, fixtureDir, opts, set } from './support/topology.js';

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('resources the local cloud does not need', () => {
  it('ignores them, even when their properties could not be resolved', () => {
    const t = topologyFromTemplate(
      edited((r) => {
        r.Topic = { Type: 'AWS::SNS::Topic', Properties: { TopicName: { 'Fn::ImportValue': 'Elsewhere' } } };
        r.Vpc = {
          Type: 'AWS::EC2::Subnet',
          Properties: { AvailabilityZone: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] } },
        };
      }),
      opts,
    );
    expect(t.userPools).toHaveLength(1);
    expect(t.warnings).toEqual([]);
  });

  it('warns about Cognito features it does not emulate', () => {
    const t = topologyFromTemplate(
      edited((r) => {
        r.Google = {
          Type: 'AWS::Cognito::UserPoolIdentityProvider',
          Properties: { ProviderName: 'Google', UserPoolId: { Ref: 'PoolD3F588B8' } },
        };
      }),
      opts,
    );
    expect(t.warnings).toEqual([
      'Google (AWS::Cognito::UserPoolIdentityProvider): federated sign-in is not emulated',
    ]);
  });

  it('leaves out custom resource providers, which only run at deploy time (the engine runs them), without a warning', () => {
    const t = topologyFromTemplate(
      edited((r) => {
        r.Cleanup = {
          Type: 'Custom::S3AutoDeleteObjects',
          Properties: { ServiceToken: { 'Fn::GetAtt': ['PreSignUpFn7227C88E', 'Arn'] } },
        };
        r.Provider = {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Code: {
              S3Bucket: 'b',
              S3Key: 'e5a6dc0ec479f1fb28250743e4262dd19519c9f3c69ac34160204ac8c3410298.zip',
            },
            Handler: 'index.handler',
            Runtime: 'nodejs22.x',
          },
        };
        r.Cleanup2 = {
          Type: 'AWS::CloudFormation::CustomResource',
          Properties: { ServiceToken: { 'Fn::GetAtt': ['Provider', 'Arn'] } },
        };
      }),
      opts,
    );
    // PreSignUpFn is also a trigger, so it stays; Provider serves only the custom resource.
    expect(t.functions.map((f) => f.logicalId)).toEqual([
      'PreSignUpFn7227C88E',
      'PreTokenFnC674ADAC',
      'ApiHandler5E7490E8',
    ]);
    expect(t.warnings).toEqual([]);
  });

  it('leaves out resources whose condition is false', () => {
    const template = {
      ...edited((r) => {
        const route = r.ApiGEThealthA417CA46;
        if (route) route.Condition = 'WithHealth';
      }),
      Parameters: { Health: { Type: 'String', Default: 'no' } },
      Conditions: { WithHealth: { 'Fn::Equals': [{ Ref: 'Health' }, 'yes'] } },
    };
    expect(topologyFromTemplate(template, opts).apis[0]?.routes.map((r) => r.routeKey)).toEqual([
      'ANY /orders/{proxy+}',
      'GET /orders/{id}',
    ]);
    const withHealth = topologyFromTemplate(template, { ...opts, parameters: { Health: 'yes' } });
    expect(withHealth.apis[0]?.routes).toHaveLength(3);
  });
});

describe('function code', () => {
  it('falls back to the asset.<hash> directory of a CDK S3 key when the asset metadata is absent', () => {
    const t = topologyFromTemplate(
      edited((r) => {
        delete r.ApiHandler5E7490E8?.Metadata;
      }),
      opts,
    );
    expect(t.functions[2]?.codeDir).toBe(
      join(fixtureDir, 'asset.e5a6dc0ec479f1fb28250743e4262dd19519c9f3c69ac34160204ac8c3410298'),
    );
  });

  it('writes inline ZipFile code to index.js in a directory of its own', () => {
    const inlineCodeDir = mkdtempSync(join(tmpdir(), 'gatehouse-inline-test-'));
    tempDirs.push(inlineCodeDir);
    const source = 'exports.handler = async () => ({ statusCode: 200, body: "inline" });';
    const t = topologyFromTemplate(
      edited((r) => {
        r.Inline = {
          Type: 'AWS::Lambda::Function',
          Properties: { Code: { ZipFile: source }, Handler: 'index.handler', Runtime: 'nodejs20.x' },
        };
      }),
      { ...opts, inlineCodeDir },
    );
    const inline = t.functions.find((f) => f.logicalId === 'Inline');
    expect(inline?.codeDir.startsWith(inlineCodeDir)).toBe(true);
    expect(readFileSync(join(inline?.codeDir ?? '', 'index.js'), 'utf8')).toBe(source);
  });

  it('translates a template without writing anything: inline code comes back as files to write', () => {
    const root = mkdtempSync(join(tmpdir(), 'gatehouse-inline-test-'));
    tempDirs.push(root);
    const inlineCodeDir = join(root, 'never-created');
    const source = 'exports.handler = async () => ({ statusCode: 200 });';
    const { topology, inlineCode } = translateTemplate(
      edited((r) => {
        r.Inline = {
          Type: 'AWS::Lambda::Function',
          Properties: { Code: { ZipFile: source }, Handler: 'index.handler', Runtime: 'nodejs20.x' },
        };
      }),
      { ...opts, inlineCodeDir },
    );
    const inline = topology.functions.find((f) => f.logicalId === 'Inline');
    expect(inlineCode).toEqual([{ dir: inline?.codeDir, file: 'index.js', source }]);
    expect(existsSync(inlineCodeDir)).toBe(false);
  });

  it('reports inline code in a runtime it cannot name the file for, naming the function', () => {
    const err = templateErrorOf(() =>
      topologyFromTemplate(
        edited((r) => {
          r.Inline = {
            Type: 'AWS::Lambda::Function',
            Properties: { Code: { ZipFile: 'class X {}' }, Handler: 'X::handle', Runtime: 'java21' },
          };
        }),
        opts,
      ),
    );
    expect(err.logicalId).toBe('Inline');
    expect(err.message).toBe(
      'Resource Inline (AWS::Lambda::Function): inline Code.ZipFile is only supported for nodejs and python runtimes, not java21',
    );
  });

  it('reports a missing asset directory, naming the function and telling how to get it', () => {
    const err = templateErrorOf(() =>
      topologyFromTemplate(
        edited(() => {}),
        { ...opts, assetBaseDir: join(fixtureDir, 'nowhere') },
      ),
    );
    expect(err.logicalId).toBe('PreSignUpFn7227C88E');
    expect(err.message).toMatch(
      /^Resource PreSignUpFn7227C88E \(AWS::Lambda::Function\): its code directory .* does not exist; run `npm run synth`$/,
    );
  });

  it('reports a container image function', () => {
    const err = templateErrorOf(() =>
      topologyFromTemplate(
        edited((r) => {
          r.Image = {
            Type: 'AWS::Lambda::Function',
            Properties: { PackageType: 'Image', Code: { ImageUri: 'x' } },
          };
        }),
        opts,
      ),
    );
    expect(err.message).toBe(
      'Resource Image (AWS::Lambda::Function): container image functions are not supported locally; use a zip (asset) function',
    );
  });

  it('warns about an environment variable with no local value but still loads the function', () => {
    const t = topologyFromTemplate(
      edited((r) => {
        set(r, 'ApiHandler5E7490E8', ['Environment'], {
          Variables: { SECRET: { 'Fn::GetAtt': ['PoolMachine75D22E2D', 'ClientSecret'] }, N: 1 },
        });
      }),
      opts,
    );
    expect(t.functions[2]?.environment.N).toBe('1');
    expect(t.warnings).toEqual([
      'ApiHandler5E7490E8: environment variable SECRET has no local value ({{gatehouse:unresolved:PoolMachine75D22E2D.ClientSecret}})',
    ]);
  });
});
