import path from 'node:path';
import { packOrder } from '../core/dataset/annotationFile.ts';
import { readImageSize } from '../core/encode/imageSize.ts';
import type { LocatedError } from '../core/formats/located.ts';
import type { ComparisonItem } from '../core/formats/comparison.ts';
import { isComparisonItem, taskPackSchema, type RatingItem, type TaskPack } from '../core/formats/taskpack.ts';
import { tokenize } from '../core/text/tokenize.ts';
import { readJsonFile } from '../node/readInput.ts';
import { IMAGE_PATH } from './imageUrls.ts';
import { packFileRef, readPackFileStart, resolvePackFile, type PackFileRef } from './packFiles.ts';

/**
 * The pack as the server holds it in memory: validated once at start-up, with what requests
 * need at hand (item by id, its image reference checked, its size, its token count).
 */
export interface ServedImage {
  readonly ref: PackFileRef;
  /** Image pixels: the pack's, else read from the image file; undefined for a URL without a size in the pack. */
  readonly size: { readonly width: number; readonly height: number } | undefined;
}

/** A rating item as served. */
export interface ServedItem extends ServedImage {
  readonly item: RatingItem;
}

/**
 * A comparison item as served (issue 18). Its images' `system` stay here: what the annotator's
 * browser gets is made by comparisonJson, which names none.
 */
export interface ServedComparison {
  readonly item: ComparisonItem;
  readonly images: readonly [ServedImage, ServedImage];
}

export class ServedPack {
  private readonly tokenCounts = new Map<string, number>();

  constructor(
    /** As given on the command line, for messages. */
    readonly file: string,
    /** Absolute folder the pack's relative image paths start from. */
    readonly dir: string,
    readonly pack: TaskPack,
    /** The rating items, by id. */
    readonly items: ReadonlyMap<string, ServedItem>,
    /** The comparison items, by id. */
    readonly comparisons: ReadonlyMap<string, ServedComparison> = new Map(),
  ) {}

  /**
   * The seed of the side draw (core/compare/sides.ts): the pack's name, as on the static page,
   * so an annotator's sides are the same whichever way they get the pack.
   */
  get sideSeed(): string {
    return this.pack.name;
  }

  /** Whether the comparison images name their systems (the lead's pack): the comparison report needs them. */
  get namesSystems(): boolean {
    const first = this.comparisons.values().next();
    return first.done !== true && first.value.item.images[0].system !== undefined;
  }

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

/** Every image reference of a pack, both kinds of item, in pack order. */
export function packImages(pack: TaskPack): string[] {
  return pack.items.flatMap((item) => (isComparisonItem(item) ? item.images.map((i) => i.image) : [item.image]));
}

export async function loadPack(file: string): Promise<PackLoad> {
  const parsed = await readJsonFile(file, taskPackSchema);
  if (!parsed.ok) return parsed;
  const pack = parsed.value;
  const unservable = pack.items.flatMap((item, i) => (DOT_SEGMENTS.has(item.id) ? [{ file, path: `items[${i}].id`, message: unservableId(item.id) }] : []));
  if (unservable.length > 0) return { ok: false, errors: unservable };
  const dir = path.dirname(path.resolve(file));
  // Every image of the pack, one slot each (a comparison item has two). The pack's schema
  // applied the pack path rule to every image already.
  const slots = pack.items.flatMap((item) => (isComparisonItem(item) ? item.images : [item]));
  const refs = slots.map((slot) => packFileRef(slot.image));

  const sizes: (ServedImage['size'] | undefined)[] = slots.map((it) => (it.width !== undefined && it.height !== undefined ? { width: it.width, height: it.height } : undefined));
  const missing: string[] = [];
  const toRead = slots.flatMap((_, i) => (sizes[i] === undefined && refs[i]!.kind === 'file' ? [i] : []));
  // Images with a size in the pack need no header; only check that their files are there.
  const unchecked = slots.flatMap((_, i) => (sizes[i] !== undefined && refs[i]!.kind === 'file' ? [i] : []));
  for (let at = 0; at < toRead.length; at += PARALLEL_READS) {
    await Promise.all(
      toRead.slice(at, at + PARALLEL_READS).map(async (i) => {
        const ref = refs[i] as Extract<PackFileRef, { kind: 'file' }>;
        const head = await readPackFileStart(dir, ref.segments);
        const info = head ? readImageSize(head) : undefined;
        const slot = slots[i]!;
        if (info) sizes[i] = { width: slot.width ?? info.width, height: slot.height ?? info.height };
        else missing.push(slot.image);
      }),
    );
  }
  for (let at = 0; at < unchecked.length; at += PARALLEL_READS) {
    await Promise.all(
      unchecked.slice(at, at + PARALLEL_READS).map(async (i) => {
        const ref = refs[i] as Extract<PackFileRef, { kind: 'file' }>;
        if (!(await resolvePackFile(dir, ref.segments)).ok) missing.push(slots[i]!.image);
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
  const comparisons = new Map<string, ServedComparison>();
  let at = 0;
  for (const item of pack.items) {
    const image = (): ServedImage => ({ ref: refs[at]!, size: sizes[at++] });
    if (isComparisonItem(item)) comparisons.set(item.id, { item, images: [image(), image()] });
    else items.set(item.id, { item, ...image() });
  }
  return { ok: true, pack: new ServedPack(file, dir, pack, items, comparisons), warnings };
}
