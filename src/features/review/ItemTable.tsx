import { useEffect, useRef, useState } from 'react';
import { SCORE_NAMES, type ScoreName } from '../../core/formats/index.ts';
import { useReviewStore } from './reviewStore.ts';
import { maxSpread, useTableView, useVisibleRows, type RowFilter, type SortKey, type TableRow } from './tableView.ts';

/**
 * Row height in CSS pixels; fixed so the window of rendered rows is simple arithmetic. On narrow
 * screens (review.css, up to 699 px) a row is four lines, so every figure of an item is on screen.
 */
const ROW_HEIGHT = 56;
const ROW_HEIGHT_NARROW = 184;
const NARROW = '(max-width: 699px)';
const VIEW_HEIGHT = 448;
const OVERSCAN = 6;

function useRowHeight(): number {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW).matches);
  useEffect(() => {
    const query = window.matchMedia(NARROW);
    const change = () => setNarrow(query.matches);
    query.addEventListener('change', change);
    return () => query.removeEventListener('change', change);
  }, []);
  return narrow ? ROW_HEIGHT_NARROW : ROW_HEIGHT;
}

const SHORT: Record<ScoreName, string> = { plausibility: 'Plausibility', alignment: 'Alignment', aesthetics: 'Aesthetics', overall: 'Overall' };

const COLUMNS: { key: SortKey | null; label: string }[] = [
  { key: 'id', label: 'Id' },
  { key: null, label: 'Image' },
  { key: null, label: 'Prompt' },
  { key: 'done', label: 'Done' },
  ...SCORE_NAMES.map((s) => ({ key: s, label: SHORT[s] })),
  { key: 'spread', label: 'Max spread' },
  { key: 'heatmap', label: 'Heatmap agreement' },
  { key: null, label: 'Flag' },
];

const fmt = (v: number | null | undefined, digits = 2) => (v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits));

