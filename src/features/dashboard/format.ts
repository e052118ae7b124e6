/** How the dashboard writes durations and times. */

/** 42000 -> "42 s", 185000 -> "3 min 05 s", 4000000 -> "1 h 06 min" (a no-break space between each number and its unit). */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}\u00a0s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}\u00a0min ${String(s % 60).padStart(2, '0')}\u00a0s`;
  return `${Math.floor(m / 60)}\u00a0h ${String(m % 60).padStart(2, '0')}\u00a0min`;
}

/** An ISO 8601 instant as "14:03:27" today, or "Nov 25, 14:03" before. */
export function formatSeen(iso: string | null, now = new Date()): string {
  if (iso === null) return 'never';
  const d = new Date(iso);
  const sameDay = d.toDateString() === now.toDateString();
  return sameDay ? d.toLocaleTimeString() : d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
