/**
 * The lead's review page (`#/review`, loaded lazily): import the annotators' files, see the
 * agreement, inspect items and export the dataset with the same engine as `richhf consolidate`.
 * Everything heavy runs in review.worker.ts; imported files and settings persist in
 * IndexedDB (src/storage/reviewFiles.ts). Untrusted text (ids, prompts, names) is React text only.
 * A pack of comparison items gets the comparison report's panels; a pack of both kinds gets the
 * rating review and, below it, the comparison report of the same imported files.
 */
import { useEffect, useRef, useState } from 'react';
import { comparisonItems, type TaskPack } from '../../core/formats/taskpack.ts';
import { ComparisonPackFound, DEMO_PACK_URL, loadPackFromFiles, loadPackFromUrl, PackLoadError, type LoadedPack } from '../pack/loadPack.ts';
import { ComparisonReview } from './ComparisonReview.tsx';
import { AgreementPanel } from './AgreementPanel.tsx';
import { EvaluationPanel } from './EvaluationPanel.tsx';
import { ExportPanel } from './ExportPanel.tsx';
import { ImportPanel } from './ImportPanel.tsx';
import { ItemTable } from './ItemTable.tsx';
import { ItemView } from './ItemView.tsx';
import { QualityPanel } from './QualityPanel.tsx';
import { stopReviewWorker, useReviewStore } from './reviewStore.ts';
import './review.css';

/** `?pack=` from the query string, or from the hash route's own query (`#/review?pack=`). */
function packParam(): string | null {
  const fromSearch = new URLSearchParams(window.location.search).get('pack');
  if (fromSearch) return fromSearch;
  const q = window.location.hash.indexOf('?');
  return q >= 0 ? new URLSearchParams(window.location.hash.slice(q + 1)).get('pack') : null;
}

function errorLines(e: unknown): string[] {
  if (e instanceof PackLoadError) return e.message.split('\n');
  return [e instanceof Error ? e.message : String(e)];
}

export default function ReviewPage() {
  const pack = useReviewStore((s) => s.pack);
  const start = useReviewStore((s) => s.start);
  const files = useReviewStore((s) => s.files);
  const actionError = useReviewStore((s) => s.actionError);
  const dismissError = useReviewStore((s) => s.dismissError);
  const [packErrors, setPackErrors] = useState<string[]>([]);
  const [loading, setLoading] = useState(true);
  /** A pack of comparison items: its own panels (the rating panels take rating items). */
  const [comparison, setComparison] = useState<TaskPack | null>(null);
  /** A local pack was opened: the start pack (?pack= or the demo), if it comes later, is not shown over it. */
  const localOpened = useRef(false);

  useEffect(() => {
    let live = true;
    const url = packParam() ?? DEMO_PACK_URL;
    loadPackFromUrl(url)
      .then((p) => (live && !localOpened.current ? start(p) : undefined))
      .catch((e: unknown) => {
        if (!live || localOpened.current) return;
        if (e instanceof ComparisonPackFound) setComparison(e.loaded.pack);
        else setPackErrors(errorLines(e));
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
      stopReviewWorker();
    };
  }, [start]);

  const openLocalPack = (files: File[]) => {
    localOpened.current = true;
    setPackErrors([]);
    loadPackFromFiles(files)
      .then((p: LoadedPack) => {
        setComparison(null);
        return start(p);
      })
      .catch((e: unknown) => (e instanceof ComparisonPackFound ? setComparison(e.loaded.pack) : setPackErrors(errorLines(e))));
  };

  return (
    <main className="rv-page">
      <header className="rv-header">
        <h1>Review</h1>
        {comparison ? (
          <p>
            Comparison pack <strong>{comparison.name}</strong>: {comparison.items.length} pairs, {comparison.annotatorsPerItem} annotators per pair.
          </p>
        ) : pack ? (
          <p>
            Pack <strong>{pack.pack.name}</strong>: {pack.pack.items.length} items{pack.pairs ? ` and ${comparisonItems(pack.pairs.pack).length} pairs` : ''},{' '}
            {pack.pack.annotatorsPerItem} annotators per item.
          </p>
        ) : (
          <p role="status">{loading ? 'Loading the task pack…' : 'No task pack loaded.'}</p>
        )}
        <label className="rv-hint">
          Open a local pack (its JSON and images) <input type="file" multiple accept=".json,image/*" onChange={(e) => openLocalPack([...(e.target.files ?? [])])} />
        </label>
      </header>
      {packErrors.length > 0 && (
        <div role="alert" className="rv-errors">
          <p>The task pack could not be loaded:</p>
          <ul>
            {packErrors.map((l, i) => (
              <li key={i}>{l}</li>
            ))}
          </ul>
        </div>
      )}
      {actionError && (
        <div role="alert" className="rv-errors">
          <p>{actionError}</p>
          <button type="button" onClick={dismissError}>
            Dismiss
          </button>
        </div>
      )}
      {comparison && <ComparisonReview key={comparison.name} pack={comparison} />}
      {pack && !comparison && (
        <>
          <ImportPanel />
          <ReviewPanels parquet />
          {pack.pairs && <ComparisonReview key={pack.pairs.pack.name} pack={pack.pairs.pack} shared={files} />}
        </>
      )}
    </main>
  );
}

/**
 * Everything below the files: warnings, agreement, annotator quality, the item table and view,
 * exports, evaluation (also the collection server's dashboard). `parquet`: the exports offer the
 * Parquet download made here (the dashboard has the server's).
 */
export function ReviewPanels({ parquet = false }: { parquet?: boolean }) {
  const warnings = useReviewStore((s) => s.warnings);
  return (
    <>
      {warnings.length > 0 && (
        <details className="rv-panel">
          <summary>{warnings.length} warnings</summary>
          <ul>
            {warnings.slice(0, 200).map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </details>
      )}
      <AgreementPanel />
      <QualityPanel />
      <ItemTable />
      <ItemView />
      <ExportPanel parquet={parquet} />
      <EvaluationPanel />
    </>
  );
}
