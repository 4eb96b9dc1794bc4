import { describe, expect, it } from 'vitest';
import { topologyFromTemplate } from '../../src/services/cloudformation/index.js';
import { edited, opts, set } from './support/topology.js';

describe('the custom authentication and migration triggers of a template', () => {
  it('maps LambdaConfig DefineAuthChallenge, CreateAuthChallenge, VerifyAuthChallengeResponse and UserMigration', () => {
    const fnArn = { 'Fn::GetAtt': ['PreTokenFnC674ADAC', 'Arn'] };
    const t = topologyFromTemplate(
      edited((r) => {
        for (const key of [
          'DefineAuthChallenge',
          'CreateAuthChallenge',
          'VerifyAuthChallengeResponse',
          'UserMigration',
        ]) {
          set(r, 'PoolD3F588B8', ['LambdaConfig', key], fnArn);
        }
      }),
      opts,
    );
    expect(t.userPools[0]?.triggers).toMatchObject({
      DefineAuthChallenge: 'gatehouse-pre-token',
      CreateAuthChallenge: 'gatehouse-pre-token',
      VerifyAuthChallengeResponse: 'gatehouse-pre-token',
      UserMigration: 'gatehouse-pre-token',
    });
  });
});
