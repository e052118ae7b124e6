import { describe, expect, it } from 'vitest';
import type { ItemSummary } from '../../src/core/dataset/agreement.ts';
import { visibleRows, type RowQuery, type TableRow } from '../../src/features/review/rows.ts';

const sum = (id: string, done: number, overall: number, spread: number, heat: number | null, low: boolean): ItemSummary => ({
  id,
  done,
  means: { plausibility: 3, alignment: 3, aesthetics: 3, overall },
  spreads: { plausibility: 0, alignment: spread, aesthetics: 0, overall: 0 },
  heatmapAgreement: heat,
  lowAgreement: low,
});
const rows: TableRow[] = [
  { index: 0, id: 'a1', prompt: 'a red cat', imageUrl: '', summary: sum('a1', 3, 4, 1, 0.5, false), gold: false },
  { index: 1, id: 'b2', prompt: 'a blue dog', imageUrl: '', summary: sum('b2', 2, 2, 3, 0.1, true), gold: false },
  { index: 2, id: 'c3', prompt: 'RED house', imageUrl: '', summary: null, gold: false },
  { index: 3, id: 'd4', prompt: 'tree', imageUrl: '', summary: sum('d4', 3, 2, 0, null, false), gold: false },
  { index: 4, id: 'g5', prompt: 'a gold item', imageUrl: '', summary: null, gold: true },
];
const base: RowQuery = { filter: 'all', query: '', rangeScore: 'overall', rangeMin: 1, rangeMax: 5, sortKey: 'pack', descending: false };
const ids = (q: Partial<RowQuery>) => visibleRows(rows, { ...base, ...q }, 3).map((r) => r.id);

describe('visibleRows', () => {
  it('filters by completeness and low agreement', () => {
    expect(ids({})).toEqual(['a1', 'b2', 'c3', 'd4', 'g5']);
    // A gold item is neither incomplete nor complete: it never enters the dataset.
    expect(ids({ filter: 'incomplete' })).toEqual(['b2', 'c3']);
    expect(ids({ filter: 'complete' })).toEqual(['a1', 'd4']);
    expect(ids({ filter: 'low' })).toEqual(['b2']);
  });
  it("filters to one annotator's items (ordinary and gold), with the other filters on top", () => {
    expect(ids({ items: new Set(['d4', 'g5', 'b2']) })).toEqual(['b2', 'd4', 'g5']);
    expect(ids({ items: new Set(['d4', 'g5', 'b2']), filter: 'complete' })).toEqual(['d4']);
    expect(ids({ items: new Set() })).toEqual([]);
  });
  it('filters by a mean score range (items without scores drop out) and by text, case-insensitively', () => {
    expect(ids({ rangeMin: 2, rangeMax: 3 })).toEqual(['b2', 'd4']);
    expect(ids({ query: 'red', filter: 'incomplete' })).toEqual(['c3']);
    expect(ids({ query: 'red' })).toEqual(['a1', 'c3']);
    expect(ids({ query: ' B2 ' })).toEqual(['b2']);
  });
  it('sorts with ties in pack order and missing values last in both directions', () => {
    expect(ids({ sortKey: 'overall' })).toEqual(['b2', 'd4', 'a1', 'c3', 'g5']);
    expect(ids({ sortKey: 'overall', descending: true })).toEqual(['a1', 'b2', 'd4', 'c3', 'g5']);
    expect(ids({ sortKey: 'spread', descending: true })).toEqual(['b2', 'a1', 'd4', 'c3', 'g5']);
    expect(ids({ sortKey: 'heatmap' })).toEqual(['b2', 'a1', 'c3', 'd4', 'g5']);
    expect(ids({ sortKey: 'done' })).toEqual(['c3', 'g5', 'b2', 'a1', 'd4']);
    expect(ids({ sortKey: 'pack', descending: true })).toEqual(['g5', 'd4', 'c3', 'b2', 'a1']);
  });
});
