/**
 * The image with its points. Konva only draws: pointer input is handled here on the container
 * element and turned into image-pixel coordinates with the viewport, then hit-tested in image
 * pixels (core/geometry), so a click on the same image feature gives the same coordinate at
 * every zoom. Discs have the paper's effective radius H/20 in image pixels, so they scale with zoom.
 */
import type Konva from 'konva';
// The core build of Konva with only the image shape (points are custom shapes) keeps the annotator page small.
import 'konva/lib/shapes/Image';
import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Group, Image as KImage, Layer, Shape, Stage } from 'react-konva/lib/ReactKonvaCore';
import type { DraftPoint } from '../../storage/records/draft.ts';
import { clampToImage, discRadius, fitViewport, hitTest, isInsideImage, panBy, stagePoint, toImage, zoomAt, type Viewport } from '../../core/annotate/geometry.ts';
import { drawPoint, drawPreview } from './pointMarks.ts';
import { useDraftStore } from './draftStore.ts';
import { firstItemReady } from '../laterChunks.ts';
import { currentLayout, type Layout } from './layout.ts';
import { useViewStore } from './viewStore.ts';

interface Props {
  image: HTMLImageElement | null;
  width: number;
  height: number;
  /** True while the space bar is held: any drag pans. */
  spaceHeld: boolean;
  onActivity(): void;
}

type Gesture =
  | { kind: 'point'; id: string; pointerId: number; startX: number; startY: number; moved: boolean }
  | { kind: 'click-or-pan'; pointerId: number; startX: number; startY: number; lastX: number; lastY: number; panning: boolean }
  | { kind: 'pan'; pointerId: number; lastX: number; lastY: number }
  | { kind: 'pinch'; ids: [number, number]; dist: number; midX: number; midY: number };

const CLICK_SLOP = 4; // stage pixels a press may move and still count as a click

