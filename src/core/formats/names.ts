/**
 * The formats' names and versions and their fixed vocabularies, as plain constants. Each format
 * file (taskpack.ts, annotations.ts, dataset.ts, predictions.ts, common.ts) exports its own from
 * here, next to its schema. They live apart from the zod schemas so that code which only writes
 * formats (the item pipeline in worker threads) does not load zod: that costs each thread about
 * 70 ms of CPU at start-up.
 */
export const TASKPACK_FORMAT = 'richhf-taskpack';
/**
 * Versions read. A pack is written in the lowest version that holds it (taskPackVersionFor in
 * taskpack.ts): a pack without the newer fields stays version 1, byte for byte what older
 * readers load. Version 2 adds gold items and quality settings (issue 17), item splits
 * (issue 19) and comparison items (issue 18, `"kind": "compare"`).
 */
export const TASKPACK_VERSIONS = [1, 2] as const;
export type TaskPackVersion = (typeof TASKPACK_VERSIONS)[number];
/** The newest version this code reads and writes. */
export const TASKPACK_VERSION = 2;

export const ANNOTATIONS_FORMAT = 'richhf-annotations';
/**
 * Versions read. A file is written in the lowest version that holds it (annotationsVersionFor in
 * annotations.ts): a file of rating records alone stays version 1. Version 2 adds comparison
 * records (issue 18).
 */
export const ANNOTATIONS_VERSIONS = [1, 2] as const;
export type AnnotationsVersion = (typeof ANNOTATIONS_VERSIONS)[number];

export const DATASET_FORMAT = 'richhf-dataset';
export const DATASET_VERSION = 1;

export const PREDICTIONS_FORMAT = 'richhf-predictions';
export const PREDICTIONS_VERSION = 1;

/** The four Likert scales of RichHF-18K, in the order the paper lists them. */
export const SCORE_NAMES = ['plausibility', 'alignment', 'aesthetics', 'overall'] as const;
export type ScoreName = (typeof SCORE_NAMES)[number];

/**
 * What a comparison item asks about its two images: any of the four scales, plausibility alone
 * by default (as in the paper's side-by-side study). Listed in this order wherever they are listed.
 */
export const CRITERIA = SCORE_NAMES;
export type Criterion = ScoreName;
export const DEFAULT_CRITERIA: readonly Criterion[] = ['plausibility'];

/** The lead's key to an annotators' comparison pack: which system made each image (comparisonKey.ts). */
export const COMPARISON_KEY_FORMAT = 'richhf-comparison-key';
export const COMPARISON_KEY_VERSION = 1;

/** What `richhf compare` writes (comparisonReport.ts). */
export const COMPARISON_REPORT_FORMAT = 'richhf-comparison-report';
export const COMPARISON_REPORT_VERSION = 1;

/** The two kinds of point: artifact/implausibility (drawn red) and misalignment (drawn blue). */
export const POINT_KINDS = ['artifact', 'misalignment'] as const;
export type PointKind = (typeof POINT_KINDS)[number];
