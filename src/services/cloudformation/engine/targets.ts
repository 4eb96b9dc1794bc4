/**
 * What the engine acts on: the local services' internal operations, handed in by the CLI (the engine imports no
 * service). Every member is optional so tests can run the engine with only the parts they need; a resource whose
 * service is missing fails with a reason that says so.
 */
import type { FunctionInvoker } from '../../../shared/invoker.js';
import type { CognitoInternal } from '../../cognito-idp/index.js';
import type { PermissionInput } from '../../lambda/index.js';

export type ApiGatewayPartKind = 'Stage' | 'Route' | 'Integration' | 'Authorizer';

export interface EngineTargets {
  /** SSM Parameter Store: AWS::SSM::Parameter, and `AWS::SSM::Parameter::Value<…>` template parameters. */
  ssm?: {
    put(name: string, value: string, type?: 'String' | 'StringList'): void;
    delete(name: string): boolean;
    value(name: string): string | undefined;
  };
  /** S3: AWS::S3::Bucket (with its Tags), TemplateURL and function code reads. */
  s3?: {
    createBucket(name: string): boolean;
    deleteBucket(name: string): 'missing' | 'not-empty' | 'deleted';
    readObject(bucket: string, key: string): Buffer | undefined;
    setBucketTags(bucket: string, tags: readonly { Key: string; Value: string }[]): void;
  };
  /** CloudWatch Logs: AWS::Logs::LogGroup. */
  logs?: {
    ensureGroup(name: string, retentionInDays: number | undefined): void;
    deleteGroup(name: string): boolean;
  };
  /** Cognito user pools: AWS::Cognito::UserPool and its clients, domains, groups, resource servers and branding. */
  cognito?: CognitoInternal;
  /**
   * Lambda: AWS::Lambda::Function and AWS::Lambda::Permission, through the checks, registry and records of
   * CreateFunction, DeleteFunction, AddPermission and RemovePermission (src/services/lambda/internal.ts). Failures
   * throw with Lambda's message.
   */
  lambda?: {
    /** The function's tags and the directory its code runs from, or undefined when there is no such function. */
    getFunction(name: string): { tags: Record<string, string>; codeDir: string } | undefined;
    createFunction(input: LambdaFunctionInput): { arn: string; codeDir: string };
    updateFunction(input: Omit<LambdaFunctionInput, 'Code'> & { Code?: LambdaCode }): { codeDir: string };
    deleteFunction(name: string): Promise<boolean>;
    addPermission(input: LambdaPermissionInput): Promise<void>;
    removePermission(functionName: string, statementId: string): Promise<boolean>;
    hasPermission(functionName: string, statementId: string): boolean;
  };
  /**
   * API Gateway v2 (HTTP APIs): AWS::ApiGatewayV2::Api, Stage, Route, Integration and Authorizer, through the
   * operations CreateApi, CreateStage... run. Inputs are the API's members (CloudFormation's property names); a
   * stage's id is its name, the other parts' ids are given on create.
   */
  apigateway?: {
    has(apiId: string, part?: { kind: ApiGatewayPartKind; id: string }): boolean;
    createApi(apiId: string, input: Record<string, unknown>): void;
    /** The whole desired state: members left out go back to their defaults. */
    updateApi(apiId: string, input: Record<string, unknown>): void;
    deleteApi(apiId: string): boolean;
    createPart(kind: ApiGatewayPartKind, apiId: string, id: string, input: Record<string, unknown>): void;
    updatePart(kind: ApiGatewayPartKind, apiId: string, id: string, input: Record<string, unknown>): void;
    deletePart(kind: ApiGatewayPartKind, apiId: string, id: string): boolean;
    /** The stage serves the API's parts as they are now (CreateDeployment with StageName). */
    deployStage(apiId: string, stageName: string): void;
    /** Resolves once the gateway serves what was done. */
    settled(): Promise<void>;
  };
  /** Runs custom resource handlers. */
  invoker?: FunctionInvoker;
  /**
   * Told after each stack operation, and before a custom resource runs, that the live stacks changed (npm start
   * rewrites endpoints.json). Every resource itself is made through `lambda`, `cognito`, `apigateway` and the rest.
   */
  stacksChanged?(): Promise<void>;
}

/** A function's code: its deployment package, or the directory it is unpacked in (a CDK asset of `npm start`). */
export type LambdaCode = Uint8Array | { dir: string };

/** CreateFunction's members, as a stack's AWS::Lambda::Function gives them. */
export interface LambdaFunctionInput {
  FunctionName: string;
  Runtime?: string;
  Handler?: string;
  Role?: string;
  Timeout?: number;
  MemorySize?: number;
  Description?: string;
  Environment?: { Variables?: Record<string, string> };
  Architectures?: string[];
  PackageType?: string;
  Tags?: Record<string, string>;
  Code: LambdaCode;
}

/** AddPermission's members, as a stack's AWS::Lambda::Permission gives them. */
export type LambdaPermissionInput = PermissionInput;
