import type { LikertScores } from '../formats/common.ts';

/**
 * Soft warnings for answers that contradict each other. They never block submission: an
 * annotator may have a reason, but the hint catches a slip of the hand.
 */
export function contradictions(input: { scores: Partial<LikertScores>; misalignedTokenCount: number; artifactPointCount: number; misalignmentPointCount: number }): string[] {
  const out: string[] = [];
  if (input.misalignedTokenCount > 0 && input.scores.alignment === 5) {
    out.push('Some words are marked misaligned, but Alignment is 5 (perfect).');
  }
  if (input.scores.plausibility === 1 && input.artifactPointCount === 0) {
    out.push('Plausibility is 1, but no artifact point marks where the problem is.');
  }
  if (input.scores.plausibility === 5 && input.artifactPointCount > 0) {
    out.push('Artifact points are placed, but Plausibility is 5 (no artifacts).');
  }
  if (input.scores.alignment === 5 && input.misalignmentPointCount > 0) {
    out.push('Misalignment points are placed, but Alignment is 5 (perfect).');
  }
  return out;
}
