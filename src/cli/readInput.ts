import { readFile } from 'node:fs/promises';
import type * as zc from 'zod/v4/core';
import { parseJsonText, type LocatedError, type Parsed } from '../core/formats/located.ts';

/** Reads a JSON input file; a missing or unreadable file is a located error like any other. */
export async function readText(file: string): Promise<{ ok: true; text: string } | { ok: false; errors: LocatedError[] }> {
  try {
    return { ok: true, text: await readFile(file, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    return { ok: false, errors: [{ file, path: '', message: `cannot read: ${why}` }] };
  }
}

export async function readJsonFile<S extends zc.$ZodType>(file: string, schema: S): Promise<Parsed<zc.output<S>>> {
  const text = await readText(file);
  if (!text.ok) return text;
  return parseJsonText(file, text.text, schema);
}
