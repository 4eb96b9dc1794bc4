import { describe, expect, it } from 'vitest';
import {
  generatedName,
  hashId,
  httpApiId,
  userPoolClientId,
  userPoolId,
} from '../../src/services/cloudformation/ids.js';

describe('deterministic physical ids', () => {
  it('gives pool ids in Cognito’s <region>_<9 alphanumerics> form, which aws-jwt-verify accepts', () => {
    const id = userPoolId('us-east-1', 'Gatehouse', 'UserPool6BA7E5F2');
    expect(id).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    // The pattern CognitoJwtVerifier parses pool ids with (reference §4).
    expect(id).toMatch(/^(?<region>[a-z]{2}-(gov-)?[a-z]+-\d)_[a-zA-Z0-9]+$/);
  });

  it('gives 26-character lowercase client ids and 10-character API ids', () => {
    expect(userPoolClientId('Gatehouse', 'UserPoolAppClientDD0407EC')).toMatch(/^[a-z0-9]{26}$/);
    expect(httpApiId('Gatehouse', 'HttpApiF5A9A8A7')).toMatch(/^[a-z0-9]{10}$/);
  });

  it('gives the same ids for the same stack and logical id, so restarts keep them', () => {
    expect(userPoolId('us-east-1', 'Gatehouse', 'Pool')).toBe(userPoolId('us-east-1', 'Gatehouse', 'Pool'));
    expect(userPoolClientId('Gatehouse', 'Client')).toBe(userPoolClientId('Gatehouse', 'Client'));
    expect(httpApiId('Gatehouse', 'Api')).toBe(httpApiId('Gatehouse', 'Api'));
    expect(generatedName('Gatehouse', 'Fn')).toBe(generatedName('Gatehouse', 'Fn'));
  });

  it('gives different ids to another stack with the same logical ids', () => {
    expect(userPoolId('us-east-1', 'Gatehouse', 'Pool')).not.toBe(userPoolId('us-east-1', 'Other', 'Pool'));
    expect(userPoolClientId('Gatehouse', 'Client')).not.toBe(userPoolClientId('Other', 'Client'));
    expect(httpApiId('Gatehouse', 'Api')).not.toBe(httpApiId('Other', 'Api'));
    expect(generatedName('Gatehouse', 'Fn')).not.toBe(generatedName('Other', 'Fn'));
  });

  it('gives different ids to different logical ids of one stack', () => {
    expect(userPoolId('us-east-1', 'S', 'PoolA').slice(10)).not.toBe(
      userPoolId('us-east-1', 'S', 'PoolB').slice(10),
    );
    expect(userPoolClientId('S', 'A')).not.toBe(userPoolClientId('S', 'B'));
  });

  it('does not confuse (stack, logical id) pairs that concatenate to the same text', () => {
    expect(userPoolClientId('ab', 'c')).not.toBe(userPoolClientId('a', 'bc'));
  });

  it('spreads ids over the whole alphabet', () => {
    const chars = new Set<string>();
    for (let i = 0; i < 200; i++) for (const c of hashId(['x', String(i)], 'abcdefghij', 8)) chars.add(c);
    expect(chars.size).toBe(10);
  });
});

describe('generatedName', () => {
  it('follows CloudFormation’s <stack>-<logicalId>-<12 alphanumerics> shape', () => {
    expect(generatedName('Gatehouse', 'ApiFunctionCE271BD4')).toMatch(
      /^Gatehouse-ApiFunctionCE271BD4-[A-Za-z0-9]{12}$/,
    );
  });

  it('trims a long stack name and logical id to fit 64 characters, keeping part of each', () => {
    const stack = 'AVeryLongStackNameThatGoesOnAndOnForQuiteSomeTime';
    const logical = 'CustomS3AutoDeleteObjectsCustomResourceProviderHandler9D90184F';
    const name = generatedName(stack, logical);
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name).toMatch(/^AVery[A-Za-z]*-CustomS3AutoDelete[A-Za-z0-9]*-[A-Za-z0-9]{12}$/);
  });

  it('gives lowercase names for resources that need them (S3 buckets) within 63 characters', () => {
    const name = generatedName('Gatehouse-With-A-Long-Stack-Name', 'ArtifactBucket7410C9EF', {
      maxLength: 63,
      lowercase: true,
    });
    expect(name).toBe(name.toLowerCase());
    expect(name.length).toBeLessThanOrEqual(63);
  });
});
