/**
 * IAM's resource model: roles, managed policies with their versions, inline role policies and attachments, with the
 * create/update/delete operations the API handlers and the CloudFormation engine share. IAM here is STORED, NOT
 * ENFORCED: nothing in the local cloud checks a call against these policies (the README says so).
 *
 * Errors are IAM's own (EntityAlreadyExists, NoSuchEntity, DeleteConflict, MalformedPolicyDocument, LimitExceeded).
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html
 */
import { randomBytes } from 'node:crypto';
import { AwsError } from '../../protocols/index.js';
import type { Clock } from '../../shared/clock.js';
import type { RecordCollection, Records } from '../../store/records.js';

export interface Tag {
  Key: string;
  Value: string;
}

export interface Role {
  RoleName: string;
  RoleId: string;
  Arn: string;
  Path: string;
  CreateDate: Date;
  /** As written (decoded JSON text); the wire reply URL-encodes it, as IAM does. */
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration: number;
  PermissionsBoundary?: string;
  Tags: Tag[];
  /** Inline policies by name: the document as written. */
  inline: Map<string, string>;
  /** Attached managed policy ARNs, in attachment order. */
  attached: string[];
}

export interface PolicyVersion {
  VersionId: string;
  Document: string;
  CreateDate: Date;
}

export interface ManagedPolicy {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  Description?: string;
  CreateDate: Date;
  UpdateDate: Date;
  DefaultVersionId: string;
  versions: PolicyVersion[];
  nextVersion: number;
  Tags: Tag[];
}

export const iamError = (code: string, message: string, status = 400) => new AwsError(code, message, status);
const noSuchEntity = (message: string) => iamError('NoSuchEntity', message, 404);

