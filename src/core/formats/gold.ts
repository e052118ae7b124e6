/**
 * A gold item's reference answer (taskpack.ts, version 2: `items[].gold`), apart from the pack's
 * schema because the collection server's answers carry it too (api.ts: training feedback), and
 * the annotator's page on a server does not read pack files.
 */
import * as z from 'zod/mini';
import { indexSchema, likertSchema, POINT_KINDS } from './common.ts';

/** A scale's reference score; any subset of the four scales (a lead may know only some). */
const goldScoresSchema = z.strictObject({
  plausibility: z.optional(likertSchema),
  alignment: z.optional(likertSchema),
  aesthetics: z.optional(likertSchema),
  overall: z.optional(likertSchema),
});

const goldPointSchema = z.strictObject({
  kind: z.enum(POINT_KINDS),
  x: z.number().check(z.minimum(0, 'must be >= 0')),
  y: z.number().check(z.minimum(0, 'must be >= 0')),
});

/**
 * A gold item's reference answer (image pixels, RichHF token indices, 1-5 scores). A part that
 * is absent is not judged: `points: []` says "nothing to mark", no `points` says "not known".
 */
export const goldSchema = z.strictObject({
  points: z.optional(z.array(goldPointSchema).check(z.maxLength(10_000))),
  misalignedTokens: z.optional(z.array(indexSchema).check(z.maxLength(10_000))),
  scores: z.optional(goldScoresSchema),
  explanation: z.optional(z.string().check(z.maxLength(10_000, 'must be at most 10000 characters'))),
});
export type Gold = z.infer<typeof goldSchema>;
