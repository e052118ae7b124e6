import { closeSync, fstatSync, openSync, read, statSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type * as zc from 'zod/v4/core';
import type { LocatedError, Parsed } from '../core/formats/located.ts';
import { lineColumn } from '../core/formats/jsonScan.ts';
import { decodeUtf8 } from '../core/formats/textEncoding.ts';

type Read<T> = ({ ok: true } & T) | { ok: false; errors: LocatedError[] };

/**
 * Reads an input file's bytes; a missing or unreadable file is a located error like any other.
 * Files are read as bytes, not text: the parsers check the encoding (and skip a UTF-8 BOM), and
 * a large file is never held as one big string besides.
 */
export async function readBytes(file: string): Promise<Read<{ bytes: Uint8Array }>> {
  try {
    return { ok: true, bytes: await readFile(file) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    return { ok: false, errors: [{ file, path: '', message: `cannot read: ${why}` }] };
  }
}

/**
 * readBytes into a SharedArrayBuffer, which worker threads can read without a copy, in reads of
 * up to 1 GiB (readFile's 512 KiB reads went through the thread pool one by one). The file is
 * opened and its size looked at synchronously, so the first read is under way when this returns
 * its promise: the caller can compute meanwhile. A file whose size changes while it is read is
 * read again by readBytes.
 */
export async function readSharedBytes(file: string): Promise<Read<{ bytes: Uint8Array }>> {
  let fd: number;
  try {
    // A pipe or a device has no size to read into (and opening a pipe waits for its writer): read
    // the plain way. Missing files and the like get readBytes' located error.
    if (!statSync(file).isFile()) return readBytes(file);
    fd = openSync(file, 'r');
  } catch {
    return readBytes(file);
  }
  try {
    const size = fstatSync(fd).size;
    // A Buffer, whose indexOf is native (a Uint8Array's is several times slower).
    const bytes = Buffer.from(new SharedArrayBuffer(size));
    let at = 0;
    while (at < size) {
      const { bytesRead } = await readAt(fd, bytes, at, Math.min(size - at, 1 << 30), at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    if (at === size && (await readAt(fd, Buffer.alloc(1), 0, 1, size)).bytesRead === 0) return { ok: true, bytes };
  } catch {
    // A directory, or a read that failed: readBytes says which.
  } finally {
    closeSync(fd);
  }
  return readBytes(file);
}

const readAt = promisify(read);

/** The first `length` bytes of a file (fewer if it is shorter), or null if it cannot be read. */
export async function readHead(file: string, length: number): Promise<Uint8Array | null> {
  try {
    const h = await open(file, 'r');
    try {
      const buf = new Uint8Array(length);
      const { bytesRead } = await h.read(buf, 0, length, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await h.close();
    }
  } catch {
    return null;
  }
}

/** A UTF-8 text input (prompt lists), or where it is not UTF-8. */
export async function readText(file: string): Promise<Read<{ text: string }>> {
  const read = await readBytes(file);
  if (!read.ok) return read;
  const text = decodeUtf8(read.bytes);
  if (text.ok) return text;
  const { line, column } = lineColumn(read.bytes, 0, text.offset);
  return { ok: false, errors: [{ file, path: '', message: text.offset === 0 ? text.message : `line ${line}, column ${column}: ${text.message}` }] };
}

export async function readJsonFile<S extends zc.$ZodType>(file: string, schema: S): Promise<Parsed<zc.output<S>>> {
  // Loaded here, not with this module: `richhf evaluate` reads with it before it loads any parser.
  const [read, { parseJsonBytes }] = await Promise.all([readBytes(file), import('../core/formats/readDocument.ts')]);
  if (!read.ok) return read;
  return parseJsonBytes(file, read.bytes, schema);
}
