/**
 * The review table's rows: pack items joined with the worker's summaries, and the pure
 * filter/sort that decides which rows the table shows in which order (unit-tested).
 */
import type { ItemSummary } from '../../core/dataset/agreement.ts';
import { SCORE_NAMES, type ScoreName } from '../../core/formats/index.ts';

export type RowFilter = 'all' | 'incomplete' | 'complete' | 'low';
export type SortKey = 'pack' | 'id' | 'done' | ScoreName | 'spread' | 'heatmap';

export interface TableRow {
  /** Position in the pack. */
  readonly index: number;
  readonly id: string;
  readonly prompt: string;
  readonly imageUrl: string;
  /** Null for an item nobody annotated, and for a gold item (never in the dataset). */
  readonly summary: ItemSummary | null;
  /** A gold item: its answers are for the quality table only, it is neither complete nor incomplete. */
  readonly gold: boolean;
}

export function maxSpread(s: ItemSummary | null): number {
  return s ? Math.max(...SCORE_NAMES.map((n) => s.spreads[n])) : NaN;
}

function sortValue(row: TableRow, key: SortKey): number | string {
  const s = row.summary;
  switch (key) {
    case 'pack':
      return row.index;
    case 'id':
      return row.id;
    case 'done':
      return s?.done ?? 0;
    case 'spread':
      return maxSpread(s);
    case 'heatmap':
      return s?.heatmapAgreement ?? NaN;
    default:
      return s ? s.means[key] : NaN;
  }
}

/** NaN (no value) sorts last in both directions. */
function compare(a: number | string, b: number | string, descending: boolean): number {
  const an = typeof a === 'number' && Number.isNaN(a);
  const bn = typeof b === 'number' && Number.isNaN(b);
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  const c = a < b ? -1 : a > b ? 1 : 0;
  return descending ? -c : c;
}

export interface RowQuery {
  readonly filter: RowFilter;
  readonly query: string;
  readonly rangeScore: ScoreName;
  readonly rangeMin: number;
  readonly rangeMax: number;
  readonly sortKey: SortKey;
  readonly descending: boolean;
  /** Only these items (one annotator's), or null for all. */
  readonly items?: ReadonlySet<string> | null;
}

/** The rows the table shows, in order: filtered (status, mean-score range, id/prompt search, an annotator's items), then sorted; ties keep pack order. */
export function visibleRows(all: readonly TableRow[], q: RowQuery, required: number): TableRow[] {
  const text = q.query.trim().toLowerCase();
  const rangeActive = q.rangeMin > 1 || q.rangeMax < 5;
  const out = all.filter((r) => {
    const done = r.summary?.done ?? 0;
    if (q.items && !q.items.has(r.id)) return false;
    if (q.filter === 'incomplete' && (r.gold || done >= required)) return false;
    if (q.filter === 'complete' && (r.gold || done < required)) return false;
    if (q.filter === 'low' && !r.summary?.lowAgreement) return false;
    if (rangeActive) {
      const m = r.summary?.means[q.rangeScore];
      if (m === undefined || m < q.rangeMin || m > q.rangeMax) return false;
    }
    if (text && !r.id.toLowerCase().includes(text) && !r.prompt.toLowerCase().includes(text)) return false;
    return true;
  });
  if (q.sortKey !== 'pack' || q.descending) {
    out.sort((a, b) => compare(sortValue(a, q.sortKey), sortValue(b, q.sortKey), q.descending) || a.index - b.index);
  }
  return out;
}
