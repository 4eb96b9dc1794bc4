import type {
  CreateUserPoolDomainRequest,
  CreateUserPoolDomainResponse,
  DeleteUserPoolDomainRequest,
  DescribeUserPoolDomainRequest,
  DescribeUserPoolDomainResponse,
  UpdateUserPoolDomainRequest,
  UpdateUserPoolDomainResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException } from '../errors.js';
import type { Operation } from './types.js';

/**
 * Hosted UI domains (prefix domains; custom domains are refused). The local Hosted UI serves every pool on its own
 * port; the domain is what DescribeUserPool and DescribeUserPoolDomain report.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolDomain.html
 */
export const createUserPoolDomain: Operation<
  CreateUserPoolDomainRequest,
  CreateUserPoolDomainResponse
> = async ({ service }, req) => {
  const domain = req.Domain as string;
  const poolId = req.UserPoolId as string;
  if (req.CustomDomainConfig !== undefined) {
    throw new InvalidParameterException(
      'Custom domains are not supported by the local cloud: use a prefix domain.',
    );
  }
  if (service.pools.poolOfDomain(domain)) {
    throw new InvalidParameterException('Domain already associated with another user pool.');
  }
  const existing = service.pools.describePool(poolId).Domain;
  if (existing !== undefined) {
    throw new InvalidParameterException(`User pool ${poolId} already has a domain configured.`);
  }
  service.pools.setDomain(poolId, domain);
  return { ManagedLoginVersion: req.ManagedLoginVersion ?? 1 };
};

/** An unknown domain answers an empty description, as Cognito does. */
export const describeUserPoolDomain: Operation<
  DescribeUserPoolDomainRequest,
  DescribeUserPoolDomainResponse
> = async ({ service }, req) => {
  const domain = req.Domain as string;
  const pool = service.pools.poolOfDomain(domain);
  if (!pool) return { DomainDescription: {} };
  return {
    DomainDescription: {
      UserPoolId: pool.id,
      AWSAccountId: '000000000000',
      Domain: domain,
      S3Bucket: 'aws-cognito-prod-local-assets',
      CloudFrontDistribution: `${domain}.auth.local`,
      Version: '20260101000000',
      Status: 'ACTIVE',
      ManagedLoginVersion: 1,
    },
  };
};

export const updateUserPoolDomain: Operation<
  UpdateUserPoolDomainRequest,
  UpdateUserPoolDomainResponse
> = async ({ service }, req) => {
  const pool = service.pools.poolOfDomain(req.Domain as string);
  if (!pool || pool.id !== req.UserPoolId) {
    throw new InvalidParameterException(
      `The domain ${req.Domain} does not belong to user pool ${req.UserPoolId}.`,
    );
  }
  return { ManagedLoginVersion: req.ManagedLoginVersion ?? 1 };
};

export const deleteUserPoolDomain: Operation<DeleteUserPoolDomainRequest, Record<string, never>> = async (
  { service },
  req,
) => {
  const pool = service.pools.poolOfDomain(req.Domain as string);
  if (!pool || pool.id !== req.UserPoolId) {
    throw new InvalidParameterException(
      `The domain ${req.Domain} does not belong to user pool ${req.UserPoolId}.`,
    );
  }
  service.pools.removeDomain(req.Domain as string);
  return {};
};
