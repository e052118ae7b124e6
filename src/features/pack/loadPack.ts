/**
 * Loading a task pack where it enters the app: from a URL (`?pack=`), the bundled demo, or
 * local files (a pack JSON plus its images, picked by the user). The pack is validated here,
 * once; image references are resolved to URLs the browser can load.
 */
import { formatLocatedError, parseJsonText, taskPackSchema, type LocatedError, type TaskPack } from '../../core/formats/index.ts';

export interface LoadedPack {
  pack: TaskPack;
  /** Where the pack came from, shown to the user and used to key stored work. */
  source: string;
  /** Absolute URL for each item's image, in item order. */
  imageUrls: string[];
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

/**
 * A pack picked from disk with its images (directory picker or multiple-file input).
 * Images are matched by their path relative to the pack file's folder, then by file name.
 */
export async function loadPackFromFiles(files: readonly File[]): Promise<LoadedPack> {
  const jsons = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  if (jsons.length !== 1) {
    throw new PackLoadError([{ file: '(selection)', path: '', message: `pick exactly one pack .json file with its images (found ${jsons.length})` }]);
  }
  const packFile = jsons[0]!;
  const rel = (f: File) => (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
  const packDir = rel(packFile).split('/').slice(0, -1).join('/');
  const byPath = new Map<string, File>();
  const byName = new Map<string, File>();
  for (const f of files) {
    let p = rel(f);
    if (packDir && p.startsWith(packDir + '/')) p = p.slice(packDir.length + 1);
    byPath.set(p, f);
    byName.set(f.name, f);
  }
  const text = await packFile.text();
  const loaded = packFromText(packFile.name, text, (ref) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) return ref;
    const clean = ref.replace(/^\.\//, '');
    const f = byPath.get(clean) ?? byName.get(clean.split('/').pop() ?? clean);
    return f ? URL.createObjectURL(f) : '';
  }, `local:${packFile.name}`);
  const missing = loaded.imageUrls.flatMap((u, i) => (u ? [] : [{ file: packFile.name, path: `items[${i}].image`, message: `image "${loaded.pack.items[i]!.image}" is not among the picked files` }]));
  if (missing.length) throw new PackLoadError(missing.slice(0, 20));
  return loaded;
}

function packFromText(file: string, text: string, resolve: (ref: string) => string, source: string): LoadedPack {
  const parsed = parseJsonText(file, text, taskPackSchema);
  if (!parsed.ok) throw new PackLoadError(parsed.errors);
  return { pack: parsed.value, source, imageUrls: parsed.value.items.map((it) => resolve(it.image)) };
}
