/**
 * `comparisons` store, key [annotator, pack]: an annotator's work on a pack of comparison items
 * opened in the page (issue 18). One record per annotator and pack (such packs are small: the
 * paper's had 100 pairs): the records submitted, the answers given on items not submitted yet
 * (in the item's terms, as records keep them), and the item shown.
 */
import * as z from 'zod/mini';
import { answerSchema, comparisonRecordSchema } from '../../core/formats/comparison.ts';
import { idSchema, indexSchema } from '../../core/formats/common.ts';
import { storedRecordType } from '../storedRecord.ts';

export const COMPARISON_WORK_VERSION = 1;

/** Answers given so far on an item (any subset of its criteria), in the item's terms. */
const draftAnswersSchema = z.strictObject({
  plausibility: z.optional(answerSchema),
  alignment: z.optional(answerSchema),
  aesthetics: z.optional(answerSchema),
  overall: z.optional(answerSchema),
});

export const comparisonWorkSchema = z.strictObject({
  version: z.literal(COMPARISON_WORK_VERSION),
  /** Submitted records, one per item (the latest). */
  submitted: z.array(comparisonRecordSchema),
  /** Answers not submitted yet, with the active time spent so far (milliseconds). */
  drafts: z.array(z.strictObject({ itemId: idSchema, answers: draftAnswersSchema, activeMs: indexSchema })),
  /** The index (in the pack's comparison items) of the item shown. */
  index: indexSchema,
});
export type ComparisonWork = z.infer<typeof comparisonWorkSchema>;

export const comparisonWorkRecord = /* @__PURE__ */ storedRecordType({ name: 'comparison work', version: COMPARISON_WORK_VERSION, schema: comparisonWorkSchema });
