import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { crc32 } from '@aws-crypto/crc32';

const chunk = (type: string, data: Buffer): Buffer => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};

/**
 * A real PNG (8-bit RGB) of `width` × `height`: a solid colour, a colour per pixel, or random noise (which does not compress, for
 * images over a size limit). Built with node:zlib and a CRC-32 library; browsers decode it.
 */
type Rgb = [number, number, number];

export function png(
  width: number,
  height: number,
  fill: Rgb | 'noise' | ((x: number, y: number) => Rgb),
): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = width * 3 + 1;
  const raw = fill === 'noise' ? randomBytes(row * height) : Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    raw[y * row] = 0;
    if (fill === 'noise') continue;
    for (let x = 0; x < width; x++)
      raw.set(typeof fill === 'function' ? fill(x, y) : fill, y * row + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
