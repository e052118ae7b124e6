import * as z from 'zod/mini';
import { tokenize } from '../text/tokenize.ts';
import { TASKPACK_FORMAT, TASKPACK_VERSIONS, type TaskPackVersion } from './names.ts';
import { idSchema, imageRefSchema, sizeSchema, uniqueItemIds } from './common.ts';
import { comparisonItemSchema, type ComparisonItem } from './comparison.ts';
import type { LocatedError } from './located.ts';
import { goldSchema } from './gold.ts';
import { MAX_PROBLEMS_PER_FILE } from './problems.ts';

/**
 * `richhf-taskpack`: what a lead hands out. Image sizes are optional (read from the image when
 * absent). Item ids are unique.
 *
 * Version 1 is the original shape. Version 2 adds, all optional:
 * - `items[].gold`: a reference answer (gold item), in the annotation record's own shape, and
 *   an explanation shown after training items;
 * - `quality`: how gold items are served (`training` first items, then about one in `goldEvery`);
 * - `items[].split`: the dataset split the item belongs to (`train`, `validation`, …);
 * - comparison items, `"kind": "compare"` (comparison.ts): two images of one prompt, judged
 *   side by side. The items without `kind` are rating items (the original kind).
 * A version 1 pack is read unchanged (it is a version 2 pack without those fields: the
 * migration is the identity); one that uses a version 2 field is refused with the field named.
 * Writers call taskPackVersionFor, so a pack that needs nothing new stays version 1.
 */
export { TASKPACK_FORMAT, TASKPACK_VERSION, TASKPACK_VERSIONS, type TaskPackVersion } from './names.ts';

export { goldSchema, type Gold } from './gold.ts';

/** Split names as the Hugging Face hub accepts them (`train`, `validation`, `test`, `test.hard`). */
export const splitNameSchema = z
  .string()
  .check(z.regex(/^\w+(\.\w+)*$/, 'must be a split name such as train, validation or test (letters, digits, _ and .)'), z.maxLength(64, 'must be at most 64 characters'));

/** An item to rate: points, words and four scores on one image. */
export const ratingItemSchema = z
  .strictObject({
    id: idSchema,
    // Absent: what tells a rating item from a comparison item.
    kind: z.optional(z.undefined()),
    image: imageRefSchema,
    prompt: z.string().check(z.maxLength(10_000, 'must be at most 10000 characters')),
    width: z.optional(sizeSchema),
    height: z.optional(sizeSchema),
    gold: z.optional(goldSchema),
    split: z.optional(splitNameSchema),
  })
  .check(
    z.superRefine((item, ctx) => {
      const gold = item.gold;
      if (!gold) return;
      // What the item itself lets us check; points on an item without a size are checked against the image where it is read.
      gold.points?.forEach((p, i) => {
        if (item.width !== undefined && p.x > item.width)
          ctx.addIssue({ code: 'custom', path: ['gold', 'points', i, 'x'], message: `outside the image (0 to ${item.width})`, input: p.x });
        if (item.height !== undefined && p.y > item.height)
          ctx.addIssue({ code: 'custom', path: ['gold', 'points', i, 'y'], message: `outside the image (0 to ${item.height})`, input: p.y });
      });
      if (gold.misalignedTokens && gold.misalignedTokens.length > 0) {
        const count = tokenize(item.prompt).length;
        const seen = new Set<number>();
        gold.misalignedTokens.forEach((t, i) => {
          if (t >= count)
            ctx.addIssue({ code: 'custom', path: ['gold', 'misalignedTokens', i], message: `token index ${t} is out of range (the prompt has ${count} tokens)`, input: t });
          else if (seen.has(t)) ctx.addIssue({ code: 'custom', path: ['gold', 'misalignedTokens', i], message: `duplicate token index ${t}`, input: t });
          seen.add(t);
        });
      }
    }),
  );
export type RatingItem = z.infer<typeof ratingItemSchema>;

/** An item of either kind, told apart by `kind`. */
export const taskItemSchema = z.discriminatedUnion('kind', [ratingItemSchema, comparisonItemSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? '"compare" for a comparison item, absent for a rating item' : undefined),
});
export type TaskItem = RatingItem | ComparisonItem;

export function isRatingItem(item: TaskItem): item is RatingItem {
  return item.kind === undefined;
}

export function isComparisonItem(item: TaskItem): item is ComparisonItem {
  return item.kind === 'compare';
}

const countSchema = z.number().check(z.int('must be an integer'), z.minimum(0, 'must be >= 0'), z.maximum(1_000_000, 'must be at most 1000000'));

/** How gold items are served: the first `training` items of each annotator, then about one in `goldEvery` (0: none after training). */
export const qualitySettingsSchema = z.strictObject({
  training: z.optional(countSchema),
  goldEvery: z.optional(countSchema),
});
export type QualitySettings = z.infer<typeof qualitySettingsSchema>;

