/**
 * Active time on an item: the sum of gaps between consecutive interactions, leaving out
 * any gap longer than IDLE_GAP_MS (the annotator was away). Times in milliseconds.
 */
export const IDLE_GAP_MS = 60_000;

export function addActivity(activeMs: number, lastActivityAt: number | null, now: number): number {
  if (lastActivityAt === null) return activeMs;
  const gap = now - lastActivityAt;
  if (gap <= 0 || gap > IDLE_GAP_MS) return activeMs;
  return activeMs + gap;
}
