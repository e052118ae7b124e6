/**
 * The annotator workspace: the canvas on the left, the prompt, scores and Submit on the right.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { contradictions } from '../../core/contradictions.ts';
import { fitViewport, stagePoint, zoomAt } from '../../core/geometry.ts';
import { Canvas } from './Canvas.tsx';
import { KIND_COLOR, KIND_LABEL } from './colors.ts';
import { isComplete, redo, undo, useDraftStore } from './draftStore.ts';
import { handleKeyDown, handleKeyUp, HOTKEYS, type HotkeyActions } from './hotkeys.ts';
import { loadImage, prefetch } from './imageCache.ts';
import { PromptTokens } from './PromptTokens.tsx';
import { ScoreGroups } from './ScoreGroups.tsx';
import { exportAnnotations, importAnnotations, showItem, submitCurrent, tokensOf } from './session.ts';
import { useViewStore } from './viewStore.ts';
import { useWorkspaceStore } from './workspaceStore.ts';
import { SaveIndicator } from './SaveIndicator.tsx';
import { Queue } from './Queue.tsx';
import { POINT_KINDS } from '../../core/formats/index.ts';

export function Workspace() {
  const loaded = useWorkspaceStore((s) => s.loaded)!;
  const index = useWorkspaceStore((s) => s.index);
  const submitted = useWorkspaceStore((s) => s.submitted);
  const imageSize = useWorkspaceStore((s) => s.imageSize);
  const imageError = useWorkspaceStore((s) => s.imageError);
  const notice = useWorkspaceStore((s) => s.notice);
  const annotator = useWorkspaceStore((s) => s.annotator);
  const item = loaded.pack.items[index]!;
  const url = loaded.imageUrls[index]!;
  const [image, setImage] = useState<HTMLImageElement | null>(null);
  const [spaceHeld, setSpaceHeld] = useState(false);
  const tokens = useMemo(() => tokensOf(item.prompt), [item.prompt]);
  const touch = useDraftStore((s) => s.touch);
  const onActivity = useCallback(() => touch(Date.now()), [touch]);

  // Load the current image (instant when prefetched), then prefetch the neighbours.
  useEffect(() => {
    let live = true;
    setImage(null);
    loadImage(url).then(
      (img) => {
        if (!live) return;
        setImage(img);
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
        <span className="item-id">
          Item <strong>{item.id}</strong> ({index + 1} of {total})
        </span>
        <Progress done={done} total={total} />
        <span className="spacer" />
        <SaveIndicator />
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

function Toolbar() {
  const activeKind = useViewStore((s) => s.activeKind);
  const scale = useViewStore((s) => s.viewport?.scale);
  const canUndo = useStore(useDraftStore.temporal, (s) => s.pastStates.length > 0);
  const canRedo = useStore(useDraftStore.temporal, (s) => s.futureStates.length > 0);
  const setKind = (k: (typeof POINT_KINDS)[number]) => useViewStore.getState().setActiveKind(k);
  const zoom = (f: number) => {
    const { viewport, stageSize } = useViewStore.getState();
    if (viewport && stageSize) useViewStore.getState().setViewport(zoomAt(viewport, stagePoint(stageSize.w / 2, stageSize.h / 2), f));
  };
  const fit = () => {
    const { stageSize } = useViewStore.getState();
    const size = useWorkspaceStore.getState().imageSize;
    if (stageSize && size) useViewStore.getState().setViewport(fitViewport(size.width, size.height, stageSize.w, stageSize.h));
  };
  return (
    <div className="toolbar" role="toolbar" aria-label="Canvas tools">
      {POINT_KINDS.map((k) => (
        <button key={k} type="button" aria-pressed={activeKind === k} className={`kind kind-${k}`} onClick={() => setKind(k)} title={`${KIND_LABEL[k]} points (${k === 'artifact' ? 'A' : 'M'})`}>
          <span className="swatch" style={{ background: KIND_COLOR[k] }} aria-hidden="true" />
          {KIND_LABEL[k]}
        </button>
      ))}
      <span className="sep" />
      <button type="button" onClick={() => zoom(0.8)} aria-label="Zoom out" title="Zoom out (−)">
        −
      </button>
      <span className="zoom-level" aria-live="off">
        {scale ? `${Math.round(scale * 100)}%` : ''}
      </span>
      <button type="button" onClick={() => zoom(1.25)} aria-label="Zoom in" title="Zoom in (+)">
        +
      </button>
      <button type="button" onClick={fit} title="Fit (0)">
        Fit
      </button>
      <span className="sep" />
      <button type="button" onClick={undo} disabled={!canUndo} title="Undo (Ctrl+Z)">
        Undo
      </button>
      <button type="button" onClick={redo} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)">
        Redo
      </button>
    </div>
  );
}

function Instructions({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <details className="instructions" open>
      <summary>Instructions</summary>
      <p className="instructions-text" tabIndex={0}>
        {text}
      </p>
    </details>
  );
}

function Warnings() {
  const scores = useDraftStore((s) => s.scores);
  const points = useDraftStore((s) => s.points);
  const tokenCount = useDraftStore((s) => s.misalignedTokens.length);
  const warnings = useMemo(
    () =>
      contradictions({
        scores,
        misalignedTokenCount: tokenCount,
        artifactPointCount: points.filter((p) => p.kind === 'artifact').length,
        misalignmentPointCount: points.filter((p) => p.kind === 'misalignment').length,
      }),
    [scores, points, tokenCount],
  );
  return (
    <div role="status" aria-live="polite" className="warnings">
      {warnings.map((w) => (
        <p key={w} className="warning">
          ⚠ {w}
        </p>
      ))}
    </div>
  );
}

function SubmitBar({ isSubmitted, onSubmit, canSubmitImage }: { isSubmitted: boolean; onSubmit(): void; canSubmitImage: boolean }) {
  const complete = useDraftStore((s) => isComplete(s.scores));
  const allDone = useWorkspaceStore((s) => s.loaded !== null && s.submitted.size === s.loaded.pack.items.length);
  return (
    <div className="submit-bar">
      <button type="button" className="submit" disabled={!complete || !canSubmitImage} onClick={onSubmit}>
        Submit
      </button>
      <span className="hint">{complete ? (isSubmitted ? 'Submitted: submit again to save changes.' : 'Enter to submit.') : 'Give all four scores to submit.'}</span>
      {allDone && (
        <p role="status" className="all-done">
          All items are done. Use “Export annotations” to download your file.
        </p>
      )}
    </div>
  );
}

function PointList() {
  const points = useDraftStore((s) => s.points);
  const selectedId = useViewStore((s) => s.selectedId);
  return (
    <details className="point-list">
      <summary>Points ({points.length})</summary>
      <ul aria-label="Points">
        {points.map((p, i) => (
          <li key={p.id} className={p.id === selectedId ? 'selected' : undefined}>
            <span className="swatch" style={{ background: KIND_COLOR[p.kind] }} aria-hidden="true" />
            {KIND_LABEL[p.kind]} {i + 1} at ({p.x.toFixed(1)}, {p.y.toFixed(1)})
            <button
              type="button"
              aria-label={`Delete ${KIND_LABEL[p.kind]} point ${i + 1}`}
              onClick={() => {
                useDraftStore.getState().deletePoint(p.id);
                if (useViewStore.getState().selectedId === p.id) useViewStore.getState().select(null);
              }}
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
