/** How long log output may wait to be written with what follows it. */
export const LOG_FLUSH_MS = 10;
/** Output held beyond this many characters is written at once. */
const LOG_BATCH_CHARS = 64 * 1024;

/**
 * Collects log output and hands it to `out` as one write per `flushMs` (or per LOG_BATCH_CHARS). Under load the
 * access log and START/END/REPORT make four lines per request, and an fs write per line costs the event loop more
 * than the requests' own work; a person reading the terminal cannot tell 10 ms apart.
 */
export function batchedWriter(out: { write(chunk: string): unknown }, flushMs: number) {
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending === '') return;
    const chunk = pending;
    pending = '';
    out.write(chunk);
  };
  return {
    write(chunk: string): boolean {
      pending += chunk;
      if (pending.length >= LOG_BATCH_CHARS) flush();
      else timer ??= setTimeout(flush, flushMs);
      return true;
    },
    flush,
  };
}
