import { describe, expect, it } from 'vitest';
import { assertRegistryMatchesModel } from '../../../protocols/index.js';
import { model, operations, validateInput } from './index.js';

describe('the user pool operation registry', () => {
  it('names exactly the operations of the generated model', () => {
    expect(() => assertRegistryMatchesModel(model, operations)).not.toThrow();
    expect(Object.keys(operations).sort()).toEqual(Object.keys(model.operations).sort());
  });

  it('fails when they disagree, naming the difference', () => {
    expect(() => assertRegistryMatchesModel(model, { ...operations, MadeUp: async () => ({}) })).toThrow(
      /Served without a model: MadeUp/,
    );
    const { SignUp: _, ...fewer } = operations;
    expect(() => assertRegistryMatchesModel(model, fewer)).toThrow(/Modelled but not served: SignUp/);
  });

  it('refuses to validate an operation that has no model', () => {
    expect(() => validateInput('MadeUp', {})).toThrow(/has no cognito-idp model and is refused/);
  });

  it('records the botocore version it was generated from', () => {
    expect(model.botocore).toMatch(/^\d+\.\d+\.\d+$/);
    expect(model.source).toBe('data/cognito-idp/2016-04-18/service-2.json');
  });
});
