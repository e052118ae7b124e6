import { isRatingRecord, type AnnotationFile, type AnnotationRecord, type RatingRecord } from '../formats/annotations.ts';
import type { SkippedItem } from '../formats/dataset.ts';
import type { LocatedError } from '../formats/located.ts';
import { Problems, type ProblemReport, type Unlisted } from '../formats/problems.ts';
import { isRatingItem, type RatingItem, type TaskPack } from '../formats/taskpack.ts';
import { checkPackName, checkRecordAgainstItem } from './annotationFileCheck.ts';
import { compareCodeUnits } from '../text/compare.ts';
import { compareRecordAge } from './newestRecord.ts';
import { tokenize } from '../text/tokenize.ts';

/**
 * Step 1 of consolidation: group every annotation record by item and annotator, check the
 * records against the pack, and decide which items make it into the dataset. Cheap (no
 * heatmaps), so it runs on the whole input at once; step 2 (consolidateItem) then runs item
 * by item, in any thread. The result depends only on the set of inputs, never on the order
 * of files or records: annotators are sorted by id in code-unit order, duplicate records
 * are resolved by submittedAt with a content tie-break, and warnings follow pack order.
 * Gold items (items[].gold) are planned like the others but never consolidated: they are
 * listed as skipped, and their records go to `gold` for the quality model.
 *
 * A dataset is made of rating items. Comparison items and their records are checked like the
 * rest (a record's kind must be its item's; its answers the item's criteria) and then left to
 * the comparison report (compare/plan.ts): they are neither in the dataset nor in its skipped list.
 */

/** An annotation file together with the name the user knows it by (for error messages). */
export interface AnnotationSource {
  readonly name: string;
  readonly file: AnnotationFile;
}

export interface PlanInput {
  readonly pack: TaskPack;
  readonly files: readonly AnnotationSource[];
  /** Items with fewer distinct annotators are skipped. Default: the pack's annotatorsPerItem. */
  readonly minAnnotators?: number;
  /** Annotators left out: their files are not read further, and a warning says so (`consolidate --exclude`). */
  readonly exclude?: readonly string[];
}

/**
 * The skip reason of a gold item (a pack item with a reference answer, issue 17): gold items
 * never enter the dataset, whatever records they have; those records are the quality
 * model's (src/core/quality). `richhf stats` counts gold items by this reason.
 */
export const GOLD_SKIP_REASON = 'gold item (quality control, never in the dataset)';

/**
 * What consolidation reads of a record; sizes and item ids never leave the planning thread, and
 * the times go along only for the Parquet export's per-annotator answers (contentPlan).
 */
export type RecordContent = Pick<RatingRecord, 'points' | 'misalignedTokens' | 'scores'> & Partial<Pick<RatingRecord, 'submittedAt' | 'activeMs'>>;

/** One annotator's kept record for an item. */
export interface AnnotatorRecord<R extends RecordContent = RatingRecord> {
  readonly annotator: string;
  readonly record: R;
}

/**
 * Everything needed to consolidate one item; plain data, so it can be posted to a worker.
 * Planning keeps whole records (R = RatingRecord); workers get ItemPlan<RecordContent>.
 */
export interface ItemPlan<R extends RecordContent = RatingRecord> {
  readonly id: string;
  readonly image: string;
  readonly prompt: string;
  /** Image pixels: the pack's size, or the records' (they must agree) when the pack has none. */
  readonly imageWidth: number;
  readonly imageHeight: number;
  readonly tokens: readonly string[];
  /** Sorted by annotator id (code-unit order); N = records.length >= 1. */
  readonly records: readonly AnnotatorRecord<R>[];
}

/**
 * The plan without what consolidation never reads, which halves the structured-clone work per
 * item; `withTimes` keeps each record's submittedAt and activeMs (the Parquet rows carry them).
 */
export function contentPlan(plan: ItemPlan<RecordContent>, withTimes = false): ItemPlan<RecordContent> {
  return {
    ...plan,
    records: plan.records.map(({ annotator, record: r }) => ({
      annotator,
      record: withTimes
        ? { points: r.points, misalignedTokens: r.misalignedTokens, scores: r.scores, submittedAt: r.submittedAt, activeMs: r.activeMs }
        : { points: r.points, misalignedTokens: r.misalignedTokens, scores: r.scores },
    })),
  };
}

