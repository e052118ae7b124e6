import * as z from 'zod/mini';
import { CRITERIA, DEFAULT_CRITERIA, type Criterion } from './names.ts';
import { idSchema, imageRefSchema, indexSchema, sizeSchema, submittedAtSchema } from './common.ts';

/**
 * Blind side-by-side comparisons (issue 18): a pack item that shows two images made from one
 * prompt by two systems, and the record of one annotator's answers on it.
 *
 * An answer is in the item's terms, never the screen's: -2 = `images[0]` much better,
 * -1 = slightly better, 0 = about the same, 1 = `images[1]` slightly better, 2 = much better.
 * The record's `left` says which image was shown on the left (compare/sides.ts draws it).
 */
export { CRITERIA, DEFAULT_CRITERIA, type Criterion } from './names.ts';

export const criterionSchema = z.enum(CRITERIA);

/**
 * One of the two images. `system` (what made it) is in the lead's pack only: the pack handed
 * to annotators names no system, and the lead keeps a key beside it (comparisonKey.ts).
 */
export const comparisonImageSchema = z.strictObject({
  image: imageRefSchema,
  system: z.optional(idSchema),
  width: z.optional(sizeSchema),
  height: z.optional(sizeSchema),
});
export type ComparisonImage = z.infer<typeof comparisonImageSchema>;

export const comparisonItemSchema = z
  .strictObject({
    id: idSchema,
    kind: z.literal('compare'),
    prompt: z.string().check(z.maxLength(10_000, 'must be at most 10000 characters')),
    images: z.tuple([comparisonImageSchema, comparisonImageSchema], { error: 'must be two images: [{"image", …}, {"image", …}]' }),
    criteria: z.optional(z.array(criterionSchema).check(z.minLength(1, `must name at least one of ${CRITERIA.join(', ')}`))),
  })
  .check(
    z.superRefine((item, ctx) => {
      const [a, b] = item.images;
      if ((a.system === undefined) !== (b.system === undefined)) {
        const i = a.system === undefined ? 0 : 1;
        ctx.addIssue({ code: 'custom', path: ['images', i, 'system'], message: 'required when the other image names its system (name both, or neither)', input: undefined });
      } else if (a.system !== undefined && a.system === b.system) {
        ctx.addIssue({
          code: 'custom',
          path: ['images', 1, 'system'],
          message: `"${a.system}" is the other image's system too: a comparison is between two systems`,
          input: b.system,
        });
      }
      const seen = new Set<Criterion>();
      item.criteria?.forEach((c, i) => {
        if (seen.has(c)) ctx.addIssue({ code: 'custom', path: ['criteria', i], message: `"${c}" is listed twice`, input: c });
        seen.add(c);
      });
    }),
  );
export type ComparisonItem = z.infer<typeof comparisonItemSchema>;

/** The criteria an item asks about: its own list, or plausibility alone. */
export function criteriaOf(item: Pick<ComparisonItem, 'criteria'>): readonly Criterion[] {
  return item.criteria ?? DEFAULT_CRITERIA;
}

/** -2 … 2 in the item's terms (see above). */
export const answerSchema = z.number().check(z.int('must be an integer from -2 to 2'), z.minimum(-2, 'must be from -2 to 2'), z.maximum(2, 'must be from -2 to 2'));

/** One answer per criterion of the item (exactly its criteria: checked against the pack). */
export const answersSchema = z
  .strictObject({
    plausibility: z.optional(answerSchema),
    alignment: z.optional(answerSchema),
    aesthetics: z.optional(answerSchema),
    overall: z.optional(answerSchema),
  })
  .check(z.refine((a) => CRITERIA.some((c) => a[c] !== undefined), `must answer at least one of ${CRITERIA.join(', ')}`));
export type Answers = z.infer<typeof answersSchema>;

export const comparisonRecordSchema = z.strictObject({
  itemId: idSchema,
  /** The index in the item's `images` of the image shown on the left. */
  left: z.literal([0, 1]),
  answers: answersSchema,
  submittedAt: submittedAtSchema,
  activeMs: indexSchema,
});
export type ComparisonRecord = z.infer<typeof comparisonRecordSchema>;
