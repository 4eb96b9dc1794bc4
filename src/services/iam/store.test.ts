import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.js';
import { ControlPlaneStore } from '../../store/records.js';
import { IamStore } from './store.js';

const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }],
});

describe('IAM store with records', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('reads back every role and policy as committed, changes made in place included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-iam-'));
    dirs.push(dir);
    const records = ControlPlaneStore.open(dir);
    const a = new IamStore('123456789012', new FakeClock(1_700_000_000_000), records);
    a.createRole({
      RoleName: 'R',
      AssumeRolePolicyDocument: trust,
      Path: '/x/',
      Tags: [{ Key: 'k', Value: 'v' }],
    });
    a.putRolePolicy('R', 'inline', trust);
    const p = a.createPolicy({ PolicyName: 'p', PolicyDocument: trust, Description: 'd' });
    a.createPolicyVersion(p.Arn, trust, true);
    a.attachRolePolicy('R', p.Arn);
    a.attachRolePolicy('R', 'arn:aws:iam::aws:policy/ReadOnlyAccess');
    a.updateRole('R', { MaxSessionDuration: 7200 });
    a.commit();
    // Not committed: not stored (the service commits after every operation).
    a.createRole({ RoleName: 'uncommitted', AssumeRolePolicyDocument: trust });
    records.close();

    const reopened = ControlPlaneStore.open(dir);
    try {
      const b = new IamStore('123456789012', new FakeClock(), reopened);
      expect(b.getRole('r')).toEqual(a.getRole('R'));
      expect(b.getRole('R').inline.get('inline')).toBe(trust);
      expect(b.getRole('R').CreateDate).toBeInstanceOf(Date);
      expect(b.getPolicy(p.Arn)).toEqual(a.getPolicy(p.Arn));
      expect(b.listPolicies('AWS', false).map((x) => x.Arn)).toEqual([
        'arn:aws:iam::aws:policy/ReadOnlyAccess',
      ]);
      expect(() => b.getRole('uncommitted')).toThrow(/cannot be found/);
      // What was restored is live: a later change and deletion are committed as well.
      b.detachRolePolicy('R', p.Arn);
      b.commit();
      expect(new IamStore('123456789012', new FakeClock(), reopened).attachmentCount(p.Arn)).toBe(0);
    } finally {
      reopened.close();
    }
  });
});
