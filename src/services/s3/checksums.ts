import { createHash, type Hash } from 'node:crypto';
import { Crc32 } from '@aws-crypto/crc32';
import { Crc32c } from '@aws-crypto/crc32c';
import type { ChecksumAlgorithm } from '../../store/s3/index.js';

/** A running checksum over streamed bytes. */
export interface Hasher {
  update(b: Uint8Array): void;
  /** The digest as S3 sends it: base64 of the big-endian bytes. */
  digest(): string;
}

const crc = (c: { update(b: Uint8Array): unknown; digest(): number }): Hasher => ({
  update: (b) => {
    c.update(b);
  },
  digest: () => {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(c.digest() >>> 0);
    return out.toString('base64');
  },
});

const hash = (h: Hash): Hasher => ({
  update: (b) => {
    h.update(b);
  },
  digest: () => h.digest('base64'),
});

export const ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'SHA1', 'SHA256'];

export function newHasher(algorithm: ChecksumAlgorithm): Hasher {
  switch (algorithm) {
    case 'CRC32':
      return crc(new Crc32());
    case 'CRC32C':
      return crc(new Crc32c());
    case 'SHA1':
      return hash(createHash('sha1'));
    case 'SHA256':
      return hash(createHash('sha256'));
  }
}

/** `x-amz-checksum-crc32` → `CRC32`. */
export function algorithmOfHeader(name: string): ChecksumAlgorithm | undefined {
  const m = /^x-amz-checksum-(crc32c|crc32|sha1|sha256)$/i.exec(name.trim());
  return m ? ((m[1] as string).toUpperCase() as ChecksumAlgorithm) : undefined;
}

export const headerOfAlgorithm = (a: ChecksumAlgorithm): string => `x-amz-checksum-${a.toLowerCase()}`;

/** A multipart object's composite checksum: the checksum of the parts' raw checksums, `-N`. */
export function compositeChecksum(algorithm: ChecksumAlgorithm, partChecksums: string[]): string {
  const h = newHasher(algorithm);
  for (const c of partChecksums) h.update(Buffer.from(c, 'base64'));
  return `${h.digest()}-${partChecksums.length}`;
}
