/**
 * The annotator workspace: the canvas on the left, the prompt, scores and Submit on the right.
 */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Canvas } from './Canvas.tsx';
import { useDraftStore } from './draftStore.ts';
import { handleKeyDown, handleKeyUp, HOTKEYS, type HotkeyActions } from './hotkeys.ts';
import { loadImage, prefetch } from './imageCache.ts';
import { PromptTokens } from './PromptTokens.tsx';
import { ScoreGroups } from './ScoreGroups.tsx';
import { closeLocalPack, exportAnnotations, importAnnotations, showItem, submitCurrent } from './session.ts';
import { tokenize } from '../../core/text/tokenize.ts';
import { Queue } from './Queue.tsx';
import { SaveIndicator } from './SaveIndicator.tsx';
import { Instructions, PointList, SubmitBar, Warnings } from './SidePanelParts.tsx';
import { Toolbar } from './Toolbar.tsx';
import { useWorkspaceStore } from './workspaceStore.ts';

/** `topBar`: what a collection server adds to the top bar (the outbox, Sign out). */
export function Workspace({ topBar }: { topBar?: ReactNode }) {
  const loaded = useWorkspaceStore((s) => s.loaded)!;
  const index = useWorkspaceStore((s) => s.index);
  const submitted = useWorkspaceStore((s) => s.submitted);
  const imageSize = useWorkspaceStore((s) => s.imageSize);
  const imageError = useWorkspaceStore((s) => s.imageError);
  const notice = useWorkspaceStore((s) => s.notice);
  const annotator = useWorkspaceStore((s) => s.annotator);
  const item = loaded.pack.items[index]!;
  const url = loaded.imageUrls[index]!;
  // The decoded image of `url`; a stale one (of the previous item) is never drawn.
  const [loadedImage, setLoadedImage] = useState<{ url: string; img: HTMLImageElement } | null>(null);
  const image = loadedImage?.url === url ? loadedImage.img : null;
  const [spaceHeld, setSpaceHeld] = useState(false);
  const tokens = useMemo(() => tokenize(item.prompt), [item.prompt]);
  const touch = useDraftStore((s) => s.touch);
  const onActivity = useCallback(() => touch(Date.now()), [touch]);

  // Load the current image (instant when prefetched), then prefetch the neighbours.
  useEffect(() => {
    let live = true;
    loadImage(url).then(
      (img) => {
        if (!live) return;
        setLoadedImage({ url, img });
        if (!useWorkspaceStore.getState().imageSize) {
          useWorkspaceStore.setState({ imageSize: { width: img.naturalWidth, height: img.naturalHeight } });
        }
        prefetch(loaded.imageUrls[index + 1]);
        prefetch(loaded.imageUrls[index - 1]);
      },
      () => live && useWorkspaceStore.setState({ imageError: `${loaded.source.split('/').pop()}: items[${index}].image: the image "${item.image}" could not be loaded` }),
    );
    return () => {
      live = false;
    };
  }, [url, index, loaded, item.image]);

  const done = submitted.size;
  const total = loaded.pack.items.length;
  const isSubmitted = submitted.has(item.id);

  const actions: HotkeyActions = useMemo(
    () => ({
      submit: () => void submitCurrent(),
      next: () => showItem(Math.min(total - 1, useWorkspaceStore.getState().index + 1)),
      previous: () => showItem(Math.max(0, useWorkspaceStore.getState().index - 1)),
      activity: onActivity,
      setSpaceHeld,
      imageSize: () => useWorkspaceStore.getState().imageSize,
    }),
    [total, onActivity],
  );

  useEffect(() => {
    const down = (e: KeyboardEvent) => handleKeyDown(e, actions);
    const up = (e: KeyboardEvent) => handleKeyUp(e, actions);
    const blur = () => setSpaceHeld(false);
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    window.addEventListener('blur', blur);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
      window.removeEventListener('blur', blur);
    };
  }, [actions]);

  return (
    <div className="workspace">
      <header className="topbar">
        <span className="brand">richhf-studio</span>
        <span className="pack-name" title="Task pack">
          {loaded.pack.name}
        </span>
        {loaded.localFiles && (
          <button
            type="button"
            onClick={() => void closeLocalPack()}
            title="Forget this pack opened from disk and go back to the pack in the address (or the demo); your work on it stays saved"
          >
            Close local pack
          </button>
        )}
        <span className="item-id">
          Item <strong>{item.id}</strong> ({index + 1} of {total})
        </span>
        <Progress done={done} total={total} />
        <span className="spacer" />
        <SaveIndicator />
        {topBar}
        <span className="annotator" title="Annotator">
          {annotator}
        </span>
        <button type="button" onClick={actions.previous} disabled={index === 0}>
          Previous item
        </button>
        <button type="button" onClick={actions.next} disabled={index === total - 1}>
          Next item
        </button>
        <button type="button" onClick={exportAnnotations}>
          Export annotations
        </button>
        {/* Items from a server are submitted to it, not imported. */}
        {!loaded.server && (
          <label className="file-button">
            Import annotations
            <input
              type="file"
              accept=".json,application/json"
              onChange={(e) => {
                const f = e.currentTarget.files?.[0];
                e.currentTarget.value = '';
                if (f) void importAnnotations(f);
              }}
            />
          </label>
        )}
      </header>
      {notice && (
        <div role={notice.isError ? 'alert' : 'status'} className={notice.isError ? 'notice notice-error' : 'notice'}>
          {notice.text}
          <button type="button" aria-label="Dismiss message" onClick={() => useWorkspaceStore.setState({ notice: null })}>
            ×
          </button>
        </div>
      )}
      <div className="work-area">
        <section className="canvas-column" aria-label="Image">
          <Toolbar />
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
          <Instructions text={loaded.pack.instructions} />
          <p className="prompt-text">
            <span className="hint">Prompt: </span>
            {item.prompt}
          </p>
          <PromptTokens tokens={tokens} onActivity={onActivity} />
          <ScoreGroups onActivity={onActivity} />
          <Warnings />
          <SubmitBar isSubmitted={isSubmitted} onSubmit={actions.submit} canSubmitImage={!!imageSize && !imageError} />
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
        </aside>
      </div>
    </div>
  );
}

function Progress({ done, total }: { done: number; total: number }) {
  return (
    <span className="progress">
      <progress max={total} value={done} aria-label="Items done" />
      <span>
        {done} / {total} done
      </span>
    </span>
  );
}
