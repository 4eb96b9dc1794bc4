/**
 * The CloudFormation engine's model: stacks with their resources, events and change sets. One model serves every
 * read (DescribeStacks, ListStackResources, GetTemplate...) and every write (change sets, CreateStack, DeleteStack).
 */
import type { CfnTemplate } from '../template.js';

export type StackStatus =
  | 'REVIEW_IN_PROGRESS'
  | 'CREATE_IN_PROGRESS'
  | 'CREATE_COMPLETE'
  | 'CREATE_FAILED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_COMPLETE'
  | 'ROLLBACK_FAILED'
  | 'UPDATE_IN_PROGRESS'
  | 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'
  | 'UPDATE_COMPLETE'
  | 'UPDATE_ROLLBACK_IN_PROGRESS'
  | 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'
  | 'UPDATE_ROLLBACK_COMPLETE'
  | 'UPDATE_ROLLBACK_FAILED'
  | 'DELETE_IN_PROGRESS'
  | 'DELETE_COMPLETE'
  | 'DELETE_FAILED';

export type ResourceStatus =
  | 'CREATE_IN_PROGRESS'
  | 'CREATE_COMPLETE'
  | 'CREATE_FAILED'
  | 'UPDATE_IN_PROGRESS'
  | 'UPDATE_COMPLETE'
  | 'UPDATE_FAILED'
  | 'DELETE_IN_PROGRESS'
  | 'DELETE_COMPLETE'
  | 'DELETE_FAILED'
  | 'DELETE_SKIPPED';

/** A resource that exists: what was created, with the properties it was created or last updated with. */
export interface ResourceState {
  logicalId: string;
  type: string;
  physicalId: string;
  /** Resolved properties as applied. */
  properties: Record<string, unknown>;
  /** Fn::GetAtt values the provider reported beyond the computed ones (a custom resource's Data). */
  attributes: Record<string, unknown>;
  status: ResourceStatus;
  statusReason?: string;
  updatedAt: number;
}

export interface StackEvent {
  eventId: string;
  stackId: string;
  stackName: string;
  logicalId: string;
  physicalId: string;
  type: string;
  status: string;
  reason?: string;
  /** Resolved properties, as JSON (AWS's ResourceProperties). */
  properties?: string;
  timestamp: number;
}

export interface Output {
  key: string;
  value: string;
  description?: string;
  exportName?: string;
}

export interface Stack {
  stackId: string;
  stackName: string;
  status: StackStatus;
  statusReason?: string;
  description?: string;
  /** The exact template body last applied (GetTemplate); for REVIEW_IN_PROGRESS, none. */
  templateBody: string | undefined;
  /** Parameters as given (ParameterValue) and, for SSM-typed ones, as resolved. */
  parameters: { key: string; value: string; resolved?: string }[];
  capabilities: string[];
  tags: { Key: string; Value: string }[];
  resources: Record<string, ResourceState>;
  outputs: Output[];
  createdAt: number;
  updatedAt?: number;
  deletedAt?: number;
  /** Newest last. */
  events: StackEvent[];
  disableRollback: boolean;
  roleArn?: string;
}

export type ChangeAction = 'Add' | 'Modify' | 'Remove';

export interface ResourceChange {
  action: ChangeAction;
  logicalId: string;
  type: string;
  physicalId?: string;
  /** Modify only: True, False or Conditional. */
  replacement?: 'True' | 'False' | 'Conditional';
  /** Modify only: the top-level properties that differ. */
  details: { name: string; requiresRecreation: 'Never' | 'Always' }[];
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

export interface ChangeSet {
  id: string;
  name: string;
  stackId: string;
  stackName: string;
  type: 'CREATE' | 'UPDATE';
  status: 'CREATE_PENDING' | 'CREATE_IN_PROGRESS' | 'CREATE_COMPLETE' | 'DELETE_COMPLETE' | 'FAILED';
  statusReason?: string;
  executionStatus:
    | 'UNAVAILABLE'
    | 'AVAILABLE'
    | 'EXECUTE_IN_PROGRESS'
    | 'EXECUTE_COMPLETE'
    | 'EXECUTE_FAILED'
    | 'OBSOLETE';
  description?: string;
  templateBody: string;
  template: CfnTemplate;
  parameters: { key: string; value: string; resolved?: string }[];
  capabilities: string[];
  tags: { Key: string; Value: string }[];
  changes: ResourceChange[];
  createdAt: number;
}