export interface ConsolidationPlan {
  readonly pack: string;
  /** Complete items, in pack order; never a gold item. */
  readonly items: ItemPlan[];
  /**
   * Gold items with at least one record, in pack order, whatever minAnnotators says: never
   * consolidated (each is also in `skipped`), read by the quality model only.
   */
  readonly gold: ItemPlan[];
  readonly skipped: SkippedItem[];
  readonly warnings: string[];
  /** Input errors, the first 50 of each file; when there are any, nothing must be written. */
  readonly errors: readonly LocatedError[];
  /** Errors found but not listed, per file. */
  readonly unlisted: readonly Unlisted[];
}

interface Located {
  readonly source: AnnotationSource;
  readonly index: number;
  readonly record: RatingRecord;
}

const at = (index: number, field?: string) => `annotations[${index}]${field ? `.${field}` : ''}`;

const duplicateWarning = (itemId: string, annotator: string, count: number, submittedAt: string) =>
  `item "${itemId}": annotator "${annotator}" has ${count} records; kept the latest (submitted ${submittedAt})`;

const excludedWarning = (annotator: string, records: number | undefined) =>
  records === undefined
    ? `annotator "${annotator}" is to be left out (excluded) but has no annotation file here`
    : `annotator "${annotator}" left out (excluded): ${records} record${records === 1 ? '' : 's'} not used`;

const unknownItemWarning = (itemId: string, annotators: ReadonlySet<string>) =>
  `item "${itemId}" is not in the pack (annotated by ${[...annotators]
    .sort(compareCodeUnits)
    .map((a) => `"${a}"`)
    .join(', ')}); left out`;

/** A record's image size and where it is. */
interface SizeSeen {
  readonly file: string;
  readonly index: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The size of an item the pack gives no (or half a) size for: the first record's, by annotator
 * id then arrival; every record must agree with it. `all` in that order; undefined when empty.
 */
function agreedSize(item: RatingItem, all: readonly SizeSeen[], problems: Problems): { width: number; height: number } | undefined {
  const first = all[0];
  if (!first) return undefined;
  const width = item.width ?? first.width;
  const height = item.height ?? first.height;
  for (const r of all) {
    if (r.width !== width || r.height !== height) {
      problems.add(r.file, at(r.index), `image size ${r.width}x${r.height} differs from ${width}x${height} in ${first.file} ${at(first.index)} for item "${item.id}"`);
    }
  }
  return { width, height };
}

/** The newer of two located records (newestRecord.ts). */
function newer(a: Located, b: Located): Located {
  return compareRecordAge(a.record, b.record) >= 0 ? a : b;
}

export function planConsolidation(input: PlanInput): ConsolidationPlan {
  const { pack, files } = input;
  const minAnnotators = input.minAnnotators ?? pack.annotatorsPerItem;
  if (!Number.isInteger(minAnnotators) || minAnnotators < 1) throw new RangeError('minAnnotators must be an integer >= 1');
  const problems = new Problems();
  const warnings: string[] = [];
  // Excluded annotator -> their records across files (absent: no file of theirs).
  const excluded = new Map<string, number | undefined>((input.exclude ?? []).map((a) => [a, undefined]));
  const itemIndex = new Map<string, number>();
  pack.items.forEach((item, i) => itemIndex.set(item.id, i));

  // byItem[i]: annotator -> their records for pack item i.
  const byItem: (Map<string, Located[]> | undefined)[] = new Array(pack.items.length);
  const unknown = new Map<string, Set<string>>();
  const tokenCache = new Map<number, string[]>();
  const tokensOf = (i: number) => {
    let t = tokenCache.get(i);
    if (!t) tokenCache.set(i, (t = tokenize(pack.items[i]!.prompt)));
    return t;
  };
  const isRating = pack.items.map(isRatingItem);

  for (const source of files) {
    const { file, name } = source;
    if (excluded.has(file.annotator)) {
      excluded.set(file.annotator, (excluded.get(file.annotator) ?? 0) + file.annotations.length);
      continue;
    }
    const wrongPack = checkPackName(name, file, pack);
    if (wrongPack) {
      problems.addError(wrongPack);
      continue;
    }
    file.annotations.forEach((record, index) => {
      const i = itemIndex.get(record.itemId);
      if (i === undefined) {
        let who = unknown.get(record.itemId);
        if (!who) unknown.set(record.itemId, (who = new Set()));
        who.add(file.annotator);
        return;
      }
      problems.addReport({ errors: checkRecordAgainstItem(name, index, record, pack.items[i]!, isRating[i] ? tokensOf(i).length : 0) });
      // A comparison item's records (or a record of the wrong kind, an error above) are not the dataset's.
      if (!isRating[i] || !isRatingRecord(record)) return;
      let annotators = byItem[i];
      if (!annotators) byItem[i] = annotators = new Map();
      let list = annotators.get(file.annotator);
      if (!list) annotators.set(file.annotator, (list = []));
      list.push({ source, index, record });
    });
  }

  for (const annotator of [...excluded.keys()].sort(compareCodeUnits)) warnings.push(excludedWarning(annotator, excluded.get(annotator)));
  const items: ItemPlan[] = [];
  const gold: ItemPlan[] = [];
  const skipped: SkippedItem[] = [];
  pack.items.forEach((item, i) => {
    if (!isRatingItem(item)) return;
    const annotators = byItem[i];
    const ids = annotators ? [...annotators.keys()].sort(compareCodeUnits) : [];
    const kept: Located[] = [];
    for (const annotator of ids) {
      const list = annotators!.get(annotator)!;
      const best = list.reduce(newer);
      if (list.length > 1) warnings.push(duplicateWarning(item.id, annotator, list.length, best.record.submittedAt));
      kept.push(best);
    }
    // Without a size in the pack, every record of the item must agree on one.
    let imageWidth = item.width;
    let imageHeight = item.height;
    if (imageWidth === undefined || imageHeight === undefined) {
      const all = ids.flatMap((a) => annotators!.get(a)!).map((r) => ({ file: r.source.name, index: r.index, width: r.record.imageWidth, height: r.record.imageHeight }));
      const size = agreedSize(item, all, problems);
      imageWidth = size?.width;
      imageHeight = size?.height;
    }
    const sized = imageWidth !== undefined && imageHeight !== undefined ? { imageWidth, imageHeight } : undefined;
    const itemPlan = (known: { imageWidth: number; imageHeight: number }): ItemPlan => ({
      id: item.id,
      image: item.image,
      prompt: item.prompt,
      ...known,
      tokens: tokensOf(i),
      records: kept.map((k) => ({ annotator: k.source.file.annotator, record: k.record })),
    });
    if (item.gold !== undefined) {
      skipped.push({ id: item.id, reason: GOLD_SKIP_REASON });
      if (kept.length > 0 && sized) gold.push(itemPlan(sized));
      return;
    }
    if (kept.length < minAnnotators || !sized) {
      skipped.push({ id: item.id, reason: `${kept.length} of ${minAnnotators} annotators` });
      return;
    }
    items.push(itemPlan(sized));
  });

  for (const id of [...unknown.keys()].sort(compareCodeUnits)) {
    skipped.push({ id, reason: 'not in the pack' });
    warnings.push(unknownItemWarning(id, unknown.get(id)!));
  }
  return { pack: pack.name, items, gold, skipped, warnings, ...problems.report() };
}

interface Latest {
  readonly annotator: string;
  count: number;
  time: number;
  submittedAt: string;
}

/** The records of a file being checked by PackCheck, without their content: a few numbers each, in columns. */
class SeenRecords {
  length = 0;
  item = new Int32Array(1024);
  index = new Int32Array(1024);
  time = new Float64Array(1024);
  width = new Int32Array(1024);
  height = new Int32Array(1024);
  readonly submittedAt: string[] = [];

