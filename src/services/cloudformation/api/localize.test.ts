import { describe, expect, it } from 'vitest';
import { localizer } from './localize.js';

const localize = localizer({
  stageUrl: (apiId, stage) =>
    apiId === 'abcde12345'
      ? stage === '$default'
        ? 'http://127.0.0.1:9231'
        : `http://127.0.0.1:9231/${stage}`
      : undefined,
  hostedUiBase: 'http://127.0.0.1:9230',
  issuer: (poolId) => `http://127.0.0.1:9229/${poolId}`,
});

describe('localizer', () => {
  it('maps execute-api stage URLs to the local stage URL', () => {
    expect(localize('https://abcde12345.execute-api.us-east-1.amazonaws.com/serverless_lambda_stage')).toBe(
      'http://127.0.0.1:9231/serverless_lambda_stage',
    );
    expect(localize('https://abcde12345.execute-api.eu-west-1.amazonaws.com/')).toBe(
      'http://127.0.0.1:9231/',
    );
  });

  it('leaves URLs of APIs this stack does not run untouched', () => {
    const other = 'https://zzzzz99999.execute-api.us-east-1.amazonaws.com/prod';
    expect(localize(other)).toBe(other);
  });

  it('maps Hosted UI domains and Cognito issuers, keeping paths and queries', () => {
    expect(localize('https://demo.auth.us-east-1.amazoncognito.com/login?client_id=x')).toBe(
      'http://127.0.0.1:9230/login?client_id=x',
    );
    expect(localize('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123')).toBe(
      'http://127.0.0.1:9229/us-east-1_AbC123',
    );
    expect(localize('api-backend-demo')).toBe('api-backend-demo');
  });
});
