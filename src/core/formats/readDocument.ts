import type * as zc from 'zod/v4/core';
import { JsonDocument, schemaKeys, type Source } from './jsonDocument.ts';
import { forEachElementRun, lineColumn, scanJson, type JsonKind, type JsonSpan } from './jsonScan.ts';
import type { Parsed } from './located.ts';
import type { ProblemReport } from './problems.ts';
import { utf8Start } from './textStart.ts';
import { WHOLE_PARSE_BYTES, wholeDocument } from './wholeDocument.ts';

/**
 * Reading a document from its bytes, for files and HTTP bodies: the encoding is checked (a
 * UTF-8 BOM skipped, UTF-16/32 named), JSON syntax errors are located by line and column, and
 * the document's members are located without being parsed; JsonDocument (jsonDocument.ts) then
 * validates it piece by piece. The text is never held as one string nor parsed as one value:
 * each run of array elements is decoded and parsed on its own, and dropped once validated.
 * Kept apart from jsonDocument.ts so that pages which only validate values (stored records) do
 * not carry the byte scanner.
 */

/** Bytes decoded and parsed per run of array elements. */
const RUN_BYTES = 1 << 20;

const utf8 = /* @__PURE__ */ new TextDecoder();

function parseSpan(bytes: Uint8Array, span: JsonSpan): unknown {
  return JSON.parse(utf8.decode(bytes.subarray(span.start, span.end)));
}

const KIND_OF_FIRST_BYTE: Record<number, JsonKind> = { 0x7b: 'object', 0x5b: 'array', 0x22: 'string', 0x74: 'boolean', 0x66: 'boolean', 0x6e: 'null' };

function bytesSource(bytes: Uint8Array, start: number, kind: JsonKind, members: ReadonlyMap<string, JsonSpan>, others: { names: readonly string[]; count: number }): Source {
  const span = (k: string) => members.get(k);
  return {
    kind,
    has: (k) => members.has(k),
    kindOf: (k) => KIND_OF_FIRST_BYTE[bytes[span(k)!.start]!] ?? 'number',
    value: (k) => {
      const s = span(k);
      return s ? parseSpan(bytes, s) : undefined;
    },
    elements(k, visit) {
      let index = 0;
      forEachElementRun(bytes, span(k)!, RUN_BYTES, (from, to) => {
        const run = JSON.parse(`[${utf8.decode(bytes.subarray(from, to))}]`) as unknown[];
        for (const v of run) if (!visit(v, index++)) return false;
        return true;
      });
    },
    otherKeys(known) {
      const names = [...others.names];
      let count = others.count;
      for (const k of members.keys()) {
        if (known.has(k)) continue;
        if (names.length < 10) names.push(k);
        count++;
      }
      return { names, count };
    },
    whole: () => parseSpan(bytes, { start, end: bytes.length }),
  };
}

/**
 * The `format` field from a file's first bytes, when it comes before anything else of size (as
 * every writer of ours puts it): undefined when the bytes end first, or are not UTF-8 JSON so
 * far. Lets a caller pick a schema without reading a huge file twice.
 */
export function sniffFormatPrefix(prefix: Uint8Array): string | undefined {
  const head = utf8Start(prefix);
  if (!head.ok) return undefined;
  const r = scanJson(
    prefix,
    head.start,
    (k) => k === 'format',
    (m) => m.has('format'),
  );
  const span = r.ok ? r.scan.members.get('format') : undefined;
  if (!span) return undefined;
  const v = parseSpan(prefix, span);
  return typeof v === 'string' ? v : undefined;
}

export interface ReadOptions {
  /** Documents up to this many bytes, or mostly long strings, are parsed whole (default WHOLE_PARSE_BYTES); 0: always scanned. */
  readonly wholeParseBytes?: number;
}

/**
 * A document from its bytes. `keys`: the top-level keys the document may be validated for; when it
 * is scanned (a large document), other keys are only counted, so a file with a million junk keys
 * costs no memory.
 */
export function readJsonDocument(
  file: string,
  bytes: Uint8Array,
  keys: Iterable<string>,
  { wholeParseBytes = WHOLE_PARSE_BYTES }: ReadOptions = {},
): { ok: true; doc: JsonDocument } | ({ ok: false } & ProblemReport) {
  const fail = (path: string, message: string) => ({ ok: false as const, errors: [{ file, path, message }] });
  const head = utf8Start(bytes);
  if (!head.ok) return fail('', head.message);
  // Small enough to parse whole (wholeDocument.ts); if not UTF-8 or not JSON, the scan below locates the problem by line and column.
  const whole = wholeDocument(file, bytes, head.start, wholeParseBytes);
  if (whole) return { ok: true, doc: whole };
  const wanted = new Set(keys);
  const scanned = scanJson(bytes, head.start, (k) => wanted.has(k));
  if (!scanned.ok) {
    const { line, column } = lineColumn(bytes, head.start, scanned.error.offset);
    return fail('', `invalid JSON: line ${line}, column ${column}: ${scanned.error.message}`);
  }
  const { kind, members, otherKeys, otherKeyCount } = scanned.scan;
  return { ok: true, doc: JsonDocument.fromSource(file, bytesSource(bytes, head.start, kind, members, { names: otherKeys, count: otherKeyCount })) };
}

/**
 * Parse and validate a file's bytes: UTF-8 (a BOM is skipped; UTF-16/32 are named), JSON
 * syntax errors located by line and column, then the schema, piece by piece (jsonDocument.ts).
 */
export function parseJsonBytes<S extends zc.$ZodType>(file: string, bytes: Uint8Array, schema: S, options?: ReadOptions): Parsed<zc.output<S>> {
  const read = readJsonDocument(file, bytes, schemaKeys(schema), options);
  return read.ok ? read.doc.validate(schema) : read;
}

/**
 * parseJsonBytes for a file that must be of one format: another kind of file (a dataset
 * passed as predictions, say) is said plainly instead of listing every field that differs.
 */
export function parseFormatBytes<S extends zc.$ZodType>(file: string, bytes: Uint8Array, schema: S, expected: { format: string; version: number }): Parsed<zc.output<S>> {
  const read = readJsonDocument(file, bytes, schemaKeys(schema));
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

/** parseJsonBytes for text already decoded (tests); files should come in as bytes. */
export function parseJsonText<S extends zc.$ZodType>(file: string, text: string, schema: S, options?: ReadOptions): Parsed<zc.output<S>> {
  return parseJsonBytes(file, new TextEncoder().encode(text), schema, options);
}
