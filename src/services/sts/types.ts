import type { Clock } from '../../shared/clock.js';
import type { RoleSessions } from './sessions.js';

/** What STS operations use. */
export interface StsContext {
  /** The configured account (`--account-id`). */
  accountId: string;
  clock: Clock;
  sessions: RoleSessions;
}
