/**
 * The one logger type of the local cloud: the slice of a pino logger that services use. Production passes pino;
 * tests pass a plain object. A part that needs fewer levels takes a `Pick` of it.
 *
 * Log only methods, paths, statuses, ids and reasons: never a password, code, token, secret or private key.
 */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A logger that drops everything (tests and library defaults). */
export const silentLogger: Logger = Object.freeze({ info() {}, warn() {}, error() {} });
