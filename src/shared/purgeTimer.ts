/**
 * Runs `purge` every `everyMs` milliseconds on a timer that never keeps the process alive, until the returned stop
 * function is called. A failing purge is handed to `onFailure` (to log) and tried again next time; it never throws
 * out of the timer. `everyMs` of 0 or less starts nothing. Used by the user pool API and the Hosted UI to drop
 * expired codes, sessions and tokens.
 */
export function startPurgeTimer(
  everyMs: number,
  purge: () => void,
  onFailure: (err: unknown) => void,
): () => void {
  if (everyMs <= 0) return () => {};
  const timer = setInterval(() => {
    try {
      purge();
    } catch (err) {
      onFailure(err);
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
