/**
 * Loading a task pack where it enters the app: from a URL (`?pack=`), the bundled demo, or
 * local files (a pack JSON plus its images, picked by the user). The pack is validated here,
 * once; image references are resolved to URLs the browser can load (relative paths inside the
 * pack's folder, by the rule of src/core/formats/packPath.ts), and the page's image policy is
 * narrowed to them (imagePolicy.ts). A pack of comparison items only is thrown to the page
 * (ComparisonPackFound) for the pair workspace or the comparison report; a pack of both kinds
 * opens as a rating pack with its pairs beside it (`LoadedPack.pairs`): the annotator's page
 * rates its items first, the review page reports both.
 */
import {
  asRatingPack,
  comparisonItemsRefused,
  packImageRef,
  formatLocatedError,
  problemLines,
  taskPackSchema,
  type LocatedError,
  type PackImageRef,
  type ProblemReport,
} from '../../core/formats/index.ts';
import { comparisonItems, isComparisonItem, ratingPart } from '../../core/formats/taskpack.ts';
import { parseWholeJsonBytes } from '../../core/formats/wholeDocument.ts';
import { restrictToPackImages } from './imagePolicy.ts';
import type { LoadedComparisonPack, LoadedPack, PackFileEntry } from './loadedPack.ts';

export type { LoadedComparisonPack, LoadedPack, ServerBinding } from './loadedPack.ts';

/**
 * Thrown where a rating pack was asked for and a pack of comparison items only was found: the
 * annotator's page catches it and opens the pair workspace, the review page the comparison report.
 */
export class ComparisonPackFound extends Error {
  constructor(
    readonly loaded: LoadedComparisonPack,
    message: string,
  ) {
    super(message);
  }
}

/** A pack that cannot be opened; its message is the report's lines (the first problems of each file). */
export class PackLoadError extends Error {
  constructor(readonly report: ProblemReport) {
    super(problemLines(report).join('\n'));
  }
}

export const DEMO_PACK_URL = new URL('demo/pack.json', document.baseURI).href;

function fileLabel(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname.split('/').pop() || url;
  } catch {
    return url;
  }
}

/** Every image URL of a loaded pack, both kinds (the page's image policy allows these). */
const allImageUrls = (loaded: LoadedPack): string[] => [...loaded.imageUrls, ...(loaded.pairs?.imageUrls.flat() ?? [])];

export async function loadPackFromUrl(url: string): Promise<LoadedPack> {
  const abs = new URL(url, document.baseURI).href;
  const name = fileLabel(abs);
  let bytes: Uint8Array;
  try {
    const res = await fetch(abs);
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    throw new PackLoadError({ errors: [{ file: name, path: '', message: `could not be loaded: ${(e as Error).message}` }] });
  }
  const loaded = await packFromBytes(name, bytes, (ref) => (ref.kind === 'url' ? ref.url : new URL(ref.url, abs).href), abs);
  restrictToPackImages(allImageUrls(loaded));
  return loaded;
}

/** `restrictToPackImages` for a comparison pack (called before it is thrown to the page). */
function restrictComparison(found: unknown): never {
  if (found instanceof ComparisonPackFound) restrictToPackImages(found.loaded.imageUrls.flat());
  throw found;
}

export type { PackFileEntry } from './loadedPack.ts';

/** A pack picked from disk with its images (directory picker or multiple-file input). */
export function loadPackFromFiles(files: readonly File[]): Promise<LoadedPack> {
  return loadPackFromEntries(files.map((f) => ({ path: (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name, blob: f })));
}

/**
 * A local pack from its files. Images are matched by their path relative to the pack file's
 * folder, then by file name. The result's `localFiles` are the pack file and the images it
 * uses, which is what must be kept to open the same pack again after a reload.
 */
export async function loadPackFromEntries(entries: readonly PackFileEntry[]): Promise<LoadedPack> {
  const baseName = (p: string) => p.split('/').pop() ?? p;
  const jsons = entries.filter((e) => e.path.toLowerCase().endsWith('.json'));
  if (jsons.length !== 1) {
    throw new PackLoadError({ errors: [{ file: '(selection)', path: '', message: `pick exactly one pack .json file with its images (found ${jsons.length})` }] });
  }
  const packEntry = jsons[0]!;
  const packName = baseName(packEntry.path);
  const packDir = packEntry.path.split('/').slice(0, -1).join('/');
  const byPath = new Map<string, PackFileEntry>();
  const byName = new Map<string, PackFileEntry>();
  for (const e of entries) {
    const p = packDir && e.path.startsWith(packDir + '/') ? e.path.slice(packDir.length + 1) : e.path;
    byPath.set(p, e);
    byName.set(baseName(e.path), e);
  }
  const used = new Set<PackFileEntry>([packEntry]);
  const bytes = new Uint8Array(await packEntry.blob.arrayBuffer());
  const loaded = await packFromBytes(
    packName,
    bytes,
    (ref) => {
      if (ref.kind === 'url') return ref.url;
      const e = byPath.get(ref.path.join('/')) ?? byName.get(ref.path[ref.path.length - 1]!);
      if (!e) return '';
      used.add(e);
      return URL.createObjectURL(e.blob);
    },
    `local:${packName}`,
  );
  const missing: LocatedError[] = loaded.imageUrls.flatMap((u, i) =>
    u ? [] : [{ file: packName, path: `items[${i}].image`, message: `image "${loaded.pack.items[i]!.image}" is not among the picked files` }],
  );
  if (missing.length) throw new PackLoadError({ errors: missing });
  restrictToPackImages(allImageUrls(loaded));
  return { ...loaded, localFiles: [...used] };
}

/** `resolve` turns each image reference, checked by the pack path rule (packPath.ts), into a URL. */
async function packFromBytes(file: string, bytes: Uint8Array, resolve: (ref: PackImageRef) => string, source: string): Promise<LoadedPack> {
  // A pack is parsed whole and validated at once (wholeDocument.ts); the byte scanner, which a pack
  // over 32 MiB or one that is not UTF-8 JSON needs, is a chunk loaded only then (2.2 KiB gzipped
  // off the annotator page's first screen). Either way the result is parseJsonBytes's.
  const parsed = parseWholeJsonBytes(file, bytes, taskPackSchema) ?? (await import('../../core/formats/readDocument.ts')).parseJsonBytes(file, bytes, taskPackSchema);
  if (!parsed.ok) throw new PackLoadError(parsed);
  // The schema applied the pack path rule to every image: each reference resolves.
  const url = (image: string) => {
    const ref = packImageRef(image);
    return ref.ok ? resolve(ref.value) : '';
  };
  const whole = parsed.value;
  const pack = asRatingPack(whole) ?? (whole.items.every(isComparisonItem) ? null : ratingPart(whole));
  const pairs = (): LoadedComparisonPack => ({ pack: whole, source, imageUrls: comparisonItems(whole).map((it) => [url(it.images[0].image), url(it.images[1].image)] as const) });
  if (!pack) restrictComparison(new ComparisonPackFound(pairs(), formatLocatedError(comparisonItemsRefused(file, whole.items, 'this page'))));
  const imageUrls = pack.items.map((it) => url(it.image));
  return pack.items.length === whole.items.length ? { pack, source, imageUrls } : { pack, source, imageUrls, pairs: pairs() };
}
