import { describe, expect, it } from 'vitest';
import { DEFAULT_LISTENER_LIMITS } from '../shared/listen.js';
import { ConfigError, createUrls, DEFAULT_PORTS, loadConfig } from './index.js';

describe('loadConfig', () => {
  it('uses documented defaults when nothing is given', () => {
    const c = loadConfig([], {}, '/work');
    expect(c.ports).toEqual(DEFAULT_PORTS);
    expect(c.dataDir).toBe('/work/.gatehouse');
    expect(c.host).toBe('127.0.0.1');
    expect(c.region).toBe('us-east-1');
    expect(c.issuerMode).toBe('local');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('takes flags over the environment', () => {
    const c = loadConfig(
      ['--data-dir', 'x', '--idp-port=0', '--no-synth'],
      { GATEHOUSE_DATA_DIR: 'y', GATEHOUSE_IDP_PORT: '1' },
      '/w',
    );
    expect(c.dataDir).toBe('/w/x');
    expect(c.ports.idp).toBe(0);
    expect(c.synth).toBe('never');
  });

  it('synthesizes when the inputs changed unless told to always or never', () => {
    expect(loadConfig([], {}).synth).toBe('auto');
    expect(loadConfig(['--synth'], {}).synth).toBe('always');
    expect(loadConfig([], { GATEHOUSE_SYNTH: 'true' }).synth).toBe('always');
    expect(loadConfig([], { GATEHOUSE_SYNTH: 'false' }).synth).toBe('never');
    expect(loadConfig(['--synth=auto'], { GATEHOUSE_SYNTH: 'false' }).synth).toBe('auto');
    expect(() => loadConfig(['--synth=sometimes'], {})).toThrow(/synth/);
  });

  it('names the field of an invalid value', () => {
    expect(() => loadConfig(['--issuer-mode', 'cognito'], {})).toThrow(ConfigError);
    expect(() => loadConfig(['--issuer-mode', 'cognito'], {})).toThrow(/issuerMode/);
    expect(() => loadConfig(['--api-port', '70000'], {})).toThrow(/ports.api/);
  });

  it('gives every listener the same time limits, the shared defaults unless told', () => {
    expect(loadConfig([], {}).limits).toEqual(DEFAULT_LISTENER_LIMITS);
    const c = loadConfig(['--request-timeout-ms', '2000'], { GATEHOUSE_HEADERS_TIMEOUT_MS: '1000' });
    expect(c.limits).toEqual({ requestTimeoutMs: 2000, headersTimeoutMs: 1000, keepAliveTimeoutMs: 5000 });
    expect(() => loadConfig(['--headers-timeout-ms', '60000'], {})).toThrow(/limits.headersTimeoutMs/);
    expect(() => loadConfig(['--keep-alive-timeout-ms', '0'], {})).toThrow(/limits.keepAliveTimeoutMs/);
  });

  it('rejects an unknown option by name', () => {
    expect(() => loadConfig(['--colour'], {})).toThrow('Unknown option: --colour');
  });

  it('makes the synth child hermetic', () => {
    const c = loadConfig([], { PATH: '/bin' });
    expect(c.synthEnv).toMatchObject({
      PATH: '/bin',
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
  });
});

describe('createUrls', () => {
  const base = {
    region: 'us-east-1',
    idpOrigin: 'http://127.0.0.1:1/',
    hostedUiOrigin: 'http://localhost:2',
    apiOrigin: 'http://127.0.0.1:3',
  };

  it('derives the local issuer, JWKS and discovery from one origin', () => {
    const u = createUrls({ ...base, issuerMode: 'local' });
    expect(u.issuer('us-east-1_abc')).toBe('http://127.0.0.1:1/us-east-1_abc');
    expect(u.jwksUri('us-east-1_abc')).toBe('http://127.0.0.1:1/us-east-1_abc/.well-known/jwks.json');
    expect(u.discoveryUrl('us-east-1_abc')).toBe(
      'http://127.0.0.1:1/us-east-1_abc/.well-known/openid-configuration',
    );
    expect(u.oauth.token).toBe('http://localhost:2/oauth2/token');
    expect(u.apiStageUrl('serverless_lambda_stage')).toBe('http://127.0.0.1:3/serverless_lambda_stage');
    expect(u.apiStageUrl('$default')).toBe('http://127.0.0.1:3');
  });

  it('mints the real AWS issuer in aws mode while serving keys locally', () => {
    const u = createUrls({ ...base, issuerMode: 'aws' });
    expect(u.issuer('us-east-1_abc')).toBe('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc');
    expect(u.jwksUri('us-east-1_abc')).toBe('http://127.0.0.1:1/us-east-1_abc/.well-known/jwks.json');
  });
});
