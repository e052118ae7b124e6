/**
 * The annotator workspace: the top bar, then the image (with its toolbar) and the side panel
 * (prompt, scores and Submit in a footer that stays on screen), or the end of the pack.
 *
 * Nothing moves the image but the annotator's own zoom and pan: notices float over the workspace,
 * the top bar's changing parts (save state, item id, counts) have fixed or bounded widths, and the
 * side panel scrolls on its own (on narrow screens it comes after the image, in the page's scroll).
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Canvas } from './Canvas.tsx';
import { useDraftStore } from './draftStore.ts';
import { handleKeyDown, handleKeyUp, HOTKEYS, watchFocusOrigin, type HotkeyActions } from './hotkeys.ts';
import { loadImage, prefetch } from './imageCache.ts';
import { currentLayout } from './layout.ts';
import { PromptTokens } from './PromptTokens.tsx';
import { ScoreGroups } from './ScoreGroups.tsx';
import { exportAnnotations, showItem, submitCurrent } from './session.ts';
import { Queue } from './Queue.tsx';
import { SaveIndicator } from './SaveIndicator.tsx';
import { Instructions, PointList, SubmitBar, Warnings } from './SidePanelParts.tsx';
import { Toolbar } from './Toolbar.tsx';
import { ProblemList } from '../problems/ProblemList.tsx';
import { dismissNotice, imageFailed, imageShown, useWorkspaceStore } from './workspaceStore.ts';
import { describeImageFailure } from '../pack/loadedPack.ts';

/**
 * `topBar`: what a collection server adds to the top bar's status (the outbox, Sign out).
 * `floating`: its messages, over the image just below the toolbar (never over the toolbar).
 * `savedOnlyHere`: submissions still wait for the server, so "Saved" says "Saved here", not in green.
 * `counts`: on a collection server, the annotator's submissions and the pack's size (the page
 * holds only a few of the pack's items at a time, so its own counts would say "1 of 2").
 * `itemName`: what the top bar calls the item (a collection server's opaque ids are no name).
 * `fileActions`: the static app's buttons for files on disk (Import, Close local pack: LocalFileActions.tsx).
 * `doneScreen`: what shows once every item is submitted (the static app's PackDone.tsx; a collection
 * server's page shows its own finished screen instead of the workspace).
 * `exportFile`: what Export does (default: the annotations file of the items here; the static app
 * on a pack of both kinds adds the pairs judged, bothKindsFile.ts).
 */
