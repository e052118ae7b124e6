/**
 * The annotator page on a pack of comparison items (issue 18), a chunk of its own loaded only
 * for such a pack: who is annotating, then the pair workspace, then the finished screen. On a
 * pack of both kinds it comes after the rating items (`back` returns to them, from the bar or the
 * finished screen), and its Export
 * holds both kinds (`rated`: the items rated).
 */
import { useEffect, useState } from 'react';
import { idSchema } from '../../core/formats/index.ts';
import type { RatingRecord } from '../../core/formats/annotations.ts';
import type { LoadedComparisonPack } from '../pack/loadPack.ts';
import { PairWorkspace } from './PairWorkspace.tsx';
import { exportPairs, openPairs, showPair, usePairStore } from './pairStore.ts';

export function PairApp({ loaded, annotator, back, rated }: { loaded: LoadedComparisonPack; annotator: string | null; back?: () => void; rated?: () => readonly RatingRecord[] }) {
  const open = usePairStore((s) => s.loaded !== null);
  const finished = usePairStore((s) => s.finished);
  const count = usePairStore((s) => s.submitted.size);
  const pairCount = loaded.imageUrls.length;
  useEffect(() => {
    if (annotator) void openPairs(loaded, annotator, rated);
  }, [loaded, annotator, rated]);
  if (!open) return annotator ? <p className="loading">Opening your work…</p> : <PairStart loaded={loaded} onStart={(id) => void openPairs(loaded, id)} />;
  if (finished) {
    return (
      <main className="center-card">
        <h1>All pairs done</h1>
        <p role="status">
          {count} of {pairCount} pairs submitted. Export your annotations and send the file to the project lead.
          {back && ' The file holds the items you rated too.'}
        </p>
        <button type="button" className="primary" onClick={exportPairs}>
          Export annotations
        </button>
        <button type="button" onClick={() => showPair(0)}>
          Back to the pairs
        </button>
        {back && (
          <button type="button" onClick={back}>
            Back to the rated items
          </button>
        )}
      </main>
    );
  }
  return (
    <PairWorkspace
      topBar={
        back && (
          <button type="button" onClick={back}>
            Back to the rated items
          </button>
        )
      }
    />
  );
}

function PairStart({ loaded, onStart }: { loaded: LoadedComparisonPack; onStart: (id: string) => void }) {
  const [id, setId] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <main className="center-card">
      <h1>richhf-studio</h1>
      <p>
        Comparison pack <strong>{loaded.pack.name}</strong>: {loaded.pack.items.length} pairs.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const r = idSchema.safeParse(id.trim());
          if (!r.success) setError(`Annotator ID ${r.error.issues[0]?.message ?? 'is invalid'}.`);
          else onStart(r.data);
        }}
      >
        <label htmlFor="pair-annotator-id">Annotator ID</label>
        <input id="pair-annotator-id" value={id} onChange={(e) => setId(e.target.value)} autoComplete="username" />
        <button type="submit">Start</button>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </form>
      {loaded.pack.instructions && <p className="pairs-instructions">{loaded.pack.instructions}</p>}
    </main>
  );
}
