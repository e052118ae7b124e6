import * as z from 'zod/mini';
import { PREDICTIONS_FORMAT, PREDICTIONS_VERSION } from './names.ts';
import { idSchema, indexSchema, uniqueItemIds } from './common.ts';

/**
 * `richhf-predictions` v1: a model's outputs for some items of a dataset, scored by
 * `richhf evaluate`. Every part of an item is optional (a model may predict only scores).
 * Scores are on the normalized [0, 1] scale of the dataset's `normalizedScores`. Heatmaps are
 * base64 PNGs of any size (8-bit gray preferred; read as value / 255 and resized to the
 * dataset's grid when needed). `misalignedTokens` index the item's RichHF token list and are
 * checked against the dataset when evaluated, since the prompt is not in this file.
 */
export { PREDICTIONS_FORMAT, PREDICTIONS_VERSION } from './names.ts';

const unit = z.number().check(z.minimum(0, 'must be from 0 to 1'), z.maximum(1, 'must be from 0 to 1'));

export const predictedScoresSchema = z.strictObject({
  plausibility: z.optional(unit),
  alignment: z.optional(unit),
  aesthetics: z.optional(unit),
  overall: z.optional(unit),
});

/** Base64 text only; whether it holds a PNG is checked when it is decoded, with the same location. */
const base64Png = z.string().check(z.minLength(1, 'must not be empty'));

export const predictionItemSchema = z
  .strictObject({
    id: idSchema,
    scores: z.optional(predictedScoresSchema),
    artifactHeatmap: z.optional(base64Png),
    misalignmentHeatmap: z.optional(base64Png),
    misalignedTokens: z.optional(z.array(indexSchema).check(z.maxLength(10_000))),
  })
  .check(
    z.superRefine((item, ctx) => {
      const seen = new Set<number>();
      item.misalignedTokens?.forEach((t, i) => {
        if (seen.has(t)) ctx.addIssue({ code: 'custom', path: ['misalignedTokens', i], message: `duplicate token index ${t}`, input: t });
        seen.add(t);
      });
    }),
  );
export type PredictionItem = z.infer<typeof predictionItemSchema>;

export const predictionsSchema = z
  .strictObject({
    format: z.literal(PREDICTIONS_FORMAT),
    version: z.literal(PREDICTIONS_VERSION),
    model: z.optional(idSchema),
    items: z.array(predictionItemSchema),
  })
  .check(uniqueItemIds);
export type Predictions = z.infer<typeof predictionsSchema>;
