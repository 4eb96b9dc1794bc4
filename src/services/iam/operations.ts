/**
 * IAM's API (awsQuery) over the {@link IamStore}: roles, managed policies with versions, inline role policies,
 * attachments, tags. Policy documents go back URL-encoded, as IAM returns them (clients decode them).
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html
 */
import type { OperationRegistry } from '../../protocols/index.js';
import { type IamStore, iamError, type ManagedPolicy, type Role, type Tag } from './store.js';

/** IAM encodes documents as RFC 3986 does (`encodeURIComponent` leaves `!'()*` alone, IAM too). */
const encodeDoc = (doc: string) => encodeURIComponent(doc);

/** Marker/MaxItems paging: the marker is the index of the next item. */
function page<T>(items: T[], marker: string | undefined, maxItems: number | undefined) {
  const start = marker === undefined ? 0 : Number.parseInt(marker, 10);
  if (!Number.isInteger(start) || start < 0 || start > items.length) {
    throw iamError('ValidationError', 'Invalid Marker.');
  }
  const size = maxItems ?? 100;
  const slice = items.slice(start, start + size);
  const truncated = start + size < items.length;
  return { slice, IsTruncated: truncated, ...(truncated ? { Marker: String(start + size) } : {}) };
}

function roleOut(r: Role, withTags = true) {
  return {
    Path: r.Path,
    RoleName: r.RoleName,
    RoleId: r.RoleId,
    Arn: r.Arn,
    CreateDate: r.CreateDate,
    AssumeRolePolicyDocument: encodeDoc(r.AssumeRolePolicyDocument),
    ...(r.Description !== undefined ? { Description: r.Description } : {}),
    MaxSessionDuration: r.MaxSessionDuration,
    ...(r.PermissionsBoundary !== undefined
      ? {
          PermissionsBoundary: {
            PermissionsBoundaryType: 'Policy',
            PermissionsBoundaryArn: r.PermissionsBoundary,
          },
        }
      : {}),
    ...(withTags && r.Tags.length ? { Tags: r.Tags } : {}),
    RoleLastUsed: {},
  };
}

function policyOut(store: IamStore, p: ManagedPolicy, withTags = true) {
  return {
    PolicyName: p.PolicyName,
    PolicyId: p.PolicyId,
    Arn: p.Arn,
    Path: p.Path,
    DefaultVersionId: p.DefaultVersionId,
    AttachmentCount: store.attachmentCount(p.Arn),
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    ...(p.Description !== undefined ? { Description: p.Description } : {}),
    CreateDate: p.CreateDate,
    UpdateDate: p.UpdateDate,
    ...(withTags && p.Tags.length ? { Tags: p.Tags } : {}),
  };
}

const versionOut = (p: ManagedPolicy, v: ManagedPolicy['versions'][number], withDoc: boolean) => ({
  ...(withDoc ? { Document: encodeDoc(v.Document) } : {}),
  VersionId: v.VersionId,
  IsDefaultVersion: v.VersionId === p.DefaultVersionId,
  CreateDate: v.CreateDate,
});

interface Paged {
  Marker?: string;
  MaxItems?: number;
}

