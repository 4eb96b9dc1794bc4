import type { Statement } from 'better-sqlite3';
import type { Db } from '../../db.js';

/** Prepares every statement of an aggregate once, by name; `sqlOf` lists them for the query-plan test. */
export function prepareAll<K extends string>(db: Db, defs: Record<K, string>): Record<K, Statement> {
  return Object.fromEntries(Object.entries(defs).map(([k, sql]) => [k, db.prepare(sql as string)])) as Record<
    K,
    Statement
  >;
}

export const sqlOf = (s: Record<string, Statement>): Record<string, string> =>
  Object.fromEntries(Object.entries(s).map(([name, st]) => [name, st.source]));
