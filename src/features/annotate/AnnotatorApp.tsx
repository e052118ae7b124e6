/**
 * The annotator page: load the pack, learn who the annotator is, open their stored work
 * (one tab at a time), then show the workspace.
 */
import { useEffect, useRef, useState } from 'react';
import { chunkComponent } from '../chunkComponent.tsx';
import { idSchema } from '../../core/formats/index.ts';
import { loadLastAnnotator } from '../../storage/annotatorWork.ts';
import { clearLocalPack, loadLocalPack, saveLocalPack } from '../../storage/localPack.ts';
import {
  ComparisonPackFound,
  DEMO_PACK_URL,
  loadPackFromEntries,
  loadPackFromFiles,
  loadPackFromUrl,
  PackLoadError,
  type LoadedComparisonPack,
  type LoadedPack,
} from '../pack/loadPack.ts';
import { LocalFileActions } from './LocalFileActions.tsx';
import { OtherTab } from './OtherTab.tsx';
import { installAutosave, openPack, startSession } from './session.ts';
import { Workspace } from './Workspace.tsx';
import { loadLater } from '../laterChunks.ts';
import { plural } from './workSummary.ts';
import { loadingPack, packFailed, showNotice, useWorkspaceStore } from './workspaceStore.ts';

/** `?pack=` if given; else the local pack opened last (kept in storage); else the demo pack. */
async function openStartPack(url: string | null): Promise<LoadedPack> {
  if (url) return loadPackFromUrl(url);
  const kept = await loadLocalPack().catch(() => null);
  if (kept?.setAside) {
    showNotice(`The pack you opened last could not be read back from this browser (${kept.setAside}); it was set aside, not deleted. Open it again.`, true);
  }
  if (kept?.files) {
    try {
      return await loadPackFromEntries(kept.files);
    } catch {
      // The kept copy no longer opens (the pack is the annotator's file on disk; the work is kept apart).
      await clearLocalPack().catch((e: unknown) => console.warn('richhf: could not forget the local pack', e));
    }
  }
  return loadPackFromUrl(DEMO_PACK_URL);
}

/** The items rated on this page: a pack of both kinds exports them with its pairs (PairApp.tsx). */
const ratedItems = () => [...useWorkspaceStore.getState().submitted.values()];

/** Export on a pack of both kinds (bothKindsFile.ts, a chunk loaded then: a rating pack never needs it). */
function exportBothKinds(): void {
  import('./bothKindsFile.ts').then(
    (m) => m.exportBothKinds(),
    (e: unknown) => showNotice(`Nothing was exported: a part of the page could not be loaded (${e instanceof Error ? e.message : String(e)}).`, true),
  );
}

// A pack of comparison items opens the pair workspace, a chunk of its own: rating packs never load it.
const PairApp = chunkComponent(
  () => import('../compare/PairApp.tsx'),
  (m) => m.PairApp,
  <p className="loading">Loading…</p>,
);

// The end of the pack is a chunk of its own, loaded once the first item is on show (laterChunks.ts).
// A pack opened already done waits for it on "Opening your work…" (the screen it shows already),
// so the finished screen does not show a loading placeholder first.
const PackDone = chunkComponent(
  () => import('./PackDone.tsx'),
  (m) => m.PackDone,
  <p className="loading">Loading…</p>,
);

/** The page's way to the pair workspace for a comparison pack opened from disk (OpenLocalPack is used on several screens). */
const pairListeners = new Set<(loaded: LoadedComparisonPack) => void>();

/** The pair workspace on show: a pack of comparison items, or the pairs of a pack of both kinds (`mixed`: its rating items are one step back). */
interface PairsShown {
  readonly loaded: LoadedComparisonPack;
  readonly annotator: string | null;
  readonly mixed: boolean;
}

function params() {
  const q = new URLSearchParams(window.location.search);
  return { pack: q.get('pack'), annotator: q.get('annotator') };
}