export const Canvas = memo(function Canvas({ image, width, height, spaceHeld, onActivity }: Props) {
  const containerRef = useRef<HTMLDivElement>(null);
  const previewRef = useRef<Konva.Shape>(null);
  const [stageSize, setStageSize] = useState<{ w: number; h: number; layout: Layout } | null>(null);
  const [drag, setDrag] = useState<{ id: string; x: number; y: number } | null>(null);
  /** True while the pointer pans the view (drives the cursor; the gesture itself lives in a ref). */
  const [panning, setPanning] = useState(false);
  const gesture = useRef<Gesture | null>(null);
  const touches = useRef(new Map<number, { x: number; y: number }>());

  const points = useDraftStore((s) => s.points);
  const viewport = useViewStore((s) => s.viewport);
  const viewportLayout = useViewStore((s) => s.viewportLayout);
  const selectedId = useViewStore((s) => s.selectedId);
  const activeKind = useViewStore((s) => s.activeKind);
  const keyCursor = useViewStore((s) => s.cursor);
  const cursorNote = useViewStore((s) => s.cursorNote);
  const radius = discRadius(height);
  const draggedPoint = drag ? points.find((p) => p.id === drag.id) : undefined;

  useLayoutEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const measure = () => setStageSize({ w: Math.max(1, el.clientWidth), h: Math.max(1, el.clientHeight), layout: currentLayout() });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Fit the image when it first shows, and when the view was made in the other layout (a phone's
  // zoom on a desktop, or the other way round: layout.ts); tell the view store the stage size.
  useEffect(() => {
    if (!stageSize) return;
    useViewStore.setState({ stageSize: { w: stageSize.w, h: stageSize.h } });
    if (!viewport || viewportLayout !== stageSize.layout) useViewStore.getState().setViewport(fitViewport(width, height, stageSize.w, stageSize.h));
  }, [stageSize, viewport, viewportLayout, width, height]);

  // The moment the item can be annotated (image drawn, view fitted): read by `npm run bench`; the
  // page's later chunks load after the first (laterChunks.ts).
  const ready = image !== null && viewport !== null;
  useEffect(() => {
    if (!ready) return;
    performance.mark('richhf:item-ready');
    firstItemReady();
  }, [ready]);

  const localPoint = (e: { clientX: number; clientY: number }) => {
    const r = containerRef.current!.getBoundingClientRect();
    return stagePoint(e.clientX - r.left, e.clientY - r.top);
  };

  const showPreview = (v: Viewport | null, sx: number, sy: number, visible: boolean) => {
    const node = previewRef.current;
    if (!node || !v) return;
    const p = toImage(v, stagePoint(sx, sy));
    const show = visible && isInsideImage(p, width, height);
    node.visible(show);
    if (show) node.position(p);
    node.getLayer()?.batchDraw();
  };

  // The keyboard cursor, when shown, is where the disc preview is drawn (with its centre marked).
  useEffect(() => {
    const node = previewRef.current;
    if (!node || !keyCursor) return;
    node.visible(true);
    node.position(keyCursor);
    node.getLayer()?.batchDraw();
  }, [keyCursor, viewport]);

  /** The pointer takes over from the keyboard cursor. */
  const hideKeyboardCursor = () => {
    if (useViewStore.getState().cursor !== null) useViewStore.setState({ cursor: null });
  };

  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>) => {
    const v = useViewStore.getState().viewport;
    if (!v) return;
    onActivity();
    hideKeyboardCursor();
    containerRef.current!.focus({ preventScroll: true });
    const sp = localPoint(e);
    if (e.pointerType === 'touch') {
      touches.current.set(e.pointerId, sp);
      if (touches.current.size === 2) {
        const [a, b] = [...touches.current.entries()];
        gesture.current = {
          kind: 'pinch',
          ids: [a![0], b![0]],
          dist: Math.hypot(a![1].x - b![1].x, a![1].y - b![1].y),
          midX: (a![1].x + b![1].x) / 2,
          midY: (a![1].y + b![1].y) / 2,
        };
        setDrag(null);
        return;
      }
    }
    e.currentTarget.setPointerCapture(e.pointerId);
    if (spaceHeld || e.button === 1) {
      gesture.current = { kind: 'pan', pointerId: e.pointerId, lastX: sp.x, lastY: sp.y };
      setPanning(true);
      return;
    }
    if (e.button !== 0) return;
    const ip = toImage(v, sp);
    const pts = useDraftStore.getState().points;
    const hit = hitTest(pts, ip, radius);
    if (hit >= 0) {
      const p = pts[hit]!;
      useViewStore.getState().select(p.id);
      gesture.current = { kind: 'point', id: p.id, pointerId: e.pointerId, startX: sp.x, startY: sp.y, moved: false };
    } else {
      gesture.current = { kind: 'click-or-pan', pointerId: e.pointerId, startX: sp.x, startY: sp.y, lastX: sp.x, lastY: sp.y, panning: false };
    }
  };

  const onPointerMove = (e: React.PointerEvent<HTMLDivElement>) => {
    const v = useViewStore.getState().viewport;
    const sp = localPoint(e);
    const g = gesture.current;
    if (e.pointerType === 'touch' && touches.current.has(e.pointerId)) touches.current.set(e.pointerId, sp);
    if (!g) {
      hideKeyboardCursor();
      showPreview(v, sp.x, sp.y, !spaceHeld);
      return;
    }
    if (!v) return;
    if (g.kind === 'pinch') {
      const a = touches.current.get(g.ids[0]);
      const b = touches.current.get(g.ids[1]);
      if (!a || !b) return;
      const dist = Math.hypot(a.x - b.x, a.y - b.y);
      const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
      const next = zoomAt(panBy(v, mid.x - g.midX, mid.y - g.midY), stagePoint(mid.x, mid.y), dist / Math.max(1, g.dist));
      gesture.current = { ...g, dist, midX: mid.x, midY: mid.y };
      useViewStore.getState().setViewport(next);
      return;
    }
    if (e.pointerId !== g.pointerId) return;
    if (g.kind === 'point') {
      if (!g.moved && Math.hypot(sp.x - g.startX, sp.y - g.startY) < CLICK_SLOP) return;
      g.moved = true;
      const p = clampToImage(toImage(v, sp), width, height);
      setDrag({ id: g.id, x: p.x, y: p.y });
      showPreview(v, 0, 0, false);
    } else if (g.kind === 'click-or-pan') {
      if (!g.panning && Math.hypot(sp.x - g.startX, sp.y - g.startY) < CLICK_SLOP) return;
      if (!g.panning) setPanning(true);
      g.panning = true;
      useViewStore.getState().setViewport(panBy(v, sp.x - g.lastX, sp.y - g.lastY));
      g.lastX = sp.x;
      g.lastY = sp.y;
      showPreview(v, 0, 0, false);
    } else if (g.kind === 'pan') {
      useViewStore.getState().setViewport(panBy(v, sp.x - g.lastX, sp.y - g.lastY));
      g.lastX = sp.x;
      g.lastY = sp.y;
    }
  };

  const onPointerUp = (e: React.PointerEvent<HTMLDivElement>) => {
    touches.current.delete(e.pointerId);
    const g = gesture.current;
    const v = useViewStore.getState().viewport;
    if (!g || !v) return;
    if (g.kind === 'pinch') {
      if (touches.current.size < 2) gesture.current = null;
      return;
    }
    if (e.pointerId !== g.pointerId) return;
    gesture.current = null;
    setPanning(false);
    onActivity();
    const sp = localPoint(e);
    if (g.kind === 'point') {
      if (g.moved) {
        const p = clampToImage(toImage(v, sp), width, height);
        useDraftStore.getState().movePoint(g.id, p.x, p.y);
      }
      setDrag(null);
    } else if (g.kind === 'click-or-pan' && !g.panning) {
      const p = toImage(v, sp);
      if (isInsideImage(p, width, height)) {
        const id = useDraftStore.getState().addPoint(useViewStore.getState().activeKind, p.x, p.y);
        useViewStore.getState().select(id);
      } else {
        useViewStore.getState().select(null);
      }
    }
    showPreview(v, sp.x, sp.y, true);
  };

  const onPointerCancel = (e: React.PointerEvent<HTMLDivElement>) => {
    touches.current.delete(e.pointerId);
    gesture.current = null;
    setDrag(null);
    setPanning(false);
  };

  // Wheel zooms around the pointer; a trackpad pinch arrives as a wheel event with ctrlKey.
  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const v = useViewStore.getState().viewport;
      if (!v) return;
      onActivity();
      const r = el.getBoundingClientRect();
      const k = e.ctrlKey ? 0.01 : 0.0015;
      const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      useViewStore.getState().setViewport(zoomAt(v, stagePoint(e.clientX - r.left, e.clientY - r.top), Math.exp(-delta * k)));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [onActivity]);

  const cursor = panning ? 'grabbing' : spaceHeld ? 'grab' : 'crosshair';

  return (
    <>
      <div
        ref={containerRef}
        className="canvas"
        role="img"
        aria-label={`Image to annotate, ${points.length} point${points.length === 1 ? '' : 's'} placed. Click, or press P at the keyboard cursor (the arrow keys move it), to place a point; drag to pan, wheel to zoom.`}
        tabIndex={-1}
        style={{ cursor }}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerCancel}
        onPointerLeave={() => !gesture.current && !useViewStore.getState().cursor && showPreview(useViewStore.getState().viewport, 0, 0, false)}
      >
        {stageSize && viewport && (
          <Stage width={stageSize.w} height={stageSize.h} listening={false}>
            {/* The image and the points at rest: redrawn only when they change or the view moves. */}
            <Layer listening={false}>
              <Group x={viewport.x} y={viewport.y} scaleX={viewport.scale} scaleY={viewport.scale}>
                {image && <KImage image={image} width={width} height={height} listening={false} />}
                {points.map((p) => (drag && drag.id === p.id ? null : <Disc key={p.id} point={p} radius={radius} scale={viewport.scale} selected={p.id === selectedId} />))}
              </Group>
            </Layer>
            {/* What moves with the pointer (the dragged point, the cursor's disc) on its own small layer,
              so a drag among hundreds of points redraws one disc per frame. */}
            <Layer listening={false}>
              <Group x={viewport.x} y={viewport.y} scaleX={viewport.scale} scaleY={viewport.scale}>
                {drag && draggedPoint && <Disc point={{ ...draggedPoint, x: drag.x, y: drag.y }} radius={radius} scale={viewport.scale} selected />}
                <Shape ref={previewRef} visible={false} listening={false} sceneFunc={(ctx) => drawPreview(ctx._context, activeKind, radius, viewport.scale, keyCursor !== null)} />
              </Group>
            </Layer>
          </Stage>
        )}
      </div>
      {/* Outside the role="img" element, whose content is not read: what the cursor keys did. */}
      <p className="sr-only" aria-live="polite">
        {cursorNote}
      </p>
    </>
  );
});

/** A point's disc, drawn by pointMarks.ts at its true radius (image pixels) with marks of constant screen size. */
const Disc = memo(function Disc({ point, radius, scale, selected }: { point: DraftPoint; radius: number; scale: number; selected: boolean }) {
  return <Shape x={point.x} y={point.y} listening={false} sceneFunc={(ctx) => drawPoint(ctx._context, point.kind, radius, scale, selected)} />;
});
