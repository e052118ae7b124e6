import { useStore } from 'zustand';
import { POINT_KINDS } from '../../core/formats/common.ts';
import { fitViewport, stagePoint, zoomAt } from '../../core/annotate/geometry.ts';
import { KIND_LABEL } from './colors.ts';
import { redo, undo, useDraftStore } from './draftStore.ts';
import { KindMark } from './KindMark.tsx';
import { useViewStore } from './viewStore.ts';
import { useWorkspaceStore } from './workspaceStore.ts';

/** Above the canvas: the point tool, zoom, undo and redo. */
export function Toolbar() {
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
      {/* Groups wrap whole on narrow screens. */}
      <span className="tool-group">
        {POINT_KINDS.map((k) => (
          <button
            key={k}
            type="button"
            aria-pressed={activeKind === k}
            className={`kind kind-${k}`}
            onClick={() => setKind(k)}
            title={`${KIND_LABEL[k]} points (${k === 'artifact' ? 'A' : 'M'})`}
          >
            <KindMark kind={k} />
            {KIND_LABEL[k]}
          </button>
        ))}
      </span>
      <span className="tool-group">
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
      </span>
      <span className="tool-group">
        <button type="button" onClick={undo} disabled={!canUndo} title="Undo (Ctrl+Z)">
          Undo
        </button>
        <button type="button" onClick={redo} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)">
          Redo
        </button>
      </span>
    </div>
  );
}
