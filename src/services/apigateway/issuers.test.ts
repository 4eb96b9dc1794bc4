import { describe, expect, it } from 'vitest';
import { createUrls } from '../../config/urls.js';
import { localPoolIssuers } from './issuers.js';

const urls = (issuerMode: 'local' | 'aws') =>
  createUrls({
    region: 'us-east-1',
    issuerMode,
    idpOrigin: 'http://127.0.0.1:9229',
    hostedUiOrigin: 'http://127.0.0.1:9230',
    apiOrigin: 'http://127.0.0.1:9231',
  });

describe('localPoolIssuers', () => {
  it("maps a pool's AWS issuer from the template to the local issuer and its discovery document", () => {
    const resolve = localPoolIssuers(urls('local'), ['us-east-1_abc123DEF']);
    expect(resolve('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc123DEF')).toEqual({
      issuer: 'http://127.0.0.1:9229/us-east-1_abc123DEF',
      discoveryUrl: 'http://127.0.0.1:9229/us-east-1_abc123DEF/.well-known/openid-configuration',
    });
  });

  it('keeps the AWS issuer in aws issuer mode but still discovers keys locally', () => {
    const resolve = localPoolIssuers(urls('aws'), ['us-east-1_abc123DEF']);
    expect(resolve('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc123DEF')).toEqual({
      issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc123DEF',
      discoveryUrl: 'http://127.0.0.1:9229/us-east-1_abc123DEF/.well-known/openid-configuration',
    });
  });

  it('maps the local issuer itself to the same issuer and discovery document', () => {
    const resolve = localPoolIssuers(urls('local'), ['us-east-1_abc123DEF']);
    const local = {
      issuer: 'http://127.0.0.1:9229/us-east-1_abc123DEF',
      discoveryUrl: 'http://127.0.0.1:9229/us-east-1_abc123DEF/.well-known/openid-configuration',
    };
    expect(resolve('http://127.0.0.1:9229/us-east-1_abc123DEF')).toEqual(local);
    expect(resolve('http://127.0.0.1:9229/us-east-1_abc123DEF/')).toEqual(local);
  });

  it('maps every listed pool, and leaves the AWS issuer of a pool it does not know alone', () => {
    const resolve = localPoolIssuers(urls('local'), ['us-east-1_abc123DEF', 'us-east-1_xyz987GHI']);
    expect(resolve('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_xyz987GHI').issuer).toBe(
      'http://127.0.0.1:9229/us-east-1_xyz987GHI',
    );
    expect(resolve('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_unknown00')).toEqual({
      issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_unknown00',
      discoveryUrl:
        'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_unknown00/.well-known/openid-configuration',
    });
  });

  it('uses any other issuer as given, with discovery under it', () => {
    const resolve = localPoolIssuers(urls('local'), ['us-east-1_abc123DEF']);
    expect(resolve('https://tenant.auth0.com/')).toEqual({
      issuer: 'https://tenant.auth0.com/',
      discoveryUrl: 'https://tenant.auth0.com/.well-known/openid-configuration',
    });
  });
});