export function iamOperations(store: IamStore): OperationRegistry {
  return {
    CreateRole: async (i) => ({ Role: roleOut(store.createRole(i)) }),
    GetRole: async (i: { RoleName: string }) => ({ Role: roleOut(store.getRole(i.RoleName)) }),
    DeleteRole: async (i: { RoleName: string }) => {
      store.deleteRole(i.RoleName);
      return {};
    },
    ListRoles: async (i: Paged & { PathPrefix?: string }) => {
      const p = page(store.listRoles(i.PathPrefix), i.Marker, i.MaxItems);
      return { Roles: p.slice.map((r) => roleOut(r, false)), IsTruncated: p.IsTruncated, Marker: p.Marker };
    },
    UpdateRole: async (i: { RoleName: string; Description?: string; MaxSessionDuration?: number }) => {
      store.updateRole(i.RoleName, i);
      return {};
    },
    UpdateAssumeRolePolicy: async (i: { RoleName: string; PolicyDocument: string }) => {
      store.updateAssumeRolePolicy(i.RoleName, i.PolicyDocument);
      return {};
    },
    TagRole: async (i: { RoleName: string; Tags: Tag[] }) => {
      store.tagRole(i.RoleName, i.Tags);
      return {};
    },
    UntagRole: async (i: { RoleName: string; TagKeys: string[] }) => {
      store.untagRole(i.RoleName, i.TagKeys);
      return {};
    },
    ListRoleTags: async (i: Paged & { RoleName: string }) => {
      const p = page(store.getRole(i.RoleName).Tags, i.Marker, i.MaxItems);
      return { Tags: p.slice, IsTruncated: p.IsTruncated, Marker: p.Marker };
    },
    PutRolePolicy: async (i: { RoleName: string; PolicyName: string; PolicyDocument: string }) => {
      store.putRolePolicy(i.RoleName, i.PolicyName, i.PolicyDocument);
      return {};
    },
    GetRolePolicy: async (i: { RoleName: string; PolicyName: string }) => ({
      RoleName: store.getRole(i.RoleName).RoleName,
      PolicyName: i.PolicyName,
      PolicyDocument: encodeDoc(store.getRolePolicy(i.RoleName, i.PolicyName)),
    }),
    DeleteRolePolicy: async (i: { RoleName: string; PolicyName: string }) => {
      store.deleteRolePolicy(i.RoleName, i.PolicyName);
      return {};
    },
    ListRolePolicies: async (i: Paged & { RoleName: string }) => {
      const p = page([...store.getRole(i.RoleName).inline.keys()].sort(), i.Marker, i.MaxItems);
      return { PolicyNames: p.slice, IsTruncated: p.IsTruncated, Marker: p.Marker };
    },
    AttachRolePolicy: async (i: { RoleName: string; PolicyArn: string }) => {
      store.attachRolePolicy(i.RoleName, i.PolicyArn);
      return {};
    },
    DetachRolePolicy: async (i: { RoleName: string; PolicyArn: string }) => {
      store.detachRolePolicy(i.RoleName, i.PolicyArn);
      return {};
    },
    ListAttachedRolePolicies: async (i: Paged & { RoleName: string; PathPrefix?: string }) => {
      const attached = store
        .getRole(i.RoleName)
        .attached.map((arn) => store.getPolicy(arn))
        .filter((p) => p.Path.startsWith(i.PathPrefix ?? '/'));
      const p = page(attached, i.Marker, i.MaxItems);
      return {
        AttachedPolicies: p.slice.map((x) => ({ PolicyName: x.PolicyName, PolicyArn: x.Arn })),
        IsTruncated: p.IsTruncated,
        Marker: p.Marker,
      };
    },
    ListInstanceProfilesForRole: async (i: { RoleName: string }) => {
      store.getRole(i.RoleName);
      return { InstanceProfiles: [], IsTruncated: false };
    },
    CreatePolicy: async (i) => ({ Policy: policyOut(store, store.createPolicy(i)) }),
    GetPolicy: async (i: { PolicyArn: string }) => ({
      Policy: policyOut(store, store.getPolicy(i.PolicyArn)),
    }),
    DeletePolicy: async (i: { PolicyArn: string }) => {
      store.deletePolicy(i.PolicyArn);
      return {};
    },
    ListPolicies: async (i: Paged & { Scope?: string; OnlyAttached?: boolean; PathPrefix?: string }) => {
      const all = store.listPolicies(i.Scope ?? 'All', i.OnlyAttached ?? false, i.PathPrefix);
      const p = page(all, i.Marker, i.MaxItems);
      return {
        Policies: p.slice.map((x) => policyOut(store, x, false)),
        IsTruncated: p.IsTruncated,
        Marker: p.Marker,
      };
    },
    CreatePolicyVersion: async (i: { PolicyArn: string; PolicyDocument: string; SetAsDefault?: boolean }) => {
      const v = store.createPolicyVersion(i.PolicyArn, i.PolicyDocument, i.SetAsDefault ?? false);
      return { PolicyVersion: versionOut(store.getPolicy(i.PolicyArn), v, false) };
    },
    GetPolicyVersion: async (i: { PolicyArn: string; VersionId: string }) => {
      const p = store.getPolicy(i.PolicyArn);
      return { PolicyVersion: versionOut(p, store.getPolicyVersion(i.PolicyArn, i.VersionId), true) };
    },
    DeletePolicyVersion: async (i: { PolicyArn: string; VersionId: string }) => {
      store.deletePolicyVersion(i.PolicyArn, i.VersionId);
      return {};
    },
    ListPolicyVersions: async (i: Paged & { PolicyArn: string }) => {
      const pol = store.getPolicy(i.PolicyArn);
      const p = page([...pol.versions].reverse(), i.Marker, i.MaxItems);
      return {
        Versions: p.slice.map((v) => versionOut(pol, v, false)),
        IsTruncated: p.IsTruncated,
        Marker: p.Marker,
      };
    },
    SetDefaultPolicyVersion: async (i: { PolicyArn: string; VersionId: string }) => {
      store.setDefaultPolicyVersion(i.PolicyArn, i.VersionId);
      return {};
    },
    TagPolicy: async (i: { PolicyArn: string; Tags: Tag[] }) => {
      store.tagPolicy(i.PolicyArn, i.Tags);
      return {};
    },
    UntagPolicy: async (i: { PolicyArn: string; TagKeys: string[] }) => {
      store.untagPolicy(i.PolicyArn, i.TagKeys);
      return {};
    },
    ListPolicyTags: async (i: Paged & { PolicyArn: string }) => {
      const p = page(store.getPolicy(i.PolicyArn).Tags, i.Marker, i.MaxItems);
      return { Tags: p.slice, IsTruncated: p.IsTruncated, Marker: p.Marker };
    },
    ListEntitiesForPolicy: async (i: { PolicyArn: string }) => {
      store.getPolicy(i.PolicyArn);
      return {
        PolicyRoles: store
          .rolesAttachedTo(i.PolicyArn)
          .map((r) => ({ RoleName: r.RoleName, RoleId: r.RoleId })),
        PolicyGroups: [],
        PolicyUsers: [],
        IsTruncated: false,
      };
    },
  };
}
