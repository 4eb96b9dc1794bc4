/**
 * SSM Parameter Store (awsJson 1.1, `X-Amz-Target: AmazonSSM.*`) on the one AWS endpoint. The CDK CLI reads the
 * bootstrap version from it; CloudFormation resolves `AWS::SSM::Parameter::Value<String>` parameters from it.
 */
import { join } from 'node:path';
import { type AwsService, jsonService } from '../../protocols/index.js';
import type { Clock } from '../../shared/clock.js';
import { model } from './model.gen.js';
import { parameterValue, putParameter, type SsmDeps, ssmOperations } from './operations.js';
import { ParameterStore } from './store.js';

export { ssmOperations } from './operations.js';
export { ParameterStore, type StoredParameter } from './store.js';
export { model as ssmModel };

export interface SsmService {
  service: AwsService;
  /** Creates or overwrites a parameter (internal operation; the CloudFormation engine uses it). */
  put(name: string, value: string, type?: 'String' | 'StringList' | 'SecureString'): void;
  delete(name: string): boolean;
  /** The current value, or undefined. */
  value(name: string): string | undefined;
}

export function createSsmService(o: {
  /** Where `ssm.json` is kept; undefined keeps parameters in memory. */
  dataDir: string | undefined;
  clock: Clock;
  region: string;
  accountId: string;
}): SsmService {
  const store = new ParameterStore(o.dataDir === undefined ? undefined : join(o.dataDir, 'ssm.json'));
  const d: SsmDeps = { store, clock: o.clock, region: o.region, accountId: o.accountId };
  return {
    service: jsonService({
      model,
      operations: ssmOperations(d),
      codes: { validation: 'ValidationException', internal: 'InternalServerError' },
    }),
    put: (name, value, type = 'String') => {
      putParameter(d, { Name: name, Value: value, Type: type, Overwrite: true });
    },
    delete: (name) => store.delete(name),
    value: (name) => parameterValue(d, name),
  };
}
