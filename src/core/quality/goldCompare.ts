/**
 * One answer against a gold item's reference (taskpack.ts `items[].gold`). Each part of the
 * reference that is given is judged; a part the lead left out (no `points`, no
 * `misalignedTokens`, a scale missing from `scores`) is not. Figures are in [0, 1] but for the
 * score difference (Likert points, 0 to 4).
 */
import type { Size } from '../annotate/geometry.ts';
import type { Gold } from '../formats/taskpack.ts';
import type { LikertScores } from '../formats/common.ts';
import { SCORE_NAMES } from '../formats/names.ts';
import { areaOverlap, discMap, qualityGrid, type AreaOverlap, type Marked } from './discMap.ts';
import { wordF1 } from './words.ts';

/** What the quality model reads of an answer (an annotation record has it all). */
export interface Answer {
  readonly points: readonly Marked[];
  readonly misalignedTokens: readonly number[];
  readonly scores: LikertScores;
}

export interface GoldComparison {
  /** Share of the reference's scales where the answer is within ±1 of it; null: no scale given. */
  readonly scoresWithinOne: number | null;
  /** Mean |answer - reference| over the reference's scales, in Likert points; null: no scale given. */
  readonly scoreAbsDiff: number | null;
  /** wordF1 of the marked words against the reference's; null: no words given. */
  readonly wordF1: number | null;
  /** Area precision, recall and F1 of the disc maps (discMap.ts); null: no points given. */
  readonly discs: AreaOverlap | null;
  /**
   * The item's gold score: the mean of the judged parts' agreement, scoresWithinOne, wordF1 and
   * discs.f1, each in [0, 1] with 1 for an answer that matches the reference; null when the
   * reference judges nothing (an explanation only).
   */
  readonly score: number | null;
}

/** `answer` against `gold` on an image of `image` pixels (the item's size). */
export function compareWithGold(answer: Answer, gold: Gold, image: Size): GoldComparison {
  let within = 0;
  let diff = 0;
  let scales = 0;
  for (const name of SCORE_NAMES) {
    const ref = gold.scores?.[name];
    if (ref === undefined) continue;
    const d = Math.abs(answer.scores[name] - ref);
    scales++;
    diff += d;
    if (d <= 1) within++;
  }
  const scoresWithinOne = scales > 0 ? within / scales : null;
  const words = gold.misalignedTokens ? wordF1(answer.misalignedTokens, gold.misalignedTokens) : null;
  const grid = qualityGrid(image.width, image.height);
  const discs = gold.points ? areaOverlap(discMap(answer.points, image, grid), discMap(gold.points, image, grid)) : null;
  const parts = [scoresWithinOne, words, discs?.f1 ?? null].filter((p): p is number => p !== null);
  return {
    scoresWithinOne,
    scoreAbsDiff: scales > 0 ? diff / scales : null,
    wordF1: words,
    discs,
    score: parts.length > 0 ? parts.reduce((a, b) => a + b, 0) / parts.length : null,
  };
}
