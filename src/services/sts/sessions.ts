import { randomBytes } from 'node:crypto';

/** Temporary credentials handed out by AssumeRole, remembered so GetCallerIdentity can say whose they are. */
export interface RoleSession {
  accessKeyId: string;
  accountId: string;
  roleName: string;
  sessionName: string;
  /** `AROA...`: the role's unique id, stable for one role ARN. */
  roleId: string;
  expiresAt: number;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `prefix` + upper-case base32 characters, as AWS key ids look (`ASIA...`, `AROA...`). */
export function awsId(prefix: string, length: number): string {
  const bytes = randomBytes(length);
  let s = prefix;
  for (let i = 0; s.length < prefix.length + length; i++) s += ALNUM[(bytes[i] as number) % 32];
  return s;
}

/**
 * The sessions of this process, in memory: temporary credentials do not outlive a restart of the local cloud (they
 * are not checked anyway: signatures are not verified).
 */
export class RoleSessions {
  readonly #byKey = new Map<string, RoleSession>();
  readonly #roleIds = new Map<string, string>();

  roleId(roleArn: string): string {
    let id = this.#roleIds.get(roleArn);
    if (!id) {
      id = awsId('AROA', 17);
      this.#roleIds.set(roleArn, id);
    }
    return id;
  }

  add(session: RoleSession, now: number): void {
    for (const [k, s] of this.#byKey) if (s.expiresAt <= now) this.#byKey.delete(k);
    this.#byKey.set(session.accessKeyId, session);
  }

  get(accessKeyId: string | undefined, now: number): RoleSession | undefined {
    const s = accessKeyId ? this.#byKey.get(accessKeyId) : undefined;
    return s && s.expiresAt > now ? s : undefined;
  }
}