export function AnnotatorApp() {
  const phase = useWorkspaceStore((s) => s.phase);
  const loaded = useWorkspaceStore((s) => s.loaded);
  const finished = useWorkspaceStore((s) => s.finished);
  const waitForDone = phase.kind === 'ready' && finished && !PackDone.isLoaded();
  const [doneTried, setDoneTried] = useState(false);
  useEffect(() => loadLater(() => void PackDone.preload()), []);
  useEffect(() => {
    // preload() never rejects: a chunk that failed is left to the lazy component to report.
    if (waitForDone) void PackDone.preload().then(() => setDoneTried(true));
  }, [waitForDone]);
  const [rememberedAnnotator, setRemembered] = useState<string | null | undefined>(undefined);
  const [pairs, setPairs] = useState<PairsShown | null>(null);
  useEffect(() => {
    const show = (loaded: LoadedComparisonPack) => setPairs({ loaded, annotator: null, mixed: false });
    pairListeners.add(show);
    return () => void pairListeners.delete(show);
  }, []);

  useEffect(() => installAutosave(), []);
  // A pack of both kinds: the pair workspace's code comes while the items are rated.
  const hasPairs = loaded?.pairs !== undefined;
  useEffect(() => {
    if (hasPairs) void PairApp.preload();
  }, [hasPairs]);

  // Load the pack named in the URL (or the demo), and find out who is annotating.
  useEffect(() => {
    let live = true;
    const { pack, annotator } = params();
    loadingPack('Loading the task pack…');
    const who = annotator ? Promise.resolve(annotator) : loadLastAnnotator().catch(() => null);
    const validWho = async () => {
      const w = await who;
      return w !== null && idSchema.safeParse(w).success ? w : null;
    };
    Promise.all([openStartPack(pack), validWho()])
      .then(([lp, valid]) => {
        if (!live) return;
        if (!valid) setRemembered(null);
        openPack(lp, valid);
      })
      .catch(async (e: unknown) => {
        if (!live) return;
        if (e instanceof ComparisonPackFound) {
          // The static page on a pack of comparison items: the pair workspace (only ?annotator= picks the annotator at once).
          const [who] = await Promise.all([annotator && validWho(), PairApp.preload()]);
          if (live) setPairs({ loaded: e.loaded, annotator: who, mixed: false });
          return;
        }
        const errors = e instanceof PackLoadError ? e.message.split('\n') : [String(e)];
        packFailed(errors);
      });
    return () => {
      live = false;
    };
  }, []);

  if (pairs) {
    return <PairApp loaded={pairs.loaded} annotator={pairs.annotator} back={pairs.mixed ? () => setPairs(null) : undefined} rated={pairs.mixed ? ratedItems : undefined} />;
  }
  switch (phase.kind) {
    case 'loading':
      return <p className="loading">{phase.message}</p>;
    case 'error':
      return (
        <main className="center-card">
          <h1>{phase.title}</h1>
          <div role="alert">
            <ul className="errors">
              {phase.errors.map((e, i) => (
                <li key={i}>{e}</li>
              ))}
            </ul>
          </div>
          <p>Nothing you stored before was changed.</p>
          <OpenLocalPack />
        </main>
      );
    case 'identify':
      // Before the start pack is open (the store starts here, and the effect above marks the
      // loading after the first render), no way to open another: the start pack would replace it.
      if (!loaded) return <p className="loading">Loading the task pack…</p>;
      return <StartForm loaded={loaded} suggested={rememberedAnnotator ?? ''} />;
    case 'busy':
    case 'lost':
      return <OtherTab lost={phase.kind === 'lost'} />;
    case 'ready': {
      if (waitForDone && !doneTried) return <p className="loading">Opening your work…</p>;
      const both = loaded?.pairs;
      const toPairs = both && {
        count: both.imageUrls.length,
        open: () => setPairs({ loaded: both, annotator: useWorkspaceStore.getState().annotator, mixed: true }),
        exportFile: exportBothKinds,
      };
      return <Workspace fileActions={<LocalFileActions toPairs={toPairs?.open} />} doneScreen={<PackDone pairs={toPairs} />} exportFile={both ? exportBothKinds : undefined} />;
    }
  }
}

function StartForm({ loaded, suggested }: { loaded: LoadedPack; suggested: string }) {
  const [id, setId] = useState(suggested);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => inputRef.current?.focus(), []);
  return (
    <main className="center-card">
      <h1>richhf-studio</h1>
      <p>
        Task pack <strong>{loaded.pack.name}</strong>: {plural(loaded.pack.items.length, 'item')}
        {loaded.pairs && <> to rate, then {plural(loaded.pairs.imageUrls.length, 'pair')} to compare</>}.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const r = idSchema.safeParse(id.trim());
          if (!r.success) {
            setError(`Annotator ID ${r.error.issues[0]?.message ?? 'is invalid'}.`);
            return;
          }
          void startSession(r.data, loaded);
        }}
      >
        <label htmlFor="annotator-id">Annotator ID</label>
        <input
          id="annotator-id"
          ref={inputRef}
          value={id}
          onChange={(e) => setId(e.target.value)}
          autoComplete="username"
          aria-describedby={error ? 'annotator-error' : undefined}
        />
        <button type="submit">Start</button>
        {error && (
          <p id="annotator-error" role="alert" className="error">
            {error}
          </p>
        )}
      </form>
      <p className="hint">Your work is saved in this browser as you go, per annotator and per pack.</p>
      <OpenLocalPack />
      <p className="hint">
        Project lead? <a href={`${window.location.search}#/review`}>Open the review page</a> to import annotators' files and export the dataset.
      </p>
    </main>
  );
}

/** Open a pack from disk: its JSON file plus its images (a folder, or several files). */
export function OpenLocalPack() {
  const [error, setError] = useState<string[] | null>(null);
  const open = async (files: FileList | null) => {
    if (!files || files.length === 0) return;
    try {
      const lp = await loadPackFromFiles([...files]);
      setError(null);
      openPack(lp, useWorkspaceStore.getState().annotator);
      // Keep the pack's files so a reload opens it again (best effort: the work itself is saved
      // anyway). Not waited for: the pack opens at once however slow the browser's storage is.
      if (lp.localFiles) saveLocalPack(lp.localFiles).catch((e: unknown) => console.warn('richhf: could not keep the local pack', e));
    } catch (e) {
      if (e instanceof ComparisonPackFound && pairListeners.size > 0) {
        for (const show of pairListeners) show(e.loaded);
        return;
      }
      setError(e instanceof PackLoadError ? e.message.split('\n') : [e instanceof Error ? e.message : String(e)]);
    }
  };
  return (
    <div className="open-local">
      <label className="file-button">
        Open pack folder
        <input type="file" {...{ webkitdirectory: '' }} multiple onChange={(e) => void open(e.currentTarget.files)} />
      </label>
      <label className="file-button">
        Open pack files
        <input type="file" multiple accept=".json,image/*" onChange={(e) => void open(e.currentTarget.files)} />
      </label>
      {error && (
        <ul role="alert" className="errors">
          {error.map((e, i) => (
            <li key={i}>{e}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
