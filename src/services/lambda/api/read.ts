import type {
  GetFunctionConfigurationRequest,
  GetFunctionRequest,
  GetFunctionResponse,
  ListFunctionsRequest,
  ListFunctionsResponse,
} from '@aws-sdk/client-lambda';
import { configurationOf, invalidParameter, type LambdaApiDeps, requireFunction } from './deps.js';

/**
 * GetFunction: the configuration, and no code location (the local cloud serves no presigned download URL).
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html
 */
export const getFunction =
  (d: LambdaApiDeps) =>
  async (input: GetFunctionRequest): Promise<GetFunctionResponse> => {
    const f = requireFunction(d, input.FunctionName as string, input.Qualifier);
    return { Configuration: configurationOf(d, f), Code: { RepositoryType: 'S3' } };
  };

/** @see https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html */
export const getFunctionConfiguration =
  (d: LambdaApiDeps) => async (input: GetFunctionConfigurationRequest) =>
    configurationOf(d, requireFunction(d, input.FunctionName as string, input.Qualifier));

/** @see https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctions.html */
export const listFunctions =
  (d: LambdaApiDeps) =>
  async (input: ListFunctionsRequest): Promise<ListFunctionsResponse> => {
    const all = d.registry.list();
    let start = 0;
    if (input.Marker !== undefined) {
      const after = Buffer.from(input.Marker, 'base64url').toString('utf8');
      start = all.findIndex((f) => f.spec.name > after);
      if (start < 0) start = all.length;
      if (after === '') throw invalidParameter('Invalid Marker');
    }
    const max = input.MaxItems ?? 50;
    const page = all.slice(start, start + max);
    const last = page.at(-1);
    return {
      Functions: page.map((f) => configurationOf(d, f)),
      ...(start + max < all.length && last
        ? { NextMarker: Buffer.from(last.spec.name).toString('base64url') }
        : {}),
    };
  };
