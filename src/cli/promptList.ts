import { open } from 'node:fs/promises';
import path from 'node:path';
import { readImageSize, type ImageInfo } from '../core/encode/imageSize.ts';
import { jsonSyntaxError } from '../core/formats/jsonScan.ts';
import type { Problems } from '../core/formats/problems.ts';
import { parseCsv } from '../core/text/csv.ts';

/** The prompt lists of `richhf pack` (and `pack --compare`), and reading an image's size from its file. */

/** One entry of the prompt list and where it came from (`[3]` or `line 4`). */
export interface PromptRow {
  readonly where: string;
  readonly id: unknown;
  readonly image: unknown;
  readonly prompt: unknown;
}

/**
 * The rows of a prompt list: CSV with a header row naming its columns, a JSON array of objects
 * (or an object with `items`), or JSONL. `columns` are the CSV columns that must be there (the
 * others are read when present); the fields' values are checked by the caller.
 */
export function readPromptRows(file: string, text: string, errors: Problems, columns: readonly string[] = ['id', 'image', 'prompt']): PromptRow[] {
  const fields = columns.join(', ');
  const ext = path.extname(file).toLowerCase();
  const trimmed = text.trimStart();
  const kind =
    ext === '.csv' ? 'csv' : ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : ext === '.json' || trimmed.startsWith('[') ? 'json' : trimmed.startsWith('{') ? 'jsonl' : 'csv';
  const fromObject = (where: string, v: unknown): PromptRow | undefined => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      errors.add(file, where, `must be an object with ${fields}`);
      return undefined;
    }
    const o = v as Record<string, unknown>;
    return { where, id: o.id, image: o.image, prompt: o.prompt };
  };
  if (kind === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      errors.add(file, '', `invalid JSON: ${jsonSyntaxError(text, (e as Error).message)}`);
      return [];
    }
    const list = Array.isArray(value) ? value : (value as { items?: unknown })?.items;
    if (!Array.isArray(list)) {
      errors.add(file, '', `must be an array of {${fields}} objects`);
      return [];
    }
    return list.flatMap((v, i) => fromObject(`[${i}]`, v) ?? []);
  }
  if (kind === 'jsonl') {
    const rows: PromptRow[] = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        const row = fromObject(`line ${i + 1}`, JSON.parse(line));
        if (row) rows.push(row);
      } catch (e) {
        errors.add(file, `line ${i + 1}`, `invalid JSON: ${jsonSyntaxError(line, (e as Error).message).replace(/^line 1, c/, 'c')}`);
      }
    });
    return rows;
  }
  const csv = parseCsv(text);
  if (csv.error) {
    errors.add(file, `line ${csv.error.line}`, csv.error.message);
    return [];
  }
  const [header, ...body] = csv.rows;
  if (!header) {
    errors.add(file, '', `empty: expected a header row "${columns.join(',')}" and one row per item`);
    return [];
  }
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const col = (name: string) => names.indexOf(name);
  const missing = columns.filter((n) => col(n) < 0);
  if (missing.length > 0) {
    errors.add(file, 'line 1', `the header must name the columns ${columns.slice(0, -1).join(', ')} and ${columns[columns.length - 1]} (missing: ${missing.join(', ')})`);
    return [];
  }
  const field = (r: { fields: string[] }, name: string) => (col(name) < 0 ? undefined : r.fields[col(name)]);
  return body.map((r) => ({ where: `line ${r.line}`, id: field(r, 'id'), image: field(r, 'image'), prompt: field(r, 'prompt') }));
}

/** An image file's type and size from its first bytes (the whole file for a JPEG whose size comes late). */
export async function imageInfo(file: string): Promise<ImageInfo | 'missing' | 'unknown'> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return 'missing';
  }
  try {
    const head = new Uint8Array(65_536);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    let info = readImageSize(head.subarray(0, bytesRead));
    // A JPEG's size can sit behind large metadata: read the whole file then.
    if (!info && bytesRead === head.length && head[0] === 0xff && head[1] === 0xd8) info = readImageSize(await handle.readFile());
    return info ?? 'unknown';
  } finally {
    await handle.close();
  }
}
