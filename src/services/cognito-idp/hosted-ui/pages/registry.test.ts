import { describe, expect, it } from 'vitest';
import { HOSTED_UI_ENDPOINTS } from '../endpoints/registry.js';
import { HOSTED_UI_PAGES } from './registry.js';

describe('the Hosted UI registries', () => {
  it("list Cognito's pages and endpoints, each path once", () => {
    const pages = HOSTED_UI_PAGES.map((p) => p.path);
    const endpoints = HOSTED_UI_ENDPOINTS.map((e) => e.path);
    expect(pages).toEqual([
      '/login',
      '/signup',
      '/confirmUser',
      '/forceChangePassword',
      '/forgotPassword',
      '/confirmForgotPassword',
    ]);
    expect(endpoints).toEqual([
      '/oauth2/authorize',
      '/logout',
      '/oauth2/token',
      '/oauth2/revoke',
      '/oauth2/userInfo',
      '/branding/:poolId/:scope/:file',
    ]);
    const all = [...pages, ...endpoints];
    expect(new Set(all).size).toBe(all.length);
  });
});