/** IAM ids: a 4-letter prefix naming the kind and 17 upper-case alphanumerics. */
function iamId(prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = randomBytes(17);
  return prefix + [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

/** A policy document must be JSON naming a Statement (IAM's grammar is not checked further). */
export function checkPolicyDocument(doc: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(doc);
  } catch {
    throw iamError('MalformedPolicyDocument', 'Syntax errors in policy.');
  }
  if (typeof parsed !== 'object' || parsed === null || !('Statement' in parsed)) {
    throw iamError('MalformedPolicyDocument', 'Policy document should contain a Statement.');
  }
}

function normalPath(path: string | undefined): string {
  const p = path ?? '/';
  if (!/^\/(?:[\x21-\x7e]*\/)?$/.test(p)) {
    throw iamError(
      'ValidationError',
      `The specified value for path is invalid. It must begin and end with / .`,
    );
  }
  return p;
}

function mergeTags(current: Tag[], added: Tag[]): Tag[] {
  const out = new Map(current.map((t) => [t.Key, t.Value]));
  for (const t of added) out.set(t.Key, t.Value);
  if (out.size > 50)
    throw iamError('LimitExceeded', 'The number of tags has reached the maximum limit.', 409);
  return [...out].map(([Key, Value]) => ({ Key, Value }));
}

/**
 * The IAM account's resources: maps in memory, written whole to `records` (when given) by {@link commit}, which the
 * service runs after every operation, before it answers. A new store reads them back.
 */
export class IamStore {
  readonly #roles = new Map<string, Role>();
  readonly #policies = new Map<string, ManagedPolicy>();
  readonly #durable:
    | { records: Records; roles: RecordCollection<Role>; policies: RecordCollection<ManagedPolicy> }
    | undefined;

  constructor(
    readonly accountId: string,
    readonly clock: Clock,
    records?: Records,
  ) {
    if (records === undefined) return;
    this.#durable = {
      records,
      roles: records.collection<Role>('iam', 'role'),
      policies: records.collection<ManagedPolicy>('iam', 'policy'),
    };
    for (const [id, role] of this.#durable.roles.all()) this.#roles.set(id, role);
    for (const [id, policy] of this.#durable.policies.all()) this.#policies.set(id, policy);
  }

  /** Stores every role and policy whose state changed since the last commit (one transaction). */
  commit(): void {
    const d = this.#durable;
    if (d === undefined) return;
    d.records.transaction(() => {
      d.roles.sync(this.#roles);
      d.policies.sync(this.#policies);
    });
  }

  #now = () => new Date(this.clock.now());

  createRole(i: {
    RoleName: string;
    AssumeRolePolicyDocument: string;
    Path?: string;
    Description?: string;
    MaxSessionDuration?: number;
    PermissionsBoundary?: string;
    Tags?: Tag[];
  }): Role {
    if (this.#roles.has(i.RoleName.toLowerCase())) {
      throw iamError('EntityAlreadyExists', `Role with name ${i.RoleName} already exists.`, 409);
    }
    checkPolicyDocument(i.AssumeRolePolicyDocument);
    const path = normalPath(i.Path);
    const role: Role = {
      RoleName: i.RoleName,
      RoleId: iamId('AROA'),
      Arn: `arn:aws:iam::${this.accountId}:role${path}${i.RoleName}`,
      Path: path,
      CreateDate: this.#now(),
      AssumeRolePolicyDocument: i.AssumeRolePolicyDocument,
      ...(i.Description !== undefined ? { Description: i.Description } : {}),
      MaxSessionDuration: i.MaxSessionDuration ?? 3600,
      ...(i.PermissionsBoundary !== undefined ? { PermissionsBoundary: i.PermissionsBoundary } : {}),
      Tags: mergeTags([], i.Tags ?? []),
      inline: new Map(),
      attached: [],
    };
    this.#roles.set(i.RoleName.toLowerCase(), role);
    return role;
  }

  getRole(name: string): Role {
    const r = this.#roles.get(name.toLowerCase());
    if (!r) throw noSuchEntity(`The role with name ${name} cannot be found.`);
    return r;
  }

  listRoles(pathPrefix = '/'): Role[] {
    return [...this.#roles.values()]
      .filter((r) => r.Path.startsWith(pathPrefix))
      .sort((a, b) => a.RoleName.localeCompare(b.RoleName));
  }

  updateRole(name: string, patch: { Description?: string; MaxSessionDuration?: number }): Role {
    const r = this.getRole(name);
    if (patch.Description !== undefined) r.Description = patch.Description;
    if (patch.MaxSessionDuration !== undefined) r.MaxSessionDuration = patch.MaxSessionDuration;
    return r;
  }

  updateAssumeRolePolicy(name: string, doc: string): Role {
    const r = this.getRole(name);
    checkPolicyDocument(doc);
    r.AssumeRolePolicyDocument = doc;
    return r;
  }

  deleteRole(name: string): void {
    const r = this.getRole(name);
    if (r.attached.length > 0) {
      throw iamError('DeleteConflict', 'Cannot delete entity, must detach all policies first.', 409);
    }
    if (r.inline.size > 0) {
      throw iamError('DeleteConflict', 'Cannot delete entity, must delete policies first.', 409);
    }
    this.#roles.delete(name.toLowerCase());
  }

  tagRole(name: string, tags: Tag[]): void {
    const r = this.getRole(name);
    r.Tags = mergeTags(r.Tags, tags);
  }

  untagRole(name: string, keys: string[]): void {
    const r = this.getRole(name);
    r.Tags = r.Tags.filter((t) => !keys.includes(t.Key));
  }

  putRolePolicy(roleName: string, policyName: string, doc: string): void {
    const r = this.getRole(roleName);
    checkPolicyDocument(doc);
    r.inline.set(policyName, doc);
  }

  getRolePolicy(roleName: string, policyName: string): string {
    const doc = this.getRole(roleName).inline.get(policyName);
    if (doc === undefined) {
      throw noSuchEntity(`The role policy with name ${policyName} cannot be found.`);
    }
    return doc;
  }

  deleteRolePolicy(roleName: string, policyName: string): void {
    const r = this.getRole(roleName);
    if (!r.inline.delete(policyName)) {
      throw noSuchEntity(`The role policy with name ${policyName} cannot be found.`);
    }
  }

  attachRolePolicy(roleName: string, policyArn: string): void {
    const r = this.getRole(roleName);
    this.#policyByArn(policyArn);
    if (!r.attached.includes(policyArn)) r.attached.push(policyArn);
  }

  detachRolePolicy(roleName: string, policyArn: string): void {
    const r = this.getRole(roleName);
    if (!r.attached.includes(policyArn)) {
      throw noSuchEntity(`Policy ${policyArn} was not found.`);
    }
    r.attached = r.attached.filter((a) => a !== policyArn);
  }

  /** AWS managed policies (`arn:aws:iam::aws:policy/...`) are accepted by name: they exist on every account. */
  #policyByArn(arn: string): ManagedPolicy {
    const p = this.#policies.get(arn);
    if (p) return p;
    const m = /^arn:aws:iam::aws:policy((?:\/[^/]+)*\/)([^/]+)$/.exec(arn);
    if (m) return this.#awsManaged(arn, m[1] as string, m[2] as string);
    throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  }

  #awsManaged(arn: string, path: string, name: string): ManagedPolicy {
    const created = new Date(Date.UTC(2015, 1, 6, 18, 40, 0));
    const p: ManagedPolicy = {
      PolicyName: name,
      PolicyId: iamId('ANPA'),
      Arn: arn,
      Path: path,
      CreateDate: created,
      UpdateDate: created,
      DefaultVersionId: 'v1',
      versions: [
        {
          VersionId: 'v1',
          Document: '{"Version":"2012-10-17","Statement":[]}',
          CreateDate: created,
        },
      ],
      nextVersion: 2,
      Tags: [],
    };
    this.#policies.set(arn, p);
    return p;
  }

  createPolicy(i: {
    PolicyName: string;
    PolicyDocument: string;
    Path?: string;
    Description?: string;
    Tags?: Tag[];
  }): ManagedPolicy {
    const path = normalPath(i.Path);
    const arn = `arn:aws:iam::${this.accountId}:policy${path}${i.PolicyName}`;
    if ([...this.#policies.values()].some((p) => p.Arn.toLowerCase() === arn.toLowerCase())) {
      throw iamError(
        'EntityAlreadyExists',
        `A policy called ${i.PolicyName} already exists. Duplicate names are not allowed.`,
        409,
      );
    }
    checkPolicyDocument(i.PolicyDocument);
    const now = this.#now();
    const p: ManagedPolicy = {
      PolicyName: i.PolicyName,
      PolicyId: iamId('ANPA'),
      Arn: arn,
      Path: path,
      ...(i.Description !== undefined && i.Description !== '' ? { Description: i.Description } : {}),
      CreateDate: now,
      UpdateDate: now,
      DefaultVersionId: 'v1',
      versions: [{ VersionId: 'v1', Document: i.PolicyDocument, CreateDate: now }],
      nextVersion: 2,
      Tags: mergeTags([], i.Tags ?? []),
    };
    this.#policies.set(arn, p);
    return p;
  }

  getPolicy(arn: string): ManagedPolicy {
    const p = this.#policies.get(arn);
    if (!p && !arn.startsWith('arn:aws:iam::aws:')) throw noSuchEntity(`Policy ${arn} was not found.`);
    return p ?? this.#policyByArn(arn);
  }

  attachmentCount(arn: string): number {
    return [...this.#roles.values()].filter((r) => r.attached.includes(arn)).length;
  }

  rolesAttachedTo(arn: string): Role[] {
    return [...this.#roles.values()].filter((r) => r.attached.includes(arn));
  }

  listPolicies(scope: string, onlyAttached: boolean, pathPrefix = '/'): ManagedPolicy[] {
    return [...this.#policies.values()]
      .filter((p) =>
        scope === 'AWS' ? p.Arn.includes('::aws:') : scope === 'Local' ? !p.Arn.includes('::aws:') : true,
      )
      .filter((p) => !onlyAttached || this.attachmentCount(p.Arn) > 0)
      .filter((p) => p.Path.startsWith(pathPrefix))
      .sort((a, b) => a.PolicyName.localeCompare(b.PolicyName));
  }

  deletePolicy(arn: string): void {
    const p = this.getPolicy(arn);
    if (this.attachmentCount(arn) > 0) {
      throw iamError('DeleteConflict', 'Cannot delete a policy attached to entities.', 409);
    }
    if (p.versions.length > 1) {
      throw iamError('DeleteConflict', 'Cannot delete a policy with versions other than the default.', 409);
    }
    this.#policies.delete(arn);
  }

  createPolicyVersion(arn: string, doc: string, setAsDefault: boolean): PolicyVersion {
    const p = this.getPolicy(arn);
    checkPolicyDocument(doc);
    if (p.versions.length >= 5) {
      throw iamError(
        'LimitExceeded',
        `A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.`,
        409,
      );
    }
    const v: PolicyVersion = { VersionId: `v${p.nextVersion++}`, Document: doc, CreateDate: this.#now() };
    p.versions.push(v);
    p.UpdateDate = v.CreateDate;
    if (setAsDefault) p.DefaultVersionId = v.VersionId;
    return v;
  }

  getPolicyVersion(arn: string, versionId: string): PolicyVersion {
    const v = this.getPolicy(arn).versions.find((x) => x.VersionId === versionId);
    if (!v) throw noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
    return v;
  }

  deletePolicyVersion(arn: string, versionId: string): void {
    const p = this.getPolicy(arn);
    this.getPolicyVersion(arn, versionId);
    if (p.DefaultVersionId === versionId) {
      throw iamError('DeleteConflict', 'Cannot delete the default version of a policy.', 409);
    }
    p.versions = p.versions.filter((v) => v.VersionId !== versionId);
  }

  setDefaultPolicyVersion(arn: string, versionId: string): void {
    const p = this.getPolicy(arn);
    this.getPolicyVersion(arn, versionId);
    p.DefaultVersionId = versionId;
  }

  tagPolicy(arn: string, tags: Tag[]): void {
    const p = this.getPolicy(arn);
    p.Tags = mergeTags(p.Tags, tags);
  }

  untagPolicy(arn: string, keys: string[]): void {
    const p = this.getPolicy(arn);
    p.Tags = p.Tags.filter((t) => !keys.includes(t.Key));
  }
}
