import type { ScoreName } from '../formats/names.ts';
import type { LikertScores } from '../formats/common.ts';
import type { Point } from '../formats/annotations.ts';
import type { DatasetItem } from '../formats/dataset.ts';
import type { ItemPlan, RecordContent } from '../dataset/plan.ts';

/**
 * One dataset item as a Parquet row needs it, made beside its dataset JSON in the item job
 * (itemJob.ts, any thread): the consolidated values, both heatmap PNGs and each annotator's
 * answers. It crosses threads packed into one buffer (packedRow.ts). What a thread cannot know is
 * added by the writer: the image file's bytes, the split and the annotators' pseudonyms
 * (parquetDataset.ts, columns.ts).
 */
export interface DatasetRow {
  readonly id: string;
  /** The pack's image reference (a path inside the pack's folder or an http(s) URL). */
  readonly image: string;
  readonly prompt: string;
  readonly tokens: readonly string[];
  readonly promptMisalignmentLabel: string;
  readonly tokenVotes: readonly number[];
  readonly imageWidth: number;
  readonly imageHeight: number;
  /** Mean Likert scores, 1-5. */
  readonly scores: Readonly<Record<ScoreName, number>>;
  /** (mean - 1) / 4, 0-1. */
  readonly normalizedScores: Readonly<Record<ScoreName, number>>;
  readonly artifactPng: Uint8Array;
  readonly misalignmentPng: Uint8Array;
  /** In the plan's order: annotator ids in code-unit order. */
  readonly annotations: readonly RowAnnotation[];
}

export interface RowAnnotation {
  /** The annotator's id as in their file (the writer replaces it with a pseudonym). */
  readonly annotator: string;
  readonly scores: LikertScores;
  readonly misalignedTokens: readonly number[];
  readonly points: readonly Point[];
  readonly submittedAt: string;
  readonly activeMs: number;
}

/** The row of a consolidated item; `plan` must carry the records' times (contentPlan with times). */
export function datasetRow(item: DatasetItem, plan: ItemPlan<RecordContent>, pngs: { artifactPng: Uint8Array; misalignmentPng: Uint8Array }): DatasetRow {
  return {
    id: item.id,
    image: item.image,
    prompt: item.prompt,
    tokens: item.tokens,
    promptMisalignmentLabel: item.promptMisalignmentLabel,
    tokenVotes: item.tokenVotes,
    imageWidth: item.imageWidth,
    imageHeight: item.imageHeight,
    scores: item.scores,
    normalizedScores: item.normalizedScores,
    // Not copied here (the all-zero map's PNG is shared by every item, consolidate.ts): packRow copies them.
    artifactPng: pngs.artifactPng,
    misalignmentPng: pngs.misalignmentPng,
    annotations: plan.records.map(({ annotator, record }) => {
      if (record.submittedAt === undefined || record.activeMs === undefined) throw new Error(`item "${plan.id}": the plan was sent without the records' times`);
      return {
        annotator,
        scores: record.scores,
        misalignedTokens: record.misalignedTokens,
        points: record.points,
        submittedAt: record.submittedAt,
        activeMs: record.activeMs,
      };
    }),
  };
}