  push(item: number, index: number, record: RatingRecord): void {
    if (this.length === this.item.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.item = grow(this.item);
      this.index = grow(this.index);
      this.time = grow(this.time);
      this.width = grow(this.width);
      this.height = grow(this.height);
    }
    const k = this.length++;
    this.item[k] = item;
    this.index[k] = index;
    this.time[k] = Date.parse(record.submittedAt);
    this.width[k] = record.imageWidth;
    this.height[k] = record.imageHeight;
    this.submittedAt.push(record.submittedAt);
  }
}

/**
 * planConsolidation's errors and warnings without keeping the records: for `richhf validate`
 * against a pack, which must not hold a huge file's records as values (only its bytes). Fed
 * one file at a time, record by record as each is validated (beginFile, record, endFile); a
 * file that turns out invalid is dropped whole, as planConsolidation never sees one. It keeps
 * a few numbers per record (item, place, time, size) and gives the same errors and warnings as
 * planConsolidation, in the same order (a property test holds them equal). One difference: of
 * an annotator's records of an item at the same instant written two ways ("…T11:00:00Z",
 * "…T12:00:00+01:00"), the warning names the instant as the first one read spells it, where
 * planConsolidation takes the record its content tie-break keeps.
 */
export class PackCheck {
  private readonly itemIndex = new Map<string, number>();
  private readonly tokenCounts = new Map<number, number>();
  private readonly problems = new Problems();
  /** Per item: each annotator's count of records and latest instant (one entry, or a map by annotator). */
  private readonly latest: (Latest | Map<string, Latest> | undefined)[];
  /** Per item the pack gives no size for: annotator -> their records' sizes, in arrival order. */
  private readonly sizes: (Map<string, SizeSeen[]> | undefined)[];
  private readonly unknown = new Map<string, Set<string>>();
  private current: { name: string; problems: Problems; seen: SeenRecords; unknown: Set<string>; goldRecords: number } | undefined;

