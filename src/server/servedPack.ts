import path from 'node:path';
import { packOrder } from '../core/dataset/annotationFile.ts';
import { readImageSize } from '../core/encode/imageSize.ts';
import type { LocatedError } from '../core/formats/located.ts';
import { asRatingPack, comparisonItemsRefused, taskPackSchema, type RatingItem, type RatingPack } from '../core/formats/taskpack.ts';
import { tokenize } from '../core/text/tokenize.ts';
import { readJsonFile } from '../node/readInput.ts';
import { IMAGE_PATH } from './imageUrls.ts';
import { packFileRef, readPackFileStart, resolvePackFile, type PackFileRef } from './packFiles.ts';

/**
 * The pack as the server holds it in memory: validated once at start-up, with what requests
 * need at hand (item by id, its image reference checked, its size, its token count).
 */
export interface ServedItem {
  readonly item: RatingItem;
  readonly ref: PackFileRef;
  /** Image pixels: the pack's, else read from the image file; undefined for a URL without a size in the pack. */
  readonly size: { readonly width: number; readonly height: number } | undefined;
}

export class ServedPack {
  private readonly tokenCounts = new Map<string, number>();

  constructor(
    /** As given on the command line, for messages. */
    readonly file: string,
    /** Absolute folder the pack's relative image paths start from. */
    readonly dir: string,
    readonly pack: RatingPack,
    readonly items: ReadonlyMap<string, ServedItem>,
  ) {}

  private itemOrder: ReadonlyMap<string, number> | undefined;

  /** Each item's index in the pack (computed once: a map of every item). */
  get order(): ReadonlyMap<string, number> {
    return (this.itemOrder ??= packOrder(this.pack));
  }

  /** Length of the item's RichHF token list (computed once per item, on first use). */
  tokenCount(item: RatingItem): number {
    let n = this.tokenCounts.get(item.id);
    if (n === undefined) this.tokenCounts.set(item.id, (n = tokenize(item.prompt).length));
    return n;
  }
}

export type PackLoad = { readonly ok: true; readonly pack: ServedPack; readonly warnings: string[] } | { readonly ok: false; readonly errors: readonly LocatedError[] };

/**
 * Item ids a server cannot carry in an image URL (`/api/v1/images/ID`): the URL parser takes
 * "." and ".." (percent-encoded or not) as folder steps and rewrites the path. Refused at load
 * rather than given another URL shape: such ids are mistakes, and files and the command line
 * keep them as they are.
 */
const DOT_SEGMENTS = new Set(['.', '..']);
const unservableId = (id: string) => `"${id}" cannot be an item id on a server: in its image URL (${IMAGE_PATH}ID) the URL parser reads it as a folder step; rename the item`;

/** Image headers read at once at start-up, for items whose size the pack leaves out. */
const PARALLEL_READS = 16;

export async function loadPack(file: string): Promise<PackLoad> {
  const parsed = await readJsonFile(file, taskPackSchema);
  if (!parsed.ok) return parsed;
  // Until the annotator page shows comparisons, a pack with comparison items is refused, not half served.
  const pack = asRatingPack(parsed.value);
  if (!pack) return { ok: false, errors: [comparisonItemsRefused(file, parsed.value.items, 'richhf serve')] };
  const unservable = pack.items.flatMap((item, i) => (DOT_SEGMENTS.has(item.id) ? [{ file, path: `items[${i}].id`, message: unservableId(item.id) }] : []));
  if (unservable.length > 0) return { ok: false, errors: unservable };
  const dir = path.dirname(path.resolve(file));
  // The pack's schema applied the pack path rule to every image already.
  const refs = pack.items.map((item) => packFileRef(item.image));

  const sizes: (ServedItem['size'] | undefined)[] = pack.items.map((it) =>
    it.width !== undefined && it.height !== undefined ? { width: it.width, height: it.height } : undefined,
  );
  const missing: string[] = [];
  const toRead = pack.items.flatMap((_, i) => (sizes[i] === undefined && refs[i]!.kind === 'file' ? [i] : []));
  // Items with a size in the pack need no header; only check that their files are there.
  const unchecked = pack.items.flatMap((_, i) => (sizes[i] !== undefined && refs[i]!.kind === 'file' ? [i] : []));
  for (let at = 0; at < toRead.length; at += PARALLEL_READS) {
    await Promise.all(
      toRead.slice(at, at + PARALLEL_READS).map(async (i) => {
        const ref = refs[i] as Extract<PackFileRef, { kind: 'file' }>;
        const head = await readPackFileStart(dir, ref.segments);
        const info = head ? readImageSize(head) : undefined;
        const item = pack.items[i]!;
        if (info) sizes[i] = { width: item.width ?? info.width, height: item.height ?? info.height };
        else missing.push(item.image);
      }),
    );
  }
  for (let at = 0; at < unchecked.length; at += PARALLEL_READS) {
    await Promise.all(
      unchecked.slice(at, at + PARALLEL_READS).map(async (i) => {
        const ref = refs[i] as Extract<PackFileRef, { kind: 'file' }>;
        if (!(await resolvePackFile(dir, ref.segments)).ok) missing.push(pack.items[i]!.image);
      }),
    );
  }
  const warnings: string[] = [];
  if (missing.length > 0) {
    warnings.push(
      `${file}: ${missing.length} image${missing.length === 1 ? '' : 's'} not found inside ${dir} (first: "${missing[0]}"); those items are handed out with a broken image`,
    );
  }
  const items = new Map<string, ServedItem>();
  pack.items.forEach((item, i) => items.set(item.id, { item, ref: refs[i]!, size: sizes[i] }));
  return { ok: true, pack: new ServedPack(file, dir, pack, items), warnings };
}