/** The version-2 fields of a pack, as (path, name) pairs; at most `limit` of them. */
function versionTwoFields(pack: { readonly quality?: unknown; readonly items: readonly TaskItem[] }, limit: number): string[] {
  const found: string[] = [];
  if (pack.quality !== undefined) found.push('quality');
  for (let i = 0; i < pack.items.length && found.length < limit; i++) {
    const item = pack.items[i]!;
    if (isComparisonItem(item)) {
      found.push(`items[${i}].kind`);
      continue;
    }
    if (item.gold !== undefined) found.push(`items[${i}].gold`);
    if (item.split !== undefined && found.length < limit) found.push(`items[${i}].split`);
  }
  return found;
}

/** The lowest version that holds this pack: what writers put in `version`. */
export function taskPackVersionFor(pack: { readonly quality?: unknown; readonly items: readonly TaskItem[] }): TaskPackVersion {
  return versionTwoFields(pack, 1).length > 0 ? 2 : 1;
}

/** A version 1 pack must not use version 2 fields (a reader of version 1 would refuse them). */
const fieldsFitVersion = z.superRefine((pack: { readonly version: TaskPackVersion; readonly quality?: unknown; readonly items: readonly TaskItem[] }, ctx) => {
  if (pack.version >= 2) return;
  for (const field of versionTwoFields(pack, MAX_PROBLEMS_PER_FILE + 1)) {
    const path = field
      .split(/[.[\]]+/)
      .filter((s) => s !== '')
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    ctx.addIssue({ code: 'custom', path, message: `needs version 2 of ${TASKPACK_FORMAT} (this pack says "version": 1)`, input: undefined });
  }
});

/**
 * Either every comparison image names its system (the lead's pack) or none does (the pack handed
 * to annotators, whose key the lead keeps): a pack that names some is a mistake on the way to
 * blinding it. The first image of the other kind is named.
 */
const systemsAllOrNone = z.superRefine((pack: { readonly items: readonly TaskItem[] }, ctx) => {
  let first: { index: number; named: boolean } | undefined;
  for (let i = 0; i < pack.items.length; i++) {
    const item = pack.items[i]!;
    if (!isComparisonItem(item)) continue;
    const named = item.images[0].system !== undefined;
    if (!first) first = { index: i, named };
    else if (named !== first.named) {
      const message = named
        ? `names its systems, but items[${first.index}] does not: name the system of every comparison image (the lead's pack) or of none (the annotators' pack)`
        : `names no systems, but items[${first.index}] does: name the system of every comparison image (the lead's pack) or of none (the annotators' pack)`;
      ctx.addIssue({ code: 'custom', path: ['items', i, 'images'], message, input: item.images });
      return;
    }
  }
});

export const taskPackSchema = z
  .strictObject({
    format: z.literal(TASKPACK_FORMAT),
    version: z.literal(TASKPACK_VERSIONS, { error: `must be ${TASKPACK_VERSIONS.join(' or ')} (the versions of ${TASKPACK_FORMAT} this richhf-studio reads)` }),
    name: idSchema,
    annotatorsPerItem: z._default(z.number().check(z.int('must be an integer'), z.minimum(1, 'must be at least 1'), z.maximum(100, 'must be at most 100')), 3),
    instructions: z.optional(z.string().check(z.maxLength(100_000))),
    quality: z.optional(qualitySettingsSchema),
    items: z.array(taskItemSchema).check(z.minLength(1, 'must have at least one item')),
  })
  .check(uniqueItemIds, fieldsFitVersion, systemsAllOrNone);
export type TaskPack = z.infer<typeof taskPackSchema>;

/** A pack of rating items only: what the rating paths (the annotator page, the server) take until they show comparisons. */
export type RatingPack = Omit<TaskPack, 'items'> & { readonly items: RatingItem[] };

/** The pack as a RatingPack, or null when it holds comparison items. */
export function asRatingPack(pack: TaskPack): RatingPack | null {
  return pack.items.every(isRatingItem) ? (pack as RatingPack) : null;
}

/** The pack's rating items, as a pack of its own (the same name and settings): a pack of both kinds as the rating workspace takes it. */
export function ratingPart(pack: TaskPack): RatingPack {
  return { ...pack, items: pack.items.filter(isRatingItem) };
}

/**
 * Why a reader of rating items only (`reader`: "this page", "richhf serve") does not open a pack
 * with comparison items: one located error naming the first of them and how many there are.
 */
export function comparisonItemsRefused(file: string, items: readonly TaskItem[], reader: string): LocatedError {
  const first = items.findIndex(isComparisonItem);
  const count = items.filter(isComparisonItem).length;
  return {
    file,
    path: `items[${first}]`,
    message: `is a comparison item ("kind": "compare"; ${count} of ${items.length} items are): ${reader} takes rating items only, so far (richhf compare reports comparisons)`,
  };
}

/** The pack's comparison items, in pack order. */
export function comparisonItems(pack: Pick<TaskPack, 'items'>): ComparisonItem[] {
  return pack.items.filter(isComparisonItem);
}
