import * as z from 'zod/mini';
import { idSchema, indexSchema, likertScoresSchema } from './common.ts';

/**
 * Annotator quality (issue 17): the answer of the collection server's `GET /api/v1/quality`,
 * also what `richhf quality --json` prints and what the review page shows. The figures are
 * defined in src/core/quality (and the README's "Annotator quality"); the fields the issue
 * names (`id`, `submissions`, `gold.items`, `gold.score`, `agreement.*`, `medianActiveMs`,
 * `flags`, `status`) are the contract, the others add detail. Objects are not strict, as in
 * api.ts: a newer server may add fields.
 */

/** A share or agreement in [0, 1]; null when there is nothing to measure it on. */
const unit = z.nullable(z.number().check(z.minimum(0), z.maximum(1)));
/** A difference of Likert scores, 0 to 4 points. */
const likertGap = z.nullable(z.number().check(z.minimum(0), z.maximum(4)));

export const qualityFlagSchema = z.object({
  /** Stable, for programs: one of QUALITY_FLAG_CODES (a newer server may add codes). */
  code: z.string().check(z.minLength(1), z.maxLength(64)),
  /** A sentence with the evidence, for people. */
  message: z.string(),
});
export type QualityFlag = z.infer<typeof qualityFlagSchema>;

export const annotatorQualitySchema = z.object({
  id: idSchema,
  /** Items the annotator submitted (their newest record each), gold items included. */
  submissions: indexSchema,
  gold: z.object({
    /** Gold items answered whose reference judges something. */
    items: indexSchema,
    /** Mean over those items of the item's gold score. */
    score: unit,
    scoresWithinOne: unit,
    scoreAbsDiff: likertGap,
    wordF1: unit,
    discPrecision: unit,
    discRecall: unit,
    discF1: unit,
  }),
  agreement: z.object({
    /** Ordinary items the annotator shares with at least one other (active) annotator. */
    items: indexSchema,
    scoreDeviation: likertGap,
    wordAgreement: unit,
    discCC: z.nullable(z.number().check(z.minimum(-1), z.maximum(1))),
    /** The items discCC is the mean of (someone marked a point). */
    discItems: indexSchema,
  }),
  /** Median active time per submitted item, in milliseconds; null without submissions. */
  medianActiveMs: z.nullable(z.number().check(z.minimum(0))),
  behaviour: z.object({
    /** The annotator's most frequent four scores, and on how many of their submissions. */
    sameScores: z.nullable(likertScoresSchema),
    sameScoresItems: indexSchema,
    sameScoresShare: unit,
    /** Ordinary items where another annotator marked a point, and of those, where this one marked none. */
    othersMarkedItems: indexSchema,
    noPointsItems: indexSchema,
    noPointsShare: unit,
  }),
  flags: z.array(qualityFlagSchema),
  status: z.enum(['active', 'rejected']),
});
export type AnnotatorQuality = z.infer<typeof annotatorQualitySchema>;

/** When an annotator is flagged (src/core/quality/flags.ts has the defaults and the rules). */
const thresholdsShape = {
  /** Gold: flagged below this gold score, given at least minGoldItems gold items. */
  minGoldScore: z.number().check(z.minimum(0), z.maximum(1)),
  minGoldItems: z.number().check(z.int(), z.minimum(1), z.maximum(1_000_000)),
  /** Agreement and behaviour: flagged beyond these, given at least minItems items behind the figure. */
  maxScoreDeviation: z.number().check(z.minimum(0), z.maximum(4)),
  minWordAgreement: z.number().check(z.minimum(0), z.maximum(1)),
  minDiscCC: z.number().check(z.minimum(-1), z.maximum(1)),
  maxSameScores: z.number().check(z.minimum(0), z.maximum(1)),
  maxNoPoints: z.number().check(z.minimum(0), z.maximum(1)),
  minItems: z.number().check(z.int(), z.minimum(1), z.maximum(1_000_000)),
  /** Speed: flagged when the median active time is below this share of the others' median. */
  minActiveShare: z.number().check(z.minimum(0), z.maximum(1)),
};
/** Thresholds given by the lead: every field, nothing else. */
export const qualityThresholdsSchema = z.strictObject(thresholdsShape);
export type QualityThresholds = z.infer<typeof qualityThresholdsSchema>;

/** `GET /api/v1/quality` (and `richhf quality --json`): one entry per annotator, sorted by id. */
export const qualitySchema = z.object({
  annotators: z.array(annotatorQualitySchema),
  /** The thresholds the flags were computed with. */
  thresholds: z.optional(z.object(thresholdsShape)),
});
export type Quality = z.infer<typeof qualitySchema>;