  constructor(private readonly pack: TaskPack) {
    pack.items.forEach((item, i) => this.itemIndex.set(item.id, i));
    this.latest = new Array(pack.items.length);
    this.sizes = new Array(pack.items.length);
  }

  beginFile(name: string): void {
    this.current = { name, problems: new Problems(), seen: new SeenRecords(), unknown: new Set(), goldRecords: 0 };
  }

  /** A valid record of the current file. */
  record(index: number, record: AnnotationRecord): void {
    const f = this.current!;
    const i = this.itemIndex.get(record.itemId);
    if (i === undefined) {
      f.unknown.add(record.itemId);
      return;
    }
    const item = this.pack.items[i]!;
    let tokens = 0;
    if (isRatingItem(item)) {
      tokens = this.tokenCounts.get(i) ?? -1;
      if (tokens < 0) this.tokenCounts.set(i, (tokens = tokenize(item.prompt).length));
    }
    f.problems.addReport({ errors: checkRecordAgainstItem(f.name, index, record, item, tokens) });
    // As planConsolidation: only rating records of rating items count towards the dataset.
    if (isRatingItem(item) && isRatingRecord(record)) {
      f.seen.push(i, index, record);
      if (item.gold !== undefined) f.goldRecords++;
    }
  }

  /**
   * Ends the current file: counted when it was valid (`envelope`: its pack name and annotator),
   * else forgotten. Gives how many of its records are of gold items (for richhf quality only).
   */
  endFile(envelope: { readonly pack: string; readonly annotator: string } | null): number {
    const f = this.current!;
    this.current = undefined;
    if (!envelope) return 0;
    const wrongPack = checkPackName(f.name, envelope, this.pack);
    if (wrongPack) {
      this.problems.addError(wrongPack);
      return 0;
    }
    this.problems.addReport(f.problems.report());
    const annotator = envelope.annotator;
    for (const id of f.unknown) {
      let who = this.unknown.get(id);
      if (!who) this.unknown.set(id, (who = new Set()));
      who.add(annotator);
    }
    const seen = f.seen;
    for (let k = 0; k < seen.length; k++) {
      const i = seen.item[k]!;
      const time = seen.time[k]!;
      // One annotator's entry, or a map of them once a second annotator has the item (most items of a file have one).
      const slot = this.latest[i];
      let e = slot === undefined ? undefined : slot instanceof Map ? slot.get(annotator) : slot.annotator === annotator ? slot : undefined;
      if (!e) {
        e = { annotator, count: 0, time, submittedAt: seen.submittedAt[k]! };
        if (slot === undefined) this.latest[i] = e;
        else if (slot instanceof Map) slot.set(annotator, e);
        else
          this.latest[i] = new Map([
            [slot.annotator, slot],
            [annotator, e],
          ]);
      }
      e.count++;
      if (time > e.time) {
        e.time = time;
        e.submittedAt = seen.submittedAt[k]!;
      }
      const item = this.pack.items[i] as RatingItem; // seen holds rating items only
      if (item.width === undefined || item.height === undefined) {
        let sizes = this.sizes[i];
        if (!sizes) this.sizes[i] = sizes = new Map();
        let list = sizes.get(annotator);
        if (!list) sizes.set(annotator, (list = []));
        list.push({ file: f.name, index: seen.index[k]!, width: seen.width[k]!, height: seen.height[k]! });
      }
    }
    return f.goldRecords;
  }

  /** The errors (bounded per file) and warnings of every file counted, as planConsolidation gives them. */
  finish(): ProblemReport & { readonly warnings: string[] } {
    const warnings: string[] = [];
    this.pack.items.forEach((item, i) => {
      const slot = this.latest[i];
      if (!slot || !isRatingItem(item)) return;
      const entries = slot instanceof Map ? [...slot.values()].sort((a, b) => compareCodeUnits(a.annotator, b.annotator)) : [slot];
      for (const e of entries) if (e.count > 1) warnings.push(duplicateWarning(item.id, e.annotator, e.count, e.submittedAt));
      const sizes = this.sizes[i];
      if (sizes)
        agreedSize(
          item,
          [...sizes.keys()].sort(compareCodeUnits).flatMap((a) => sizes.get(a)!),
          this.problems,
        );
    });
    for (const id of [...this.unknown.keys()].sort(compareCodeUnits)) warnings.push(unknownItemWarning(id, this.unknown.get(id)!));
    return { ...this.problems.report(), warnings };
  }
}
