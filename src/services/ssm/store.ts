/**
 * Parameter Store's state: every parameter with its current version, kept in memory and written atomically to one
 * JSON file under the data dir on each change (an acknowledged PutParameter survives a restart).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface StoredParameter {
  name: string;
  type: 'String' | 'StringList' | 'SecureString';
  value: string;
  version: number;
  /** Milliseconds since the epoch. */
  lastModified: number;
  dataType: string;
  tier: string;
  description?: string;
  allowedPattern?: string;
}

export class ParameterStore {
  readonly #byName = new Map<string, StoredParameter>();

  /** `file` undefined: memory only (tests). */
  constructor(private readonly file?: string) {
    if (file && existsSync(file)) {
      const rows = JSON.parse(readFileSync(file, 'utf8')) as StoredParameter[];
      for (const p of rows) this.#byName.set(p.name, p);
    }
  }

  get(name: string): StoredParameter | undefined {
    return this.#byName.get(name);
  }

  all(): StoredParameter[] {
    return [...this.#byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  put(p: StoredParameter): void {
    this.#byName.set(p.name, p);
    this.#save();
  }

  delete(name: string): boolean {
    const had = this.#byName.delete(name);
    if (had) this.#save();
    return had;
  }

  #save(): void {
    if (!this.file) return;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.all()), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
