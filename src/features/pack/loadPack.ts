/**
 * Loading a task pack where it enters the app: from a URL (`?pack=`), the bundled demo, or
 * local files (a pack JSON plus its images, picked by the user). The pack is validated here,
 * once; image references are resolved to URLs the browser can load.
 */
import { formatLocatedError, parseJsonText, taskPackSchema, type AnnotationRecord, type LocatedError, type TaskPack } from '../../core/formats/index.ts';

export interface LoadedPack {
  pack: TaskPack;
  /** Where the pack came from, shown to the user and used to key stored work. */
  source: string;
  /** Absolute URL for each item's image, in item order. */
  imageUrls: string[];
  /** For a pack opened from disk: its files, to keep it across reloads. */
  localFiles?: readonly PackFileEntry[];
  /** For the items a collection server handed out (features/collection): where Submit goes. */
  server?: ServerBinding;
}

export interface ServerBinding {
  /** What is already submitted: the server's records and those still in the outbox. */
  submitted(): ReadonlyMap<string, AnnotationRecord>;
  /** Into the outbox (stored first), then to the server; resolves once stored. */
  submit(record: AnnotationRecord): Promise<void>;
}

export class PackLoadError extends Error {
  constructor(readonly errors: readonly LocatedError[]) {
    super(errors.map(formatLocatedError).join('\n'));
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
  let text: string;
  try {
    const res = await fetch(abs);
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
    text = await res.text();
  } catch (e) {
    throw new PackLoadError([{ file: name, path: '', message: `could not be loaded: ${(e as Error).message}` }]);
  }
  return packFromText(name, text, (ref) => new URL(ref, abs).href, abs);
}

/** A file of a local pack: its path relative to the folder picked (or its name) and its bytes. */
export interface PackFileEntry {
  readonly path: string;
  readonly blob: Blob;
}

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
    throw new PackLoadError([{ file: '(selection)', path: '', message: `pick exactly one pack .json file with its images (found ${jsons.length})` }]);
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
  const text = await packEntry.blob.text();
  const loaded = packFromText(
    packName,
    text,
    (ref) => {
      if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) return ref;
      const clean = ref.replace(/^\.\//, '');
      const e = byPath.get(clean) ?? byName.get(baseName(clean));
      if (!e) return '';
      used.add(e);
      return URL.createObjectURL(e.blob);
    },
    `local:${packName}`,
  );
  const missing = loaded.imageUrls.flatMap((u, i) =>
    u ? [] : [{ file: packName, path: `items[${i}].image`, message: `image "${loaded.pack.items[i]!.image}" is not among the picked files` }],
  );
  if (missing.length) throw new PackLoadError(missing.slice(0, 20));
  return { ...loaded, localFiles: [...used] };
}

function packFromText(file: string, text: string, resolve: (ref: string) => string, source: string): LoadedPack {
  const parsed = parseJsonText(file, text, taskPackSchema);
  if (!parsed.ok) throw new PackLoadError(parsed.errors);
  return { pack: parsed.value, source, imageUrls: parsed.value.items.map((it) => resolve(it.image)) };
}
