import * as zc from 'zod/v4/core';
import { JsonDocument, schemaKeys } from './document.ts';
export { errorMap, formatPath } from './issuePath.ts';
export { formatLocatedError } from './problems.ts';
import type { ProblemReport } from './problems.ts';

/**
 * A problem found in an input file, located precisely enough to fix it by hand:
 * `file` is the name the user knows the file by, `path` a JS-style path into the
 * document (`items[12].prompt`, empty for the document itself).
 */
export interface LocatedError {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

/** A validated value, or a bounded report of what is wrong (see problems.ts). */
export type Parsed<T> = { readonly ok: true; readonly value: T } | ({ readonly ok: false } & ProblemReport);

/** Validate an already-parsed JSON value against a schema (at most the first 50 problems). */
export function parseValue<S extends zc.$ZodType>(file: string, value: unknown, schema: S): Parsed<zc.output<S>> {
  return JsonDocument.fromValue(file, value).validate(schema);
}

/**
 * Parse and validate a file's bytes: UTF-8 (a BOM is skipped; UTF-16/32 are named), JSON
 * syntax errors located by line and column, then the schema, piece by piece (document.ts).
 */
export function parseJsonBytes<S extends zc.$ZodType>(file: string, bytes: Uint8Array, schema: S): Parsed<zc.output<S>> {
  const read = JsonDocument.fromBytes(file, bytes, schemaKeys(schema));
  return read.ok ? read.doc.validate(schema) : read;
}

/**
 * parseJsonBytes for a file that must be of one format: another kind of file (a dataset
 * passed as predictions, say) is said plainly instead of listing every field that differs.
 */
export function parseFormatBytes<S extends zc.$ZodType>(file: string, bytes: Uint8Array, schema: S, expected: { format: string; version: number }): Parsed<zc.output<S>> {
  const read = JsonDocument.fromBytes(file, bytes, schemaKeys(schema));
  if (!read.ok) return read;
  const { format, version } = read.doc.sniff();
  if (format !== expected.format) {
    const found = format === undefined ? 'no "format" field' : `unknown format ${JSON.stringify(format)}`;
    return { ok: false, errors: [{ file, path: 'format', message: `${found} (expected "${expected.format}")` }] };
  }
  if (version !== expected.version) {
    return { ok: false, errors: [{ file, path: 'version', message: `unsupported version ${JSON.stringify(version)} (expected ${expected.version})` }] };
  }
  return read.doc.validate(schema);
}

const encoder = new TextEncoder();

/** parseJsonBytes for text already decoded (tests, storage); files should come in as bytes. */
export function parseJsonText<S extends zc.$ZodType>(file: string, text: string, schema: S): Parsed<zc.output<S>> {
  return parseJsonBytes(file, encoder.encode(text), schema);
}

/** The `format` field read without trusting anything else, to dispatch a file to its schema. */
export function sniffFormat(value: unknown): { format?: string; version?: unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const v = value as Record<string, unknown>;
  return { format: typeof v.format === 'string' ? v.format : undefined, version: v.version };
}
