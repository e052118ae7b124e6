/**
 * A rating pack as the workspace holds it, wherever it came from: a pack file (loadPack.ts, the
 * static mode's chunk) or the items a collection server handed out (features/collection). Apart
 * from loadPack.ts so the workspace, which both modes load, does not bring the pack file reader.
 */
import type { RatingPack, RatingRecord, TaskPack } from '../../core/formats/index.ts';

export interface LoadedPack {
  pack: RatingPack;
  /** Where the pack came from, shown to the user and used to key stored work. */
  source: string;
  /** Absolute URL for each item's image, in item order. */
  imageUrls: string[];
  /** For a pack opened from disk: its files, to keep it across reloads. */
  localFiles?: readonly PackFileEntry[];
  /** For the items a collection server handed out (features/collection): where Submit goes. */
  server?: ServerBinding;
  /**
   * A pack of both kinds on the static page: `pack` holds its rating items, and this its
   * comparison items for the pair workspace (`pack` there is the whole pack, as in the file).
   */
  pairs?: LoadedComparisonPack;
}

/** A pack's comparison items for the pair workspace (issue 18): the URL of each item's two images, in the item's order. */
export interface LoadedComparisonPack {
  readonly pack: TaskPack;
  readonly source: string;
  readonly imageUrls: readonly (readonly [string, string])[];
}

export interface ServerBinding {
  /** What is already submitted: the server's records and those still in the outbox. */
  submitted(): ReadonlyMap<string, RatingRecord>;
  /** Into the outbox (stored first), then to the server; resolves once stored. Never rejects. */
  submit(record: RatingRecord): Promise<void>;
}

/**
 * Why item `index`'s image is not shown, while it is tried again. From a pack file the message
 * names the file and the field (the pack may be wrong: a missing image); on a collection server
 * the pack was checked by the server, so it is the connection, said in words (the signed image
 * address and the field path mean nothing to an annotator).
 */
export function describeImageFailure(loaded: LoadedPack, index: number): string {
  if (loaded.server) return 'The image could not be loaded (the connection to the server may have dropped). Trying again…';
  return `${loaded.source.split('/').pop()}: items[${index}].image: the image "${loaded.pack.items[index]?.image}" could not be loaded (trying again)`;
}

/** A file of a local pack: its path relative to the folder picked (or its name) and its bytes. */
export interface PackFileEntry {
  readonly path: string;
  readonly blob: Blob;
}
