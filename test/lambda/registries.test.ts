import { describe, expect, it } from 'vitest';
import {
  assertRegistryMatchesModel,
  type OperationRegistry,
  type ServiceModel,
} from '../../src/protocols/index.js';
import { model as cfnModel } from '../../src/services/cloudformation/api/model.gen.js';
import { cloudFormationOperations } from '../../src/services/cloudformation/api/operations.js';
import { lambdaOperations } from '../../src/services/lambda/api/index.js';
import { model as lambdaModel } from '../../src/services/lambda/api/model.gen.js';
import { logsOperations } from '../../src/services/logs/api/index.js';
import { model as logsModel } from '../../src/services/logs/api/model.gen.js';

// The registries only need their dependencies when an operation runs.
const none = {} as never;

const cases: [string, ServiceModel, OperationRegistry][] = [
  ['lambda', lambdaModel, lambdaOperations(none)],
  ['logs', logsModel, logsOperations(none)],
  ['cloudformation', cfnModel, cloudFormationOperations(none)],
];

describe.each(cases)('the %s operation registry', (service, model, operations) => {
  it('names exactly the operations of the generated model', () => {
    expect(() => assertRegistryMatchesModel(model, operations)).not.toThrow();
    expect(model.service).toBe(service);
  });

  it('fails when they disagree', () => {
    expect(() => assertRegistryMatchesModel(model, { ...operations, MadeUp: async () => ({}) })).toThrow(
      /Served without a model: MadeUp/,
    );
  });

  it('records the botocore version it was generated from', () => {
    expect(model.botocore).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
