/**
 * Annotator quality (src/core/quality, computed in the review worker): one row per annotator
 * with the gold, agreement and behaviour figures and their flags, sortable by any column; a row
 * opens the annotator's items in the item table and view. The lead's flag thresholds are
 * settings (kept in this browser); changing one only flags again, the figures stay.
 *
 * On a collection server's dashboard (serverQuality.ts) the table is the server's, live, with a
 * Reject or Accept button per annotator, and the thresholds are kept on the server.
 */
import { useState } from 'react';
import type { AnnotatorQuality, QualityThresholds } from '../../core/formats/quality.ts';
import { DEFAULT_QUALITY_THRESHOLDS } from '../../core/quality/flags.ts';
import { sortAnnotators, type QualitySortKey } from './qualityRows.ts';
import { useReviewStore } from './reviewStore.ts';
import { visibleRows } from './rows.ts';
import { useServerQuality, type ServerQuality } from './serverQuality.ts';
import { useAllRows, useTableView } from './tableView.ts';

const fixed = (x: number | null, digits = 2) => (x === null ? '–' : x.toFixed(digits));
const percent = (x: number | null) => (x === null ? '–' : `${Math.round(100 * x)}%`);

const COLUMNS: readonly { key: QualitySortKey; label: string; cell: (a: AnnotatorQuality) => string }[] = [
  { key: 'submissions', label: 'Items', cell: (a) => String(a.submissions) },
  { key: 'goldItems', label: 'Gold items', cell: (a) => String(a.gold.items) },
  { key: 'goldScore', label: 'Gold score', cell: (a) => fixed(a.gold.score) },
  { key: 'agreementItems', label: 'Shared items', cell: (a) => String(a.agreement.items) },
  { key: 'scoreDeviation', label: 'Score deviation', cell: (a) => fixed(a.agreement.scoreDeviation) },
  { key: 'wordAgreement', label: 'Word agreement', cell: (a) => fixed(a.agreement.wordAgreement) },
  { key: 'discCC', label: 'Disc CC', cell: (a) => fixed(a.agreement.discCC) },
  { key: 'sameScores', label: 'Same scores', cell: (a) => percent(a.behaviour.sameScoresShare) },
  { key: 'noPoints', label: 'No points', cell: (a) => percent(a.behaviour.noPointsShare) },
  { key: 'activeMs', label: 'Median active time', cell: (a) => (a.medianActiveMs === null ? '–' : `${(a.medianActiveMs / 1000).toFixed(1)} s`) },
];

/** The threshold inputs: field, label, range and step. */
const THRESHOLD_FIELDS: readonly { field: keyof QualityThresholds; label: string; min: number; max: number; step: number }[] = [
  { field: 'minGoldScore', label: 'Gold score below', min: 0, max: 1, step: 0.05 },
  { field: 'minGoldItems', label: 'given at least this many gold items', min: 1, max: 1000, step: 1 },
  { field: 'maxScoreDeviation', label: 'Score deviation above (points)', min: 0, max: 4, step: 0.1 },
  { field: 'minWordAgreement', label: 'Word agreement below', min: 0, max: 1, step: 0.05 },
  { field: 'minDiscCC', label: 'Disc CC below', min: -1, max: 1, step: 0.05 },
  { field: 'maxSameScores', label: 'Same scores on more than (share)', min: 0, max: 1, step: 0.05 },
  { field: 'maxNoPoints', label: 'No points on more than (share)', min: 0, max: 1, step: 0.05 },
  { field: 'minItems', label: 'given at least this many items', min: 1, max: 1000, step: 1 },
  { field: 'minActiveShare', label: "Median active time below (share of the others')", min: 0, max: 1, step: 0.05 },
];

function Thresholds({ server }: { server: ServerQuality | null }) {
  const local = useReviewStore((s) => s.settings.quality);
  const setSettings = useReviewStore((s) => s.setSettings);
  const thresholds = server ? { ...DEFAULT_QUALITY_THRESHOLDS, ...server.quality?.thresholds } : local;
  const save = (t: QualityThresholds) => (server ? void server.setThresholds(t) : setSettings({ quality: t }));
  const change = (field: keyof QualityThresholds, min: number, max: number, integer: boolean, text: string) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) return;
    const v = Math.max(min, Math.min(max, integer ? Math.round(n) : n));
    save({ ...thresholds, [field]: v });
  };
  return (
    <details className="rv-thresholds">
      <summary>Flag thresholds</summary>
      <div className="rv-filters">
        {THRESHOLD_FIELDS.map(({ field, label, min, max, step }) => (
          <label key={field}>
            {label} <input type="number" min={min} max={max} step={step} value={thresholds[field]} onChange={(e) => change(field, min, max, step === 1, e.target.value)} />
          </label>
        ))}
        <button type="button" onClick={() => save(DEFAULT_QUALITY_THRESHOLDS)}>
          Default thresholds
        </button>
      </div>
    </details>
  );
}

