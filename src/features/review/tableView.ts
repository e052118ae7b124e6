/**
 * What the table shows: filter, search and sort (page UI state, not persisted), and the hook
 * that turns the pack items plus the worker's summaries into the visible row order. The item
 * view walks the same order with Next/Previous.
 */
import { useMemo } from 'react';
import { create } from 'zustand';
import type { ItemSummary } from '../../core/agreement.ts';
import { SCORE_NAMES, type ScoreName } from '../../core/formats/index.ts';
import { useReviewStore } from './reviewStore.ts';

export type RowFilter = 'all' | 'incomplete' | 'complete' | 'low';
export type SortKey = 'pack' | 'id' | 'done' | ScoreName | 'spread' | 'heatmap';

export interface TableView {
  filter: RowFilter;
  query: string;
  rangeScore: ScoreName;
  rangeMin: number;
  rangeMax: number;
  sortKey: SortKey;
  descending: boolean;
  set(patch: Partial<Omit<TableView, 'set'>>): void;
}

export const useTableView = create<TableView>()((set) => ({
  filter: 'all',
  query: '',
  rangeScore: 'overall',
  rangeMin: 1,
  rangeMax: 5,
  sortKey: 'pack',
  descending: false,
  set: (patch) => set(patch),
}));

export interface TableRow {
  /** Position in the pack. */
  readonly index: number;
  readonly id: string;
  readonly prompt: string;
  readonly imageUrl: string;
  readonly summary: ItemSummary | null;
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

export function useAllRows(): TableRow[] {
  const pack = useReviewStore((s) => s.pack);
  const rows = useReviewStore((s) => s.rows);
  return useMemo(() => {
    if (!pack) return [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return pack.pack.items.map((item, index) => ({ index, id: item.id, prompt: item.prompt, imageUrl: pack.imageUrls[index] ?? '', summary: byId.get(item.id) ?? null }));
  }, [pack, rows]);
}

export function useVisibleRows(): TableRow[] {
  const all = useAllRows();
  const required = useReviewStore((s) => s.settings.minAnnotators || s.pack?.pack.annotatorsPerItem || 1);
  const { filter, query, rangeScore, rangeMin, rangeMax, sortKey, descending } = useTableView();
  return useMemo(() => {
    const q = query.trim().toLowerCase();
    const rangeActive = rangeMin > 1 || rangeMax < 5;
    const out = all.filter((r) => {
      const done = r.summary?.done ?? 0;
      if (filter === 'incomplete' && done >= required) return false;
      if (filter === 'complete' && done < required) return false;
      if (filter === 'low' && !r.summary?.lowAgreement) return false;
      if (rangeActive) {
        const m = r.summary?.means[rangeScore];
        if (m === undefined || m < rangeMin || m > rangeMax) return false;
      }
      if (q && !r.id.toLowerCase().includes(q) && !r.prompt.toLowerCase().includes(q)) return false;
      return true;
    });
    if (sortKey !== 'pack' || descending) {
      out.sort((a, b) => compare(sortValue(a, sortKey), sortValue(b, sortKey), descending) || a.index - b.index);
    }
    return out;
  }, [all, required, filter, query, rangeScore, rangeMin, rangeMax, sortKey, descending]);
}
