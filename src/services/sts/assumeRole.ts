import { randomBytes } from 'node:crypto';
import type { AssumeRoleRequest, AssumeRoleResponse } from '@aws-sdk/client-sts';
import { AwsError } from '../../protocols/index.js';
import { awsId } from './sessions.js';
import type { StsContext } from './types.js';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;

/**
 * Temporary credentials for any role ARN of the right form: the local cloud has no IAM policies to check, so every
 * AssumeRole succeeds (the CDK CLI assumes its bootstrap roles this way).
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
export const assumeRole =
  (ctx: StsContext) =>
  async (req: AssumeRoleRequest): Promise<AssumeRoleResponse> => {
    const m = ROLE_ARN.exec(req.RoleArn ?? '');
    if (!m) throw new AwsError('ValidationError', `${req.RoleArn} is invalid`);
    const [, accountId, roleName] = m as unknown as [string, string, string];
    const now = ctx.clock.now();
    const expiresAt = now + (req.DurationSeconds ?? 3600) * 1000;
    const accessKeyId = awsId('ASIA', 16);
    const roleId = ctx.sessions.roleId(req.RoleArn as string);
    const sessionName = req.RoleSessionName as string;
    ctx.sessions.add({ accessKeyId, accountId, roleName, sessionName, roleId, expiresAt }, now);
    return {
      Credentials: {
        AccessKeyId: accessKeyId,
        SecretAccessKey: randomBytes(30).toString('base64'),
        SessionToken: randomBytes(96).toString('base64'),
        Expiration: new Date(expiresAt),
      },
      AssumedRoleUser: {
        AssumedRoleId: `${roleId}:${sessionName}`,
        Arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
      },
      PackedPolicySize: 0,
      ...(req.SourceIdentity ? { SourceIdentity: req.SourceIdentity } : {}),
    };
  };
