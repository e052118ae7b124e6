import type { DatasetRow } from '../../../src/core/parquet/datasetRow.ts';

type Annotation = DatasetRow['annotations'][number];

/**
 * A small dataset row for the Parquet writer's tests: a 4x4 image named `image`, the same four
 * scores (3, 4, 2, 5), two tokens and one annotator "x", whose word and point answers (and the
 * words' votes) the caller may give.
 */
export function smallDatasetRow(
  id: string,
  image: string,
  answers: { tokenVotes?: number[]; misalignedTokens?: Annotation['misalignedTokens']; points?: Annotation['points'] } = {},
): DatasetRow {
  const scores = { plausibility: 3, alignment: 4, aesthetics: 2, overall: 5 };
  return {
    id,
    image,
    prompt: `prompt ${id}`,
    tokens: ['prompt', id],
    promptMisalignmentLabel: '1 1',
    tokenVotes: answers.tokenVotes ?? [0, 0],
    imageWidth: 4,
    imageHeight: 4,
    scores,
    normalizedScores: { plausibility: 0.5, alignment: 0.75, aesthetics: 0.25, overall: 1 },
    artifactPng: new Uint8Array([1, 2, 3]),
    misalignmentPng: new Uint8Array([4, 5]),
    annotations: [{ annotator: 'x', scores, misalignedTokens: answers.misalignedTokens ?? [], points: answers.points ?? [], submittedAt: '2026-01-01T00:00:00Z', activeMs: 5 }],
  };
}
