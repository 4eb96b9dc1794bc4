import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A dependency loaded on its first use rather than at start, so that what an idle local cloud never needs (the
 * branding CSS checker, YAML templates, zip files, QR codes, XML) stays out of its memory. The package's CommonJS
 * build is loaded, synchronously; each of these packages ships one.
 */
export function lazyRequire<T>(id: string): () => T {
  let mod: T | undefined;
  return () => {
    mod ??= require(id) as T;
    return mod;
  };
}
