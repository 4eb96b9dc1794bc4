import type { Db } from '../../db.js';
import type { MfaFactor, MfaSettingsRecord } from '../records.js';
import type { MfaStore } from '../store.js';
import { prepareAll, sqlOf } from './statements.js';

const COLUMN: Record<MfaFactor, string> = {
  SOFTWARE_TOKEN_MFA: 'totp_enabled',
  SMS_MFA: 'sms_enabled',
  EMAIL_OTP: 'email_enabled',
};

interface Row {
  totp_secret: string | null;
  totp_verified: number;
  totp_last_step: number;
  totp_enabled: number;
  sms_enabled: number;
  email_enabled: number;
  preferred: string | null;
}

/** Users' MFA settings in SQLite: one row per user that touched them, created on first write. */
export class SqliteMfaStore implements MfaStore {
  readonly #s;
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
    this.#s = prepareAll(db, {
      get: 'SELECT * FROM user_mfa WHERE pool_id = ? AND ukey = ?',
      ensure: 'INSERT OR IGNORE INTO user_mfa (pool_id, ukey) VALUES (?, ?)',
      setPending: `UPDATE user_mfa SET totp_secret = ?, totp_verified = 0, totp_enabled = 0,
        preferred = CASE WHEN preferred = 'SOFTWARE_TOKEN_MFA' THEN NULL ELSE preferred END
        WHERE pool_id = ? AND ukey = ?`,
      confirm: `UPDATE user_mfa SET totp_verified = 1, totp_enabled = 1, totp_last_step = MAX(totp_last_step, ?)
        WHERE pool_id = ? AND ukey = ? AND totp_secret = ?`,
      useStep: 'UPDATE user_mfa SET totp_last_step = ? WHERE pool_id = ? AND ukey = ? AND totp_last_step < ?',
      setTotp: 'UPDATE user_mfa SET totp_enabled = ? WHERE pool_id = ? AND ukey = ?',
      setSms: 'UPDATE user_mfa SET sms_enabled = ? WHERE pool_id = ? AND ukey = ?',
      setEmail: 'UPDATE user_mfa SET email_enabled = ? WHERE pool_id = ? AND ukey = ?',
      setPreferred: 'UPDATE user_mfa SET preferred = ? WHERE pool_id = ? AND ukey = ?',
    });
  }

  statementSql(): Record<string, string> {
    return sqlOf(this.#s);
  }

  get(poolId: string, ukey: string): MfaSettingsRecord {
    const r = this.#s.get.get(poolId, ukey) as Row | undefined;
    return {
      totpSecret: r?.totp_secret ?? undefined,
      totpVerified: r?.totp_verified === 1,
      totpLastStep: r?.totp_last_step ?? 0,
      enabled: {
        SOFTWARE_TOKEN_MFA: r?.totp_enabled === 1,
        SMS_MFA: r?.sms_enabled === 1,
        EMAIL_OTP: r?.email_enabled === 1,
      },
      preferred: (r?.preferred ?? undefined) as MfaFactor | undefined,
    };
  }

  setPendingTotp(poolId: string, ukey: string, secret: string): void {
    this.#db.transaction(() => {
      this.#s.ensure.run(poolId, ukey);
      this.#s.setPending.run(secret, poolId, ukey);
    })();
  }

  confirmTotp(poolId: string, ukey: string, secret: string, step: number): boolean {
    return this.#s.confirm.run(step, poolId, ukey, secret).changes === 1;
  }

  useTotpStep(poolId: string, ukey: string, step: number): boolean {
    return this.#s.useStep.run(step, poolId, ukey, step).changes === 1;
  }

  setPreferences(
    poolId: string,
    ukey: string,
    enabled: Partial<Record<MfaFactor, boolean>>,
    preferred: MfaFactor | null | undefined,
  ): void {
    const setters = {
      totp_enabled: this.#s.setTotp,
      sms_enabled: this.#s.setSms,
      email_enabled: this.#s.setEmail,
    };
    this.#db.transaction(() => {
      this.#s.ensure.run(poolId, ukey);
      for (const [factor, on] of Object.entries(enabled) as [MfaFactor, boolean | undefined][]) {
        if (on === undefined) continue;
        setters[COLUMN[factor] as keyof typeof setters].run(on ? 1 : 0, poolId, ukey);
      }
      if (preferred !== undefined) this.#s.setPreferred.run(preferred, poolId, ukey);
    })();
  }
}
