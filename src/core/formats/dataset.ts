import * as z from 'zod/mini';
import { DATASET_FORMAT, DATASET_VERSION } from './names.ts';
import { idSchema, indexSchema, sizeSchema } from './common.ts';
import { pointSchema } from './annotations.ts';

/**
 * `richhf-dataset` v1: the consolidated dataset written by `richhf consolidate` and by the
 * review page (same engine, same bytes). Scores are means of 1-5 Likert scores in full
 * double precision; normalizedScores = (mean - 1) / 4. Heatmaps are base64 8-bit gray PNGs
 * of heatmapWidth x heatmapHeight. promptMisalignmentLabel uses RichHF-18K's convention:
 * 0 = misaligned, 1 = aligned.
 */
export { DATASET_FORMAT, DATASET_VERSION } from './names.ts';

const meanScore = z.number().check(z.minimum(1), z.maximum(5));
const unit = z.number().check(z.minimum(0), z.maximum(1));
const spread = z.number().check(z.int(), z.minimum(0), z.maximum(4));

export const datasetItemSchema = z.strictObject({
  id: idSchema,
  image: z.string(),
  prompt: z.string(),
  imageWidth: sizeSchema,
  imageHeight: sizeSchema,
  annotators: z.array(idSchema).check(z.minLength(1)),
  scores: z.strictObject({ plausibility: meanScore, alignment: meanScore, aesthetics: meanScore, overall: meanScore }),
  normalizedScores: z.strictObject({ plausibility: unit, alignment: unit, aesthetics: unit, overall: unit }),
  maxScoreDiff: z.strictObject({ plausibility: spread, alignment: spread, aesthetics: spread, overall: spread }),
  tokens: z.array(z.string()),
  tokenVotes: z.array(indexSchema),
  promptMisalignmentLabel: z.string().check(z.regex(/^([01]( [01])*)?$/, 'must be 0/1 labels separated by single spaces')),
  labeledPrompt: z.string(),
  artifactHeatmap: z.string().check(z.minLength(1)),
  misalignmentHeatmap: z.string().check(z.minLength(1)),
  points: z.record(z.string(), z.array(pointSchema)),
});
export type DatasetItem = z.infer<typeof datasetItemSchema>;

export const skippedItemSchema = z.strictObject({ id: z.string(), reason: z.string() });
export type SkippedItem = z.infer<typeof skippedItemSchema>;

export const datasetSchema = z.strictObject({
  format: z.literal(DATASET_FORMAT),
  version: z.literal(DATASET_VERSION),
  pack: idSchema,
  heatmapWidth: sizeSchema,
  heatmapHeight: sizeSchema,
  items: z.array(datasetItemSchema),
  skipped: z.array(skippedItemSchema),
  warnings: z.array(z.string()),
});
export type Dataset = z.infer<typeof datasetSchema>;
