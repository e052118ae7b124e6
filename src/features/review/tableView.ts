/**
 * What the table shows: filter, search and sort (page UI state, not persisted), and the hooks
 * that turn the pack items plus the worker's summaries into the visible row order. The item
 * view walks the same order with Next/Previous.
 */
import { useMemo } from 'react';
import { create } from 'zustand';
import { useReviewStore } from './reviewStore.ts';
import { visibleRows, type RowFilter, type SortKey, type TableRow } from './rows.ts';
import type { ScoreName } from '../../core/formats/index.ts';

export type { RowFilter, SortKey, TableRow } from './rows.ts';
export { maxSpread } from './rows.ts';

export interface TableView {
  filter: RowFilter;
  query: string;
  rangeScore: ScoreName;
  rangeMin: number;
  rangeMax: number;
  sortKey: SortKey;
  descending: boolean;
  /** Show only this annotator's items (opened from the quality table), or null for all. */
  annotator: string | null;
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
  annotator: null,
  set: (patch) => set(patch),
}));

export function useAllRows(): TableRow[] {
  const pack = useReviewStore((s) => s.pack);
  const rows = useReviewStore((s) => s.rows);
  return useMemo(() => {
    if (!pack) return [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return pack.pack.items.map((item, index) => ({
      index,
      id: item.id,
      prompt: item.prompt,
      imageUrl: pack.imageUrls[index] ?? '',
      summary: byId.get(item.id) ?? null,
      gold: item.gold !== undefined,
    }));
  }, [pack, rows]);
}

export function useVisibleRows(): TableRow[] {
  const all = useAllRows();
  const required = useReviewStore((s) => s.settings.minAnnotators || s.pack?.pack.annotatorsPerItem || 1);
  const itemsOf = useReviewStore((s) => s.itemsOf);
  const { filter, query, rangeScore, rangeMin, rangeMax, sortKey, descending, annotator } = useTableView();
  const items = useMemo(() => (annotator === null ? null : new Set(itemsOf.get(annotator) ?? [])), [annotator, itemsOf]);
  return useMemo(
    () => visibleRows(all, { filter, query, rangeScore, rangeMin, rangeMax, sortKey, descending, items }, required),
    [all, required, filter, query, rangeScore, rangeMin, rangeMax, sortKey, descending, items],
  );
}
