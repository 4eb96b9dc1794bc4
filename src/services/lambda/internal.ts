/**
 * Lambda's internal operations, for the CloudFormation engine (AWS::Lambda::Function, AWS::Lambda::Permission): the
 * same checks, registry and records as CreateFunction, DeleteFunction, AddPermission and RemovePermission, so a
 * stack's function is a function like any other: stored in `<dataDir>/lambda.sqlite`, listed, updated
 * (`cdk deploy --hotswap`) and served again after a restart with no re-deploy.
 */
import { AwsError } from '../../protocols/index.js';
import {
  type CreateFunctionInput,
  configChecks,
  createChecks,
  createFunction,
  functionSpec,
  type LambdaControl,
} from './api/control.js';
import { type LambdaApiDeps, requireFunction } from './api/deps.js';
import { lambdaOperations } from './api/registry.js';
import type { FunctionCode } from './functions/registry.js';

/** A function as a stack defines it: CreateFunction's members, with its code. */
export interface StackFunctionInput extends CreateFunctionInput {
  FunctionName: string;
  Code: FunctionCode;
}

/** AddPermission's members. */
export interface PermissionInput {
  FunctionName: string;
  StatementId: string;
  Action: string;
  Principal: string;
  SourceArn?: string;
  SourceAccount?: string;
  EventSourceToken?: string;
  PrincipalOrgID?: string;
  FunctionUrlAuthType?: string;
}

export interface LambdaInternal {
  /** The function's tags and the directory its code runs from, or undefined when there is no such function. */
  getFunction(name: string): { tags: Record<string, string>; codeDir: string } | undefined;
  /** CreateFunction; throws an AwsError with Lambda's message. Returns where its code runs from. */
  createFunction(input: StackFunctionInput): { arn: string; codeDir: string };
  /**
   * A stack's update of the function: configuration, role and tags as given; the code only when `Code` is given
   * (otherwise the code it runs now, a hotswap's included, stays).
   */
  updateFunction(input: Omit<StackFunctionInput, 'Code'> & { Code?: FunctionCode }): { codeDir: string };
  /** DeleteFunction; false when there is no such function. */
  deleteFunction(name: string): Promise<boolean>;
  /** Drops the updates made through the API since the function's last deploy (see FunctionRegistry.resetUpdates). */
  resetUpdates(name: string): boolean;
  addPermission(input: PermissionInput): Promise<void>;
  /** RemovePermission; false when the function or the statement is gone already. */
  removePermission(functionName: string, statementId: string): Promise<boolean>;
  hasPermission(functionName: string, statementId: string): boolean;
}

/** A stack's function may name a runtime the local cloud cannot run (deployed as before; its invocations say so). */
const STACK = { anyRuntime: true };

export function lambdaInternal(d: LambdaApiDeps, control: LambdaControl): LambdaInternal {
  const ops = lambdaOperations(d, control);
  const call = async (op: string, input: object): Promise<void> => {
    await (ops[op] as (i: unknown, ctx: unknown) => Promise<unknown>)(input, {});
    control.commit();
  };
  const nameOf = (functionName: string): string | undefined => {
    try {
      return requireFunction(d, functionName).spec.name;
    } catch (e) {
      if (e instanceof AwsError) return undefined;
      throw e;
    }
  };
  const extras = (name: string, i: CreateFunctionInput) => {
    const e = control.of(name);
    e.role = i.Role ?? e.role;
    if (i.Architectures !== undefined) e.architectures = [...i.Architectures];
    else delete e.architectures;
    e.tags = { ...(i.Tags ?? {}) };
  };
  return {
    getFunction(name) {
      const f = d.registry.get(name);
      return f && { tags: { ...control.of(name).tags }, codeDir: f.spec.codeDir };
    },
    createFunction(input) {
      const { Code, ...i } = input;
      createChecks(d, i, STACK);
      createFunction(d, control, i, Code);
      control.commit();
      const f = d.registry.get(i.FunctionName);
      return { arn: f?.spec.arn ?? '', codeDir: f?.spec.codeDir ?? '' };
    },
    updateFunction(input) {
      const { Code, ...i } = input;
      const name = requireFunction(d, i.FunctionName).spec.name;
      configChecks(i, STACK);
      const f = d.registry.deploy(functionSpec(d, name, i), Code, i.Description ?? '');
      extras(name, i);
      control.commit();
      return { codeDir: f.spec.codeDir };
    },
    async deleteFunction(name) {
      const fn = nameOf(name);
      if (fn === undefined) return false;
      await call('DeleteFunction', { FunctionName: fn });
      return true;
    },
    resetUpdates(name) {
      return d.registry.resetUpdates(name);
    },
    async addPermission(input) {
      await call('AddPermission', input);
    },
    async removePermission(functionName, statementId) {
      if (!this.hasPermission(functionName, statementId)) return false;
      await call('RemovePermission', { FunctionName: functionName, StatementId: statementId });
      return true;
    },
    hasPermission(functionName, statementId) {
      const name = nameOf(functionName);
      return name !== undefined && control.of(name).statements.some((s) => s.Sid === statementId);
    },
  };
}
