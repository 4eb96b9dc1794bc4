import { describe, expect, it } from 'vitest';
import { Resolver } from '../intrinsics.js';
import type { CfnTemplate } from '../template.js';
import { computeChanges } from './diff.js';
import type { ResourceState } from './types.js';

const state = (logicalId: string, type: string, properties: Record<string, unknown>): ResourceState => ({
  logicalId,
  type,
  physicalId: `${logicalId}-id`,
  properties,
  attributes: {},
  status: 'CREATE_COMPLETE',
  updatedAt: 0,
});

const changesOf = (current: Record<string, ResourceState>, template: CfnTemplate) =>
  computeChanges(
    current,
    template,
    new Resolver(template, { stackName: 'S', region: 'us-east-1', accountId: '1' }),
  );

describe('computeChanges', () => {
  const current = {
    Bucket: state('Bucket', 'AWS::S3::Bucket', { BucketName: 'a' }),
    Group: state('Group', 'AWS::Logs::LogGroup', { RetentionInDays: 7 }),
    Old: state('Old', 'AWS::SSM::Parameter', { Value: 'x', Type: 'String' }),
  };

  it('finds nothing to change when the resolved properties are the same', () => {
    expect(
      changesOf(current, {
        Resources: {
          Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Join': ['', ['a']] } } },
          Group: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 7 } },
          Old: { Type: 'AWS::SSM::Parameter', Properties: { Value: 'x', Type: 'String' } },
        },
      }),
    ).toEqual([]);
  });

  it('adds, modifies with replacement where AWS replaces, modifies in place, and removes', () => {
    const changes = changesOf(current, {
      Resources: {
        Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'b' } },
        Group: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } },
        New: { Type: 'AWS::SSM::Parameter', Properties: { Value: 'y', Type: 'String' } },
      },
    });
    const by = Object.fromEntries(changes.map((c) => [c.logicalId, c]));
    expect(by.Bucket).toMatchObject({
      action: 'Modify',
      replacement: 'True',
      details: [{ name: 'BucketName', requiresRecreation: 'Always' }],
    });
    expect(by.Group).toMatchObject({
      action: 'Modify',
      replacement: 'False',
      details: [{ name: 'RetentionInDays', requiresRecreation: 'Never' }],
    });
    expect(by.New).toMatchObject({ action: 'Add', type: 'AWS::SSM::Parameter' });
    expect(by.Old).toMatchObject({ action: 'Remove', physicalId: 'Old-id' });
    expect(changes).toHaveLength(4);
  });
});
