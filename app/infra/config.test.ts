import { describe, expect, it } from 'vitest';
import { DEFAULT_STACK_CONFIG, loadStackConfig } from './config.js';

const noContext = () => undefined;

describe('loadStackConfig', () => {
  it('falls back to defaults that work locally', () => {
    const config = loadStackConfig(noContext, {});

    expect(config).toEqual(DEFAULT_STACK_CONFIG);
    expect(config.callbackUrls).toEqual(['http://localhost:3000/callback']);
    expect(config.region).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads GATEHOUSE_* environment variables, splitting URL lists on commas', () => {
    const config = loadStackConfig(noContext, {
      GATEHOUSE_DOMAIN_PREFIX: 'acme-auth',
      GATEHOUSE_CALLBACK_URLS: 'https://app.acme.dev/cb, http://localhost:3000/callback',
      GATEHOUSE_LOG_RETENTION_DAYS: '14',
      GATEHOUSE_REGION: 'eu-central-1',
    });

    expect(config.domainPrefix).toBe('acme-auth');
    expect(config.callbackUrls).toEqual(['https://app.acme.dev/cb', 'http://localhost:3000/callback']);
    expect(config.logRetentionDays).toBe(14);
    expect(config.region).toBe('eu-central-1');
  });

  it('lets CDK context win over the environment', () => {
    const context: Record<string, unknown> = { domainPrefix: 'from-context', logoutUrls: ['https://x.dev/'] };
    const config = loadStackConfig((key) => context[key], { GATEHOUSE_DOMAIN_PREFIX: 'from-env' });

    expect(config.domainPrefix).toBe('from-context');
    expect(config.logoutUrls).toEqual(['https://x.dev/']);
  });

  it('treats an empty environment variable as unset', () => {
    expect(loadStackConfig(noContext, { GATEHOUSE_STACK_NAME: '' }).stackName).toBe('Gatehouse');
  });

  it('rejects a plain-http callback URL that is not localhost, naming the field and its sources', () => {
    expect(() =>
      loadStackConfig(noContext, { GATEHOUSE_CALLBACK_URLS: 'http://app.example.com/cb' }),
    ).toThrow(/callbackUrls \(context "callbackUrls" or env GATEHOUSE_CALLBACK_URLS\)/);
  });

  it('rejects a domain prefix Cognito reserves', () => {
    expect(() => loadStackConfig(noContext, { GATEHOUSE_DOMAIN_PREFIX: 'my-cognito-login' })).toThrow(
      /domainPrefix.*may not contain/,
    );
  });

  it('rejects a log retention CloudWatch does not offer', () => {
    expect(() => loadStackConfig(noContext, { GATEHOUSE_LOG_RETENTION_DAYS: '10' })).toThrow(
      /logRetentionDays/,
    );
  });

  it('reports every bad field at once', () => {
    let message = '';
    try {
      loadStackConfig(noContext, { GATEHOUSE_REGION: 'mars', GATEHOUSE_FUNCTION_NAME: 'bad name!' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('region');
    expect(message).toContain('functionName');
  });
});