/** Reject (the flags' sentences are the reason kept) or accept again, on a server. */
function Decision({ a, server }: { a: AnnotatorQuality; server: ServerQuality }) {
  const busy = server.deciding.has(a.id);
  if (a.status === 'rejected') {
    return (
      <button type="button" disabled={busy} onClick={() => void server.accept(a.id)} aria-label={`Accept ${a.id} again`}>
        Accept
      </button>
    );
  }
  const reason = a.flags.length > 0 ? a.flags.map((f) => f.message).join('; ') : 'rejected by the lead on the dashboard';
  return (
    <button type="button" disabled={busy} onClick={() => void server.reject(a.id, reason)} aria-label={`Reject ${a.id}`}>
      Reject
    </button>
  );
}

export function QualityPanel() {
  const server = useServerQuality((s) => s.source);
  const computed = useReviewStore((s) => s.quality);
  const quality = server ? server.quality : computed;
  const itemsOf = useReviewStore((s) => s.itemsOf);
  const select = useReviewStore((s) => s.select);
  const required = useReviewStore((s) => s.settings.minAnnotators || s.pack?.pack.annotatorsPerItem || 1);
  const view = useTableView();
  const all = useAllRows();
  const [sort, setSort] = useState<{ key: QualitySortKey; descending: boolean }>({ key: 'id', descending: false });
  if (!quality || quality.annotators.length === 0) return null;

  const sorted = sortAnnotators(quality.annotators, sort.key, sort.descending);
  const flagged = quality.annotators.filter((a) => a.flags.length > 0).length;
  const rejected = quality.annotators.filter((a) => a.status === 'rejected').length;
  const sortBy = (key: QualitySortKey) => setSort((s) => (s.key === key ? { key, descending: !s.descending } : { key, descending: false }));
  const ariaSort = (key: QualitySortKey) => (sort.key === key ? (sort.descending ? 'descending' : 'ascending') : undefined);
  const header = (key: QualitySortKey, label: string) => (
    <th scope="col" key={key} aria-sort={ariaSort(key)}>
      <button type="button" className="rv-sort" onClick={() => sortBy(key)}>
        {label}
        {sort.key === key ? (sort.descending ? ' ▼' : ' ▲') : ''}
      </button>
    </th>
  );

  // The annotator's items in the item table (other filters cleared), the first of them in the item view.
  const openItems = (annotator: string) => {
    const query = { filter: 'all', query: '', rangeMin: 1, rangeMax: 5, annotator } as const;
    view.set(query);
    const first = visibleRows(all, { ...view, ...query, items: new Set(itemsOf.get(annotator) ?? []) }, required)[0];
    if (!first) return;
    select(first.id);
    requestAnimationFrame(() => document.getElementById('item-heading')?.scrollIntoView({ block: 'start' }));
  };

  return (
    <section aria-labelledby="quality-heading" className="rv-panel">
      <h2 id="quality-heading">Annotator quality</h2>
      <p role="status">
        {quality.annotators.length} annotators, {flagged} flagged{server ? `, ${rejected} rejected` : ''}.
      </p>
      <div className="rv-table-wrap">
        <table className="rv-annotators rv-quality" aria-label="Annotator quality">
          <thead>
            <tr>
              {header('id', 'Annotator')}
              {COLUMNS.map((c) => header(c.key, c.label))}
              {header('flags', 'Flags')}
              <th scope="col">
                <span className="rv-sr">Items</span>
              </th>
              {server && (
                <th scope="col">
                  <span className="rv-sr">Decision</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {sorted.map((a) => (
              <tr key={a.id} className={a.flags.length > 0 ? 'rv-flagged' : undefined}>
                <th scope="row">
                  {a.id}
                  {a.status === 'rejected' && <span className="rv-caption"> (rejected)</span>}
                </th>
                {COLUMNS.map((c) => (
                  <td key={c.key}>{c.cell(a)}</td>
                ))}
                <td className="rv-flag-list">
                  {a.flags.length === 0 ? (
                    'none'
                  ) : (
                    <ul>
                      {a.flags.map((f) => (
                        <li key={f.code}>
                          <strong>{f.code}</strong>: {f.message}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>
                  <button type="button" onClick={() => openItems(a.id)} aria-label={`Open the items of ${a.id}`} disabled={(itemsOf.get(a.id)?.length ?? 0) === 0}>
                    Open items
                  </button>
                </td>
                {server && (
                  <td>
                    <Decision a={a} server={server} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Thresholds server={server} />
      {server && (
        <p className="rv-hint">
          Reject: the annotator gets no more work and is thanked; their submissions stop counting and leave the dataset, and their items go back to annotators who never had them.
          Accept undoes it (an item others filled meanwhile keeps one annotation more). The server keeps every decision (GET /api/v1/quality/decisions).
        </p>
      )}
      <p className="rv-hint">
        Gold score: on gold items, the mean of the share of scales within ±1 of the reference, the F1 of the marked words and the F1 of the disc area (radius H/20) against the
        reference. On ordinary items, against the other annotators of each item (leave-one-out): score deviation = mean |own − their mean| in points; word agreement = F1 with their
        majority; disc CC = correlation of the own disc map with their mean map. Same scores = share of items with the annotator&apos;s most frequent four scores; no points = share
        of the items where others marked points and this annotator none. A figure resting on too few items never flags.
      </p>
    </section>
  );
}
