/** How the dashboard writes times (durations: core/text/duration.ts). */

/** An ISO 8601 instant as "14:03:27" today, or "Nov 25, 14:03" before. */
export function formatSeen(iso: string | null, now = new Date()): string {
  if (iso === null) return 'never';
  const d = new Date(iso);
  const sameDay = d.toDateString() === now.toDateString();
  return sameDay ? d.toLocaleTimeString() : d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
