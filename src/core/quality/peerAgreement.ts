/**
 * Leave-one-out agreement on one ordinary item: each annotator's answer against the other
 * annotators' answers of the same item, never against a mean that includes their own. Only
 * peers count as "the others": rejected annotators are still compared with the others, but
 * nobody is compared with them.
 */
import type { Size } from '../annotate/geometry.ts';
import { SCORE_NAMES } from '../formats/names.ts';
import { discMap, leaveOneOutCC, qualityGrid } from './discMap.ts';
import type { Answer } from './goldCompare.ts';
import { majorityWords, wordF1 } from './words.ts';

export interface AnsweredBy {
  readonly annotator: string;
  readonly answer: Answer;
}

/** One annotator's agreement with the others on one item. */
export interface PeerComparison {
  readonly annotator: string;
  /** How many others the figures compare with (>= 1). */
  readonly others: number;
  /** Mean over the four scales of |own score - the others' mean score|, in Likert points (0 to 4). */
  readonly scoreDeviation: number;
  /** wordF1 of the own marked words against the others' strict majority (words.ts), in [0, 1]. */
  readonly wordAgreement: number;
  /** mapCorrelation of the own disc map with the others' mean map, in [-1, 1]; null when nobody marked a point. */
  readonly discCC: number | null;
  /** Whether the annotator marked a point, and whether any of the others did. */
  readonly marked: boolean;
  readonly othersMarked: boolean;
}

/**
 * The comparisons of an item's answers (one per annotator) on an image of `image` pixels, for
 * every annotator with at least one other peer; `isPeer` says whose answers are references.
 */
export function compareWithPeers(answers: readonly AnsweredBy[], isPeer: (annotator: string) => boolean, image: Size): PeerComparison[] {
  const peers = answers.filter((a) => isPeer(a.annotator));
  if (peers.length === 0) return [];
  const grid = qualityGrid(image.width, image.height);
  const peer = answers.map((a) => isPeer(a.annotator));
  const cc = leaveOneOutCC(
    answers.map((a) => discMap(a.answer.points, image, grid)),
    peer,
    2 * grid.width * grid.height,
  );
  const out: PeerComparison[] = [];
  answers.forEach((a, k) => {
    const others = peer[k] ? peers.filter((p) => p.annotator !== a.annotator) : peers;
    if (others.length === 0) return;
    let deviation = 0;
    for (const name of SCORE_NAMES) {
      const mean = others.reduce((sum, o) => sum + o.answer.scores[name], 0) / others.length;
      deviation += Math.abs(a.answer.scores[name] - mean);
    }
    out.push({
      annotator: a.annotator,
      others: others.length,
      scoreDeviation: deviation / SCORE_NAMES.length,
      wordAgreement: wordF1(a.answer.misalignedTokens, majorityWords(others.map((o) => o.answer.misalignedTokens))),
      discCC: cc[k] ?? null,
      marked: a.answer.points.length > 0,
      othersMarked: others.some((o) => o.answer.points.length > 0),
    });
  });
  return out;
}
