import { describe, expect, it } from 'vitest';
import { assertRegistryMatchesModel } from '../../protocols/index.js';
import { FakeClock } from '../../shared/clock.js';
import { model } from './model.gen.js';
import { iamOperations } from './operations.js';
import { IamStore } from './store.js';

const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

describe('IAM operations', () => {
  it('serve exactly the modelled operations', () => {
    assertRegistryMatchesModel(model, iamOperations(new IamStore('123456789012', new FakeClock())));
  });

  it('refuse deleting a role that still has a policy attached, then delete it once detached', () => {
    const s = new IamStore('123456789012', new FakeClock());
    s.createRole({ RoleName: 'r', AssumeRolePolicyDocument: trust });
    const p = s.createPolicy({ PolicyName: 'p', PolicyDocument: trust });
    s.attachRolePolicy('r', p.Arn);
    expect(() => s.deleteRole('r')).toThrow(/detach/);
    expect(() => s.deletePolicy(p.Arn)).toThrow(/attached/);
    s.detachRolePolicy('r', p.Arn);
    s.deleteRole('r');
    s.deletePolicy(p.Arn);
    expect(() => s.getRole('r')).toThrow(/cannot be found/);
  });

  it('keeps policy versions, at most five, and never deletes the default one', () => {
    const s = new IamStore('123456789012', new FakeClock());
    const p = s.createPolicy({ PolicyName: 'p', PolicyDocument: trust });
    for (let i = 0; i < 4; i++) s.createPolicyVersion(p.Arn, trust, i === 3);
    expect(s.getPolicy(p.Arn).DefaultVersionId).toBe('v5');
    expect(() => s.createPolicyVersion(p.Arn, trust, false)).toThrow(/up to 5 versions/);
    expect(() => s.deletePolicyVersion(p.Arn, 'v5')).toThrow(/default version/);
    s.deletePolicyVersion(p.Arn, 'v1');
    expect(s.getPolicy(p.Arn).versions.map((v) => v.VersionId)).toEqual(['v2', 'v3', 'v4', 'v5']);
  });

  it('refuses a role name already taken and a document that is not JSON', () => {
    const s = new IamStore('123456789012', new FakeClock());
    s.createRole({ RoleName: 'Role', AssumeRolePolicyDocument: trust });
    expect(() => s.createRole({ RoleName: 'role', AssumeRolePolicyDocument: trust })).toThrow(
      /already exists/,
    );
    expect(() => s.createRole({ RoleName: 'x', AssumeRolePolicyDocument: '{' })).toThrow(/Syntax errors/);
  });
});
