/**
 * Durations as people read them: the annotator's active time, the dashboard's median time per
 * item. (The server's settings, `--lease 30m`, have their own parseable form in server/duration.ts.)
 */

/** Milliseconds, rounded to the second: 42000 -> "42 s", 185000 -> "3 min 05 s", 4000000 -> "1 h 06 min" (whole minutes). */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}
