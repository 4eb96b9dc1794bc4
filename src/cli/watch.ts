import { type FSWatcher, watch } from 'node:fs';
import { relative, sep } from 'node:path';
import type { Logger } from '../shared/logger.js';
import { type SynthOptions, synthIfChanged } from './synth.js';
import { synthInputs } from './synth-inputs.js';

/** How long a burst of file events (an editor's save, a checkout) settles before the inputs are hashed. */
const SETTLE_MS = 300;

/**
 * `--watch`: watches the CDK app's sources (cdk.json's `watch` globs, see synth-inputs.ts) and, after a change,
 * re-synthesizes only when the inputs' hash differs from the last synth's, then hands the new assembly to `deploy`.
 * A save that changes nothing (or touches a file that does not feed the synth) costs a hash, not a synth.
 */
export function watchAndResynth(opts: {
  synth: SynthOptions;
  log: Pick<Logger, 'info' | 'error'>;
  deploy(): Promise<void>;
}): { close(): void } {
  const { synth, log } = opts;
  const inputs = synthInputs({
    projectDir: synth.cwd,
    env: synth.env,
    skipDirs: [synth.outDir, ...(synth.skipDirs ?? [])],
  });
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const reload = async () => {
    try {
      const done = await synthIfChanged({ ...synth, force: false });
      if (!done.synthesized) {
        log.info({ files: done.files }, `sources touched, but ${done.reason}: not re-synthesizing`);
        return;
      }
      log.info({ reason: done.reason }, 're-synthesized the CDK app');
      await opts.deploy();
    } catch (err) {
      log.error(
        { err: err instanceof Error ? err.message : String(err) },
        'reload failed; still serving the previous version',
      );
    }
  };
  const watchers: FSWatcher[] = inputs.watchRoots.map(({ dir, recursive }) =>
    watch(dir, { recursive }, (_event, name) => {
      const rel = relative(synth.cwd, `${dir}${sep}${name ?? ''}`)
        .split(sep)
        .join('/');
      if (name && !inputs.isSource(rel)) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        running = running.then(reload);
      }, SETTLE_MS);
    }),
  );
  log.info(
    { roots: inputs.watchRoots.map((r) => relative(synth.cwd, r.dir) || '.') },
    'watching the CDK app for changes',
  );
  return {
    close() {
      clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
