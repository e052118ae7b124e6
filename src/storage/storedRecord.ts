/**
 * A kind of record kept in IndexedDB, after tldraw's records: each kind has one small file in
 * `records/` with its zod schema, its current version and the migrations from every older
 * version. What storage hands back is always the current version, validated; a value that
 * cannot be brought there is reported with the reason, so that it can be set aside (see
 * quarantine.ts), never silently dropped.
 *
 * Changing a stored shape: bump `version`, add the migration from the old version (a pure
 * function, old shape in, next shape out, `version` field included if the shape has one), add a
 * test that reads a literal record of the old version, and bump DB_VERSION in db.ts (an empty
 * upgrade step will do) so that an older app refuses the database instead of setting newer
 * records aside.
 */
import type * as zc from 'zod/v4/core';
import { formatLocatedError, parseValue } from '../core/formats/index.ts';

/** Turns a record of version n into one of version n + 1. It may change its argument. */
export type Migration = (record: Record<string, unknown>) => Record<string, unknown>;

export interface StoredRecordType<T> {
  /** Names the record in messages ("draft"). */
  readonly name: string;
  readonly version: number;
  /** Validates the current version. */
  readonly schema: zc.$ZodType<T>;
  /** `migrations[n]` upgrades version n to n + 1, for every n from 1 to version - 1. */
  readonly migrations: Readonly<Record<number, Migration>>;
  /** The version of a stored value (its `version` field, unless the kind says otherwise). */
  readonly versionOf: (record: Record<string, unknown>) => unknown;
}

/** Record files call this marked `@__PURE__`, so a kind that no page reads stays out of its bundle. */
export function storedRecordType<T>(def: {
  name: string;
  version: number;
  schema: zc.$ZodType<T>;
  migrations?: Readonly<Record<number, Migration>>;
  versionOf?: (record: Record<string, unknown>) => unknown;
}): StoredRecordType<T> {
  const migrations = def.migrations ?? {};
  for (let v = 1; v < def.version; v++) {
    if (!migrations[v]) throw new Error(`stored ${def.name}: no migration from version ${v} to ${v + 1}`);
  }
  return { name: def.name, version: def.version, schema: def.schema, migrations, versionOf: def.versionOf ?? ((r) => r.version) };
}

export type Restored<T> = { readonly ok: true; readonly value: T; readonly fromVersion: number } | { readonly ok: false; readonly reason: string };

/** Reasons stay short enough to show: a few located errors, then a count. */
const MAX_ERRORS = 3;
const MAX_REASON = 500;

/** A stored value as the current version of its kind, or why it cannot be. */
export function restoreRecord<T>(type: StoredRecordType<T>, stored: unknown): Restored<T> {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return fail(`${type.name}: is not an object`);
  const from = type.versionOf(stored as Record<string, unknown>);
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 1) return fail(`${type.name}: version: ${short(from)} is not a version number`);
  if (from > type.version) return fail(`${type.name}: version: ${from} was written by a newer richhf-studio (this one reads up to ${type.version})`);
  let record = stored as Record<string, unknown>;
  for (let v = from; v < type.version; v++) {
    try {
      record = type.migrations[v]!(record);
    } catch (e) {
      return fail(`${type.name}: the migration from version ${v} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const parsed = parseValue(type.name, record, type.schema);
  if (parsed.ok) return { ok: true, value: parsed.value, fromVersion: from };
  const shown = parsed.errors.slice(0, MAX_ERRORS).map(formatLocatedError).join('; ');
  const more = parsed.errors.length > MAX_ERRORS ? ` (and ${parsed.errors.length - MAX_ERRORS} more)` : '';
  return fail(shown + more);
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason: reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason };
}

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}
