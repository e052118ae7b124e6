/**
 * View state of the workspace: tool, selection, zoom/pan and which score the digit keys set.
 * It is not annotation data: none of it is undone or exported.
 */
import { create } from 'zustand';
import type { PointKind, ScoreName } from '../../core/formats/index.ts';
import type { ImagePoint, Viewport } from '../../core/annotate/geometry.ts';
import { currentLayout, type Layout } from './layout.ts';

interface ViewState {
  activeKind: PointKind;
  selectedId: string | null;
  /** null until the canvas has measured itself and fitted the image. */
  viewport: Viewport | null;
  /** The layout `viewport` was made in (layout.ts): on the other one the canvas fits the image again. */
  viewportLayout: Layout | null;
  /** The highlighted scale: the one the digit keys score next (null: none, the digit keys do nothing). */
  scoreFocus: ScoreName | null;
  /** Size of the canvas in CSS pixels, for zooming around its centre from the keyboard. */
  stageSize: { w: number; h: number } | null;
  /** The keyboard cursor on the image (the arrows move it, P places a point there); null: hidden (the pointer is in use). */
  cursor: ImagePoint | null;
  /** What the last cursor key did, in words, for screen readers (a polite live region). */
  cursorNote: string;
  setActiveKind(kind: PointKind): void;
  select(id: string | null): void;
  /** Zoom and pan made now, in the current layout. */
  setViewport(v: Viewport | null): void;
  setScoreFocus(s: ScoreName | null): void;
}

export const useViewStore = create<ViewState>()((set) => ({
  activeKind: 'artifact',
  selectedId: null,
  viewport: null,
  viewportLayout: null,
  scoreFocus: 'plausibility',
  stageSize: null,
  cursor: null,
  cursorNote: '',
  setActiveKind: (activeKind) => set({ activeKind }),
  select: (selectedId) => set({ selectedId }),
  setViewport: (viewport) => set({ viewport, viewportLayout: viewport ? currentLayout() : null }),
  setScoreFocus: (scoreFocus) => set({ scoreFocus }),
}));
