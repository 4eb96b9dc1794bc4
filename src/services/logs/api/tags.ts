/**
 * Log group tags (TagResource/UntagResource/ListTagsForResource by ARN, and the older *LogGroup forms by name) and
 * the metric-filter read Terraform makes. Tags are committed to the store (`logs.sqlite`) before the answer; a group
 * created again starts untagged. Metric filters are not emulated: DescribeMetricFilters answers none.
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TagResource.html
 */
import type { LogGroupRecord } from '../../../store/logs.js';
import { invalid, type LogsDeps, requireGroup } from '../domain.js';

type Tags = Record<string, string>;

function tagsOf(d: LogsDeps, g: LogGroupRecord): { get(): Tags; set(t: Tags): void } {
  const key = `${g.name}@${g.createdAt}`;
  return {
    get: () => ({ ...(d.store.tags.get(key) ?? {}) }),
    set: (t) => (Object.keys(t).length ? d.store.tags.put(key, t) : d.store.tags.delete(key)),
  };
}

const byArn = (d: LogsDeps, arn: string) => {
  if (!/^arn:[^:]+:logs:[^:]*:[^:]*:log-group:/.test(arn)) {
    throw invalid(`Invalid resource ARN: ${arn}. Only log groups are taggable locally.`);
  }
  return requireGroup(d, { logGroupIdentifier: arn });
};

/** Called by CreateLogGroup with its `tags`. */
export function tagNewGroup(d: LogsDeps, name: string, tags: Tags | undefined): void {
  if (tags && Object.keys(tags).length) tagsOf(d, requireGroup(d, { logGroupName: name })).set({ ...tags });
}

const add = (d: LogsDeps, g: LogGroupRecord, tags: Tags) => {
  const t = tagsOf(d, g);
  t.set({ ...t.get(), ...tags });
  return {};
};
const remove = (d: LogsDeps, g: LogGroupRecord, keys: string[]) => {
  const t = tagsOf(d, g);
  t.set(Object.fromEntries(Object.entries(t.get()).filter(([k]) => !keys.includes(k))));
  return {};
};

export const tagOperations = (d: LogsDeps) => ({
  TagResource: async (i: { resourceArn: string; tags: Tags }) => add(d, byArn(d, i.resourceArn), i.tags),
  UntagResource: async (i: { resourceArn: string; tagKeys: string[] }) =>
    remove(d, byArn(d, i.resourceArn), i.tagKeys),
  ListTagsForResource: async (i: { resourceArn: string }) => ({
    tags: tagsOf(d, byArn(d, i.resourceArn)).get(),
  }),
  TagLogGroup: async (i: { logGroupName: string; tags: Tags }) =>
    add(d, requireGroup(d, { logGroupName: i.logGroupName }), i.tags),
  UntagLogGroup: async (i: { logGroupName: string; tags: string[] }) =>
    remove(d, requireGroup(d, { logGroupName: i.logGroupName }), i.tags),
  ListTagsLogGroup: async (i: { logGroupName: string }) => ({
    tags: tagsOf(d, requireGroup(d, { logGroupName: i.logGroupName })).get(),
  }),
  DescribeMetricFilters: async (i: { logGroupName?: string }) => {
    if (i.logGroupName !== undefined) requireGroup(d, { logGroupName: i.logGroupName });
    return { metricFilters: [] };
  },
});
