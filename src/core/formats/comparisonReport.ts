import * as z from 'zod/mini';
import { COMPARISON_REPORT_FORMAT, COMPARISON_REPORT_VERSION } from './names.ts';
import { idSchema, indexSchema } from './common.ts';
import { criterionSchema } from './comparison.ts';

/**
 * `richhf-comparison-report` v1: what `richhf compare` writes (compare/report.ts makes it; the
 * README defines every figure). Counts are of answers: one per record and criterion.
 */
export { COMPARISON_REPORT_FORMAT, COMPARISON_REPORT_VERSION } from './names.ts';

const probabilitySchema = z.number().check(z.minimum(0), z.maximum(1));
const intervalSchema = z.tuple([z.number(), z.number()]);
const five = <T extends z.ZodMiniType>(t: T) => z.tuple([t, t, t, t, t]);

/** One criterion and one pair of systems X < Y (code-unit order). */
export const comparisonResultSchema = z.strictObject({
  criterion: criterionSchema,
  systems: z.tuple([idSchema, idSchema]),
  n: indexSchema,
  /** X much better, X slightly better, about the same, Y slightly better, Y much better. */
  counts: five(indexSchema),
  /** counts as percentages of n (all 0 when n = 0). */
  percent: five(z.number()),
  xWins: indexSchema,
  ties: indexSchema,
  yWins: indexSchema,
  /** Two-sided exact binomial test of xWins against yWins, ties left out (1 when both are 0). */
  signTestP: probabilitySchema,
  /** (xWins + ties / 2) / n; null when n = 0. */
  winRate: z.nullable(probabilitySchema),
  /** Seeded percentile bootstrap over items; null when n = 0. */
  winRateCI95: z.nullable(intervalSchema),
});
export type ComparisonResult = z.infer<typeof comparisonResultSchema>;

/** Non-tie answers that chose the image shown on the left against those that chose the right one. */
export const positionBiasSchema = z.strictObject({
  leftWins: indexSchema,
  rightWins: indexSchema,
  ties: indexSchema,
  p: probabilitySchema,
});
export type PositionBias = z.infer<typeof positionBiasSchema>;

export const annotatorSidesSchema = z.strictObject({
  id: idSchema,
  n: indexSchema,
  leftWins: indexSchema,
  rightWins: indexSchema,
  ties: indexSchema,
});
export type AnnotatorSides = z.infer<typeof annotatorSidesSchema>;

/** Bradley-Terry log-strengths of one criterion (three or more systems), centred on 0. */
export const bradleyTerrySchema = z.strictObject({
  criterion: criterionSchema,
  strengths: z.array(z.strictObject({ system: idSchema, strength: z.number(), ci95: intervalSchema })),
});
export type BradleyTerryResult = z.infer<typeof bradleyTerrySchema>;

export const comparisonReportSchema = z.strictObject({
  format: z.literal(COMPARISON_REPORT_FORMAT),
  version: z.literal(COMPARISON_REPORT_VERSION),
  pack: idSchema,
  systems: z.array(idSchema),
  results: z.array(comparisonResultSchema),
  positionBias: positionBiasSchema,
  annotators: z.array(annotatorSidesSchema),
  /** Only with three or more systems. */
  bradleyTerry: z.optional(z.array(bradleyTerrySchema)),
});
export type ComparisonReport = z.infer<typeof comparisonReportSchema>;
