/**
 * Loading a task pack where it enters the app: from a URL (`?pack=`), the bundled demo, or
 * local files (a pack JSON plus its images, picked by the user). The pack is validated here,
 * once; image references are resolved to URLs the browser can load (relative paths inside the
 * pack's folder, by the rule of src/core/formats/packPath.ts), and the page's image policy is
 * narrowed to them (imagePolicy.ts). The pages show rating items only (for now): a pack with
 * comparison items is refused here with a message saying so (richhf compare reports them).
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
  type TaskPack,
} from '../../core/formats/index.ts';
import { parseJsonBytes } from '../../core/formats/readDocument.ts';
import { comparisonItems, isComparisonItem } from '../../core/formats/taskpack.ts';
import { restrictToPackImages } from './imagePolicy.ts';
import type { LoadedPack, PackFileEntry } from './loadedPack.ts';

export type { LoadedPack, ServerBinding } from './loadedPack.ts';

/** A pack of comparison items only (issue 18), for the pair workspace: the URL of each item's two images, in the item's order. */
export interface LoadedComparisonPack {
  readonly pack: TaskPack;
  readonly source: string;
  readonly imageUrls: readonly (readonly [string, string])[];
}

/**
 * Thrown where a rating pack was asked for and a pack of comparison items only was found: the
 * annotator's page catches it and opens the pair workspace; the other pages show its message
 * (they take rating items only, so far).
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
  restrictToPackImages(loaded.imageUrls);
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
  restrictToPackImages(loaded.imageUrls);
  return { ...loaded, localFiles: [...used] };
}

/** `resolve` turns each image reference, checked by the pack path rule (packPath.ts), into a URL. */
async function packFromBytes(file: string, bytes: Uint8Array, resolve: (ref: PackImageRef) => string, source: string): Promise<LoadedPack> {
  const parsed = parseJsonBytes(file, bytes, taskPackSchema);
  if (!parsed.ok) throw new PackLoadError(parsed);
  const pack = asRatingPack(parsed.value);
  if (!pack) {
    const refused = comparisonItemsRefused(file, parsed.value.items, 'this page');
    if (!parsed.value.items.every(isComparisonItem)) throw new PackLoadError({ errors: [refused] });
    const url = (image: string) => {
      const ref = packImageRef(image);
      return ref.ok ? resolve(ref.value) : '';
    };
    const imageUrls = comparisonItems(parsed.value).map((it) => [url(it.images[0].image), url(it.images[1].image)] as const);
    restrictComparison(new ComparisonPackFound({ pack: parsed.value, source, imageUrls }, formatLocatedError(refused)));
  }
  const imageUrls = pack.items.map((it) => {
    const ref = packImageRef(it.image);
    return ref.ok ? resolve(ref.value) : ''; // the schema applied the same rule: always ok
  });
  return { pack, source, imageUrls };
}
