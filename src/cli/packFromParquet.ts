import { mkdir, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { readImageSize } from '../core/encode/imageSize.ts';
import { packPathUrl } from '../core/formats/packPath.ts';
import { Problems } from '../core/formats/problems.ts';
import type { TaskItem } from '../core/formats/taskpack.ts';
import { uniqueFileName } from '../core/text/fileName.ts';

/**
 * `richhf pack --from-parquet FILE…`: a task pack from Parquet datasets that carry their images
 * (this project's own export, or a hub dataset such as a re-hosted RichHF-18K): one item per row,
 * its image written to the images folder under the item's id. Files are read a row group at a
 * time, so a dataset larger than memory converts. An image column is a struct of `bytes` and
 * `path` (the hub's Image feature) or plain bytes; a file named as the hub names shards
 * (`validation-00000-of-00002.parquet`) gives its items that split.
 */
export interface FromParquetOptions {
  readonly files: readonly string[];
  readonly imageColumn: string;
  readonly promptColumn: string;
  /** Default: `id` when the file has that column, else `<file stem>-<row>`. */
  readonly idColumn?: string | undefined;
  /** Where the images go: a new or empty folder at or below the pack's folder. */
  readonly imagesDir: string;
}

export interface FromParquetResult {
  readonly items: TaskItem[];
  /** Moves the written images into place (call once the pack is written); `discard` removes them. */
  readonly place: () => Promise<void>;
  readonly discard: () => Promise<void>;
}

const SPLIT_FROM_NAME = /^(\w+(?:\.\w+)*)-\d{5}-of-\d{5}\.parquet$/;
const EXTENSIONS = { png: 'png', jpeg: 'jpg', gif: 'gif', webp: 'webp', bmp: 'bmp' } as const;

function imageBytes(value: unknown): Uint8Array | null | 'path-only' {
  if (value instanceof Uint8Array) return value;
  if (value !== null && typeof value === 'object' && 'bytes' in value) {
    const b = (value as { bytes: unknown }).bytes;
    if (b instanceof Uint8Array) return b;
    if ((b === null || b === undefined) && typeof (value as { path?: unknown }).path === 'string') return 'path-only';
  }
  return null;
}

/**
 * Reads every file's rows into items and image files (in a temp folder beside `imagesDir`).
 * Problems are added to `problems` (then nothing is kept); null when there were any.
 */
export async function readParquetItems(opts: FromParquetOptions, packDir: string, problems: Problems): Promise<FromParquetResult | null> {
  const existing = await readdir(opts.imagesDir).catch(() => null);
  if (existing && existing.length > 0) {
    problems.add(opts.imagesDir, '', 'the images folder must be new or empty (images from Parquet are written into it)');
    return null;
  }
  const temp = path.join(path.dirname(opts.imagesDir), `.richhf-${path.basename(opts.imagesDir)}.${process.pid}.tmp`);
  await mkdir(temp, { recursive: true });
  const discard = () => rm(temp, { recursive: true, force: true });
  const relDir = path
    .relative(packDir, opts.imagesDir)
    .split(path.sep)
    .filter((s) => s !== '');
  const items: TaskItem[] = [];
  const ids = new Map<string, string>();
  const names = new Set<string>();
  try {
    for (const name of opts.files) {
      let file: AsyncBuffer;
      let metadata: FileMetaData;
      try {
        file = await asyncBufferFromFile(name);
        metadata = await parquetMetadataAsync(file);
      } catch (e) {
        problems.add(name, '', `not a Parquet file: ${(e as Error).message}`);
        continue;
      }
      const columns = parquetSchema(metadata).children.map((c) => c.element.name);
      const idColumn = opts.idColumn ?? (columns.includes('id') ? 'id' : undefined);
      const missing = [opts.imageColumn, opts.promptColumn, ...(idColumn !== undefined ? [idColumn] : [])].filter((c) => !columns.includes(c));
      if (missing.length > 0) {
        problems.add(
          name,
          '',
          `no column ${missing.map((c) => `"${c}"`).join(', ')} (the file has ${columns.join(', ')}); name them with --image-column, --prompt-column, --id-column`,
        );
        continue;
      }
      const split = SPLIT_FROM_NAME.exec(path.basename(name))?.[1];
      const stem = path.basename(name).replace(/\.parquet$/i, '');
      let rowStart = 0;
      for (const group of metadata.row_groups) {
        const rowEnd = rowStart + Number(group.num_rows);
        const rows = await parquetReadObjects({
          file,
          metadata,
          columns: [opts.imageColumn, opts.promptColumn, ...(idColumn !== undefined ? [idColumn] : [])],
          rowStart,
          rowEnd,
          utf8: false,
        });
        for (const [k, row] of rows.entries()) {
          const where = `row ${rowStart + k}`;
          const rawId = idColumn !== undefined ? row[idColumn] : `${stem}-${rowStart + k}`;
          const id = typeof rawId === 'bigint' || typeof rawId === 'number' ? String(rawId) : rawId;
          const prompt = row[opts.promptColumn];
          const bytes = imageBytes(row[opts.imageColumn]);
          if (typeof id !== 'string' || id === '') {
            problems.add(name, `${where}.${idColumn}`, 'must be a non-empty string or an integer');
            continue;
          }
          const first = ids.get(id);
          if (first !== undefined) {
            problems.add(name, `${where}.${idColumn ?? 'id'}`, `duplicate id "${id}" (first in ${first})`);
            continue;
          }
          ids.set(id, `${name} ${where}`);
          if (typeof prompt !== 'string') problems.add(name, `${where}.${opts.promptColumn}`, 'must be a string');
          if (bytes === 'path-only' || bytes === null) {
            problems.add(
              name,
              `${where}.${opts.imageColumn}`,
              bytes === 'path-only' ? 'holds only a path, not the image bytes (the dataset does not carry its images)' : 'must be image bytes or a struct of bytes and path',
            );
            continue;
          }
          const info = readImageSize(bytes);
          if (!info) {
            problems.add(name, `${where}.${opts.imageColumn}`, 'is not a PNG, JPEG, GIF, WebP or BMP image');
            continue;
          }
          if (typeof prompt !== 'string' || problems.has()) continue; // after a problem: check on, write nothing more
          const fileName = `${uniqueFileName(id, names, 120, 'item')}.${EXTENSIONS[info.type]}`;
          await writeFile(path.join(temp, fileName), bytes);
          items.push({ id, image: packPathUrl([...relDir, fileName]), prompt, width: info.width, height: info.height, ...(split !== undefined ? { split } : {}) });
        }
        rowStart = rowEnd;
      }
    }
  } catch (e) {
    await discard();
    throw e;
  }
  if (problems.has()) {
    await discard();
    return null;
  }
  return {
    items,
    discard,
    place: async () => {
      await rmdir(opts.imagesDir).catch(() => undefined); // empty, checked above (rmdir refuses one that is not)
      await rename(temp, opts.imagesDir);
    },
  };
}