export function Workspace({
  topBar,
  floating,
  savedOnlyHere = false,
  counts,
  itemName = (id) => id,
  fileActions,
  doneScreen,
  exportFile = exportAnnotations,
}: {
  topBar?: ReactNode;
  floating?: ReactNode;
  savedOnlyHere?: boolean;
  counts?: { done: number; total: number };
  itemName?: (id: string, index: number) => string;
  fileActions?: ReactNode;
  doneScreen?: ReactNode;
  exportFile?: () => void;
}) {
  const loaded = useWorkspaceStore((s) => s.loaded)!;
  const index = useWorkspaceStore((s) => s.index);
  const submitted = useWorkspaceStore((s) => s.submitted);
  const imageSize = useWorkspaceStore((s) => s.imageSize);
  const imageError = useWorkspaceStore((s) => s.imageError);
  const finished = useWorkspaceStore((s) => s.finished);
  const annotator = useWorkspaceStore((s) => s.annotator);
  const item = loaded.pack.items[index]!;
  const url = loaded.imageUrls[index]!;
  // The decoded image of `url`; a stale one (of the previous item) is never drawn.
  const [loadedImage, setLoadedImage] = useState<{ url: string; img: HTMLImageElement } | null>(null);
  const image = loadedImage?.url === url ? loadedImage.img : null;
  const [spaceHeld, setSpaceHeld] = useState(false);
  const touch = useDraftStore((s) => s.touch);
  const onActivity = useCallback(() => touch(Date.now()), [touch]);
  const imageRegion = useRef<HTMLElement>(null);

  // Load the current image (instant when prefetched), then prefetch the neighbours. An image
  // that fails (a dropped connection, a server restarting) is tried again while its item is
  // shown: after 1, 2, 4 … 30 s, and at once when the browser comes back online.
  useEffect(() => {
    let live = true;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const load = () => {
      retry = undefined;
      loadImage(url).then(
        (img) => {
          if (!live) return;
          setLoadedImage({ url, img });
          imageShown(img.naturalWidth, img.naturalHeight);
          prefetch(loaded.imageUrls[index + 1]);
          prefetch(loaded.imageUrls[index - 1]);
        },
        () => {
          if (!live) return;
          imageFailed(describeImageFailure(loaded, index));
          retry = setTimeout(load, Math.min(30_000, 1000 * 2 ** failures++));
        },
      );
    };
    const online = () => {
      if (retry === undefined) return;
      clearTimeout(retry);
      load();
    };
    window.addEventListener('online', online);
    load();
    return () => {
      live = false;
      clearTimeout(retry);
      window.removeEventListener('online', online);
    };
  }, [url, index, loaded]);

  // Moving to another item puts the focus on the image, a neutral place, before the next key can
  // reach a word or score that now belongs to the new item (this runs inside the store update, ahead
  // of React's render). The controls that move between items (marked data-keeps-focus) keep it.
  // A message about the items (an export, an import) does not stay over the finished screen.
  useEffect(
    () =>
      useWorkspaceStore.subscribe((s, prev) => {
        if (s.finished && !prev.finished && s.notice && !s.notice.isError) useWorkspaceStore.setState({ notice: null });
        if (s.index === prev.index || s.finished) return;
        // In the narrow layout the panel (scores, Submit, the Queue) is below the image, in the
        // page's scroll: the new item's image comes into view, not left above the screen.
        const region = imageRegion.current;
        if (region && currentLayout() === 'narrow') {
          const r = region.getBoundingClientRect();
          if (r.top < 0 || r.bottom > window.innerHeight) region.scrollIntoView({ block: 'start', behavior: 'instant' });
        }
        const active = document.activeElement;
        if (active instanceof HTMLElement && active.closest('[data-keeps-focus]')) return;
        region?.focus({ preventScroll: true });
      }),
    [],
  );

  const done = counts?.done ?? submitted.size;
  const total = loaded.pack.items.length;
  const isSubmitted = submitted.has(item.id);

  const actions: HotkeyActions = useMemo(
    () => ({
      submit: () => void submitCurrent(),
      item: (step) => showItem(Math.min(total - 1, Math.max(0, useWorkspaceStore.getState().index + step))),
      activity: onActivity,
      setSpaceHeld,
      imageSize: () => useWorkspaceStore.getState().imageSize,
    }),
    [total, onActivity],
  );

  // The keyboard model (keymap.ts); on the finished screen no key acts on the hidden item.
  useEffect(() => {
    if (finished) return;
    const down = (e: KeyboardEvent) => handleKeyDown(e, actions);
    const up = (e: KeyboardEvent) => handleKeyUp(e, actions);
    const blur = () => setSpaceHeld(false);
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    window.addEventListener('blur', blur);
    const unwatch = watchFocusOrigin();
    return () => {
      unwatch();
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
      window.removeEventListener('blur', blur);
    };
  }, [actions, finished]);

  return (
    <div className="workspace">
      <header className="topbar">
        <div className="topbar-where">
          <span className="brand">richhf-studio</span>
          <span className="pack-name trunc" title={`Task pack: ${loaded.pack.name}`}>
            {loaded.pack.name}
          </span>
          {!finished && (
            <span className="item-id">
              <span className="item-label">Item</span>
              <strong className="trunc" title={item.id}>
                {itemName(item.id, index)}
              </strong>
              {!counts && (
                <span className="item-pos">
                  ({index + 1} of {total})
                </span>
              )}
            </span>
          )}
          <Progress done={done} total={counts?.total ?? total} />
        </div>
        {/* Fixed-width slots, so a change of state never moves what follows; a collection server
            adds its outbox indicator and Sign out here. */}
        <div className="topbar-status">
          <span className="save-slot">
            <SaveIndicator onlyHere={savedOnlyHere} />
          </span>
          {topBar}
          <span className="annotator trunc" title="Annotator">
            {annotator}
          </span>
        </div>
        <div className="topbar-actions">
          {!finished && (
            <>
              <button type="button" data-keeps-focus aria-label="Previous item" onClick={() => actions.item(-1)} disabled={index === 0}>
                Previous<span className="long"> item</span>
              </button>
              <button type="button" data-keeps-focus aria-label="Next item" onClick={() => actions.item(1)} disabled={index === total - 1}>
                Next<span className="long"> item</span>
              </button>
              <button type="button" aria-label="Export annotations" onClick={exportFile}>
                Export<span className="long"> annotations</span>
              </button>
            </>
          )}
          {fileActions}
        </div>
      </header>
      <main className="workspace-body">
        <Notice />
        {finished ? (
          doneScreen
        ) : (
          <div className="work-area">
            <section className="canvas-column" aria-label="Image" tabIndex={-1} ref={imageRegion}>
              <Toolbar />
              {floating && <div className="canvas-float">{floating}</div>}
              {imageError ? (
                <div role="alert" className="image-error">
                  {imageError}
                </div>
              ) : imageSize ? (
                <Canvas key={item.id} image={image} width={imageSize.width} height={imageSize.height} spaceHeld={spaceHeld} onActivity={onActivity} />
              ) : (
                <div className="canvas canvas-loading">Loading image…</div>
              )}
            </section>
            <aside className="side-panel" aria-label="Feedback">
              <div className="side-scroll">
                <Instructions text={loaded.pack.instructions} />
                <PromptTokens key={item.id} prompt={item.prompt} onActivity={onActivity} />
                <PointList />
                <Queue />
                <details className="shortcuts">
                  <summary>Keyboard shortcuts</summary>
                  <table>
                    <tbody>
                      {HOTKEYS.map(([k, v]) => (
                        <tr key={k}>
                          <th scope="row">{k}</th>
                          <td>{v}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </details>
              </div>
              <div className="side-footer">
                <ScoreGroups onActivity={onActivity} />
                <Warnings />
                <SubmitBar isSubmitted={isSubmitted} onSubmit={actions.submit} canSubmitImage={!!imageSize && !imageError} />
              </div>
            </aside>
          </div>
        )}
      </main>
    </div>
  );
}

/** The last import/export message, floating over the workspace (it never pushes the image). */
function Notice() {
  const notice = useWorkspaceStore((s) => s.notice);
  if (!notice) return null;
  return (
    <div role={notice.isError ? 'alert' : 'status'} className={notice.isError ? 'notice notice-error' : 'notice'}>
      <div>
        {notice.text}
        {notice.problems && <ProblemList label="Import problems" lines={notice.problems} />}
      </div>
      <button type="button" aria-label="Dismiss message" onClick={dismissNotice}>
        ×
      </button>
    </div>
  );
}

function Progress({ done, total }: { done: number; total: number }) {
  // Wide enough for the largest count, so the text never changes width as items are done.
  const digits = String(total).length;
  return (
    <span className="progress">
      <progress max={total} value={done} aria-label="Items done" />
      <span style={{ minWidth: `${2 * digits + 6}ch` }}>
        {done} / {total} done
      </span>
    </span>
  );
}
