import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { S3Store } from './store.js';

describe('S3 sub-resource documents', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('are kept across a reopen, and go with their object or bucket', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-s3-sub-'));
    dirs.push(dir);
    let store = new S3Store(dir);
    store.createBucket({ name: 'b', region: 'us-east-1', createdAt: 5 });
    store.putObject({
      bucket: 'b',
      key: 'k',
      blob: 'no-such-blob',
      size: 0,
      etag: '""',
      lastModified: 5,
      contentType: undefined,
      headers: {},
      metadata: {},
    });
    store.subresources.put('b@5?cors', '<CORSConfiguration/>');
    store.subresources.put('b@5/k?tagging', '<Tagging/>');
    store.close();

    store = new S3Store(dir);
    try {
      expect(store.subresources.get('b@5?cors')).toBe('<CORSConfiguration/>');
      expect(store.subresources.get('b@5/k?tagging')).toBe('<Tagging/>');
      store.deleteObject('b', 'k');
      expect(store.subresources.get('b@5/k?tagging')).toBeUndefined();
      expect(store.deleteBucket('b')).toBe('deleted');
      expect(store.subresources.all()).toEqual([]);
    } finally {
      store.close();
    }
  });
});