function Filters() {
  const view = useTableView();
  const settings = useReviewStore((s) => s.settings);
  const setSettings = useReviewStore((s) => s.setSettings);
  const itemsOf = useReviewStore((s) => s.itemsOf);
  return (
    <div className="rv-filters">
      <label>
        Annotator{' '}
        <select value={view.annotator ?? ''} onChange={(e) => view.set({ annotator: e.target.value === '' ? null : e.target.value })}>
          <option value="">Everyone</option>
          {[...itemsOf].map(([annotator, items]) => (
            <option key={annotator} value={annotator}>
              {annotator} ({items.length})
            </option>
          ))}
        </select>
      </label>
      <label>
        Show{' '}
        <select value={view.filter} onChange={(e) => view.set({ filter: e.target.value as RowFilter })}>
          <option value="all">All items</option>
          <option value="incomplete">Incomplete</option>
          <option value="complete">Complete</option>
          <option value="low">Low agreement</option>
        </select>
      </label>
      <label>
        Search <input type="search" value={view.query} onChange={(e) => view.set({ query: e.target.value })} placeholder="id or prompt" />
      </label>
      <fieldset className="rv-range">
        <legend>Mean score range</legend>
        <label>
          Score{' '}
          <select value={view.rangeScore} onChange={(e) => view.set({ rangeScore: e.target.value as ScoreName })}>
            {SCORE_NAMES.map((s) => (
              <option key={s} value={s}>
                {SHORT[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          From <input type="number" min={1} max={5} step={0.5} value={view.rangeMin} onChange={(e) => view.set({ rangeMin: Number(e.target.value) || 1 })} />
        </label>
        <label>
          To <input type="number" min={1} max={5} step={0.5} value={view.rangeMax} onChange={(e) => view.set({ rangeMax: Number(e.target.value) || 5 })} />
        </label>
      </fieldset>
      <fieldset className="rv-range">
        <legend>Low agreement flag</legend>
        <label>
          Score spread at least{' '}
          <select value={settings.lowSpread} onChange={(e) => setSettings({ lowSpread: Number(e.target.value) })}>
            {[1, 2, 3, 4].map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label>
          or heatmap agreement below{' '}
          <input
            type="number"
            min={0}
            max={1}
            step={0.05}
            value={settings.lowHeatmap}
            onChange={(e) => setSettings({ lowHeatmap: Math.max(0, Math.min(1, Number(e.target.value) || 0)) })}
          />
        </label>
      </fieldset>
    </div>
  );
}

function Row({
  row,
  position,
  required,
  selected,
  height,
  onOpen,
}: {
  row: TableRow;
  position: number;
  required: number;
  selected: boolean;
  height: number;
  onOpen: (id: string) => void;
}) {
  const s = row.summary;
  const done = s?.done ?? 0;
  const flags = row.gold ? 'Gold item' : [done < required ? 'Incomplete' : null, s?.lowAgreement ? 'Low agreement' : null].filter(Boolean).join(', ');
  return (
    <div
      role="row"
      aria-rowindex={position + 2}
      className={selected ? 'rv-row rv-row-selected' : 'rv-row'}
      style={{ height }}
      aria-current={selected ? 'true' : undefined}
      onClick={() => onOpen(row.id)}
    >
      <div role="cell">
        <button type="button" className="rv-link rv-trunc" onClick={(e) => (e.stopPropagation(), onOpen(row.id))} aria-label={`Open item ${row.id}`}>
          {row.id}
        </button>
      </div>
      <div role="cell">{row.imageUrl ? <img src={row.imageUrl} alt="" loading="lazy" decoding="async" width={48} height={48} className="rv-thumb" /> : null}</div>
      <div role="cell" className="rv-prompt" title={row.prompt}>
        {row.prompt}
      </div>
      <div role="cell">{row.gold ? 'gold' : `${done} / ${required}`}</div>
      {SCORE_NAMES.map((n) => (
        <div role="cell" key={n}>
          {fmt(s?.means[n])}
          {s && s.done > 1 && <span className={s.spreads[n] >= 2 ? 'rv-spread rv-spread-high' : 'rv-spread'}> Δ{s.spreads[n]}</span>}
        </div>
      ))}
      <div role="cell">{fmt(maxSpread(s), 0)}</div>
      <div role="cell">{fmt(s?.heatmapAgreement)}</div>
      <div role="cell" className={flags ? 'rv-flag' : undefined}>
        {flags}
      </div>
    </div>
  );
}

/** All pack items, virtualized: only the rows in (and just around) the viewport are in the DOM. */
export function ItemTable() {
  const rows = useVisibleRows();
  const total = useReviewStore((s) => s.pack?.pack.items.length ?? 0);
  const required = useReviewStore((s) => s.settings.minAnnotators || s.pack?.pack.annotatorsPerItem || 1);
  const selectedId = useReviewStore((s) => s.selectedId);
  const select = useReviewStore((s) => s.select);
  const { sortKey, descending, set, annotator } = useTableView();
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const rowHeight = useRowHeight();

  // Keep the selected row in view when Next/Previous moves past the window.
  useEffect(() => {
    const el = scroller.current;
    if (!el || selectedId === null) return;
    const i = rows.findIndex((r) => r.id === selectedId);
    if (i < 0) return;
    const top = i * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
  }, [selectedId, rows, rowHeight]);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + VIEW_HEIGHT) / rowHeight) + OVERSCAN);

  // Opening from the table brings the item view (below the table) into sight.
  const open = (id: string) => {
    select(id);
    requestAnimationFrame(() => document.getElementById('item-heading')?.scrollIntoView({ block: 'start' }));
  };

  const sortBy = (key: SortKey) => set(sortKey === key ? { descending: !descending } : { sortKey: key, descending: false });

  return (
    <section aria-labelledby="items-heading" className="rv-panel">
      <h2 id="items-heading">Items</h2>
      <Filters />
      <p role="status" className="rv-count">
        {rows.length} of {total} items shown{annotator !== null ? `: the items of ${annotator}` : ''}
      </p>
      <p className="rv-hint">
        Scores: the mean of the annotators&apos; scores and Δ, its maxScoreDiff (max − min). Heatmap agreement: mean Dice of the annotators&apos; disc masks. Gold items (with a
        reference answer) never enter the dataset; their answers are for the quality table.
      </p>
      <div role="table" aria-label="Items" aria-rowcount={rows.length + 1} className="rv-table">
        <div role="rowgroup">
          <div role="row" aria-rowindex={1} className="rv-row rv-head">
            {COLUMNS.map((c) => (
              <div role="columnheader" key={c.label} aria-sort={c.key && c.key === sortKey ? (descending ? 'descending' : 'ascending') : undefined}>
                {c.key ? (
                  <button type="button" className="rv-sort" onClick={() => sortBy(c.key!)}>
                    {c.label}
                    {c.key === sortKey ? (descending ? ' ▼' : ' ▲') : ''}
                  </button>
                ) : (
                  c.label
                )}
              </div>
            ))}
          </div>
        </div>
        <div
          role="rowgroup"
          ref={scroller}
          className="rv-scroll"
          style={{ height: VIEW_HEIGHT }}
          onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
          tabIndex={0}
          aria-label="Item rows"
        >
          <div style={{ height: rows.length * rowHeight, position: 'relative' }}>
            <div style={{ position: 'absolute', top: first * rowHeight, left: 0, right: 0 }}>
              {rows.slice(first, last).map((r, k) => (
                <Row key={r.id} row={r} position={first + k} required={required} selected={r.id === selectedId} height={rowHeight} onOpen={open} />
              ))}
            </div>
          </div>
        </div>
      </div>
    </section>
  );
}
