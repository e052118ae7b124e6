/**
 * The item being annotated: its points (image pixels), misaligned words and scores. Every
 * edit goes through an action here, and zundo keeps the undo/redo history of exactly these
 * fields (one step per edit; a drag is one step because only its end is committed).
 * Active time is tracked alongside but is not part of the history.
 */
import { create } from 'zustand';
import { temporal } from 'zundo';
import type { LikertScores, PointKind, ScoreName } from '../../core/formats/index.ts';
import type { Draft, DraftPoint } from '../../storage/records/draft.ts';
import { addActivity } from '../../core/annotate/activeTime.ts';

export interface DraftContent {
  itemId: string;
  points: DraftPoint[];
  /** Sorted ascending, no duplicates. */
  misalignedTokens: number[];
  scores: Partial<LikertScores>;
}

interface DraftState extends DraftContent {
  activeMs: number;
  lastActivityAt: number | null;
  /** Bumped on every edit to the content (not on load), so savers know what changed. */
  editCount: number;
  load(content: DraftContent, activeMs: number): void;
  addPoint(kind: PointKind, x: number, y: number): string;
  movePoint(id: string, x: number, y: number): void;
  deletePoint(id: string): void;
  toggleToken(index: number): void;
  setScore(name: ScoreName, value: number): void;
  touch(now: number): void;
}

let nextId = 1;
export function newPointId(): string {
  return `p${Date.now().toString(36)}${(nextId++).toString(36)}`;
}

export const useDraftStore = create<DraftState>()(
  temporal(
    (set) => ({
      itemId: '',
      points: [],
      misalignedTokens: [],
      scores: {},
      activeMs: 0,
      lastActivityAt: null,
      editCount: 0,
      load: (content, activeMs) => set({ ...content, activeMs, lastActivityAt: null }),
      addPoint: (kind, x, y) => {
        const id = newPointId();
        set((s) => ({ points: [...s.points, { id, kind, x, y }], editCount: s.editCount + 1 }));
        return id;
      },
      // A point that is not there (a selection left over from an undo) is no edit: no undo step, and the redo branch stays.
      movePoint: (id, x, y) =>
        set((s) => (s.points.some((p) => p.id === id) ? { points: s.points.map((p) => (p.id === id ? { ...p, x, y } : p)), editCount: s.editCount + 1 } : s)),
      deletePoint: (id) => set((s) => (s.points.some((p) => p.id === id) ? { points: s.points.filter((p) => p.id !== id), editCount: s.editCount + 1 } : s)),
      toggleToken: (index) =>
        set((s) => {
          const has = s.misalignedTokens.includes(index);
          const next = has ? s.misalignedTokens.filter((t) => t !== index) : [...s.misalignedTokens, index].sort((a, b) => a - b);
          return { misalignedTokens: next, editCount: s.editCount + 1 };
        }),
      // The same score again is no edit: no undo step, nothing to save.
      setScore: (name, value) => set((s) => (s.scores[name] === value ? s : { scores: { ...s.scores, [name]: value }, editCount: s.editCount + 1 })),
      touch: (now) => set((s) => ({ activeMs: addActivity(s.activeMs, s.lastActivityAt, now), lastActivityAt: now })),
    }),
    {
      // Only the content is history; activity time and counters are not undone.
      partialize: (s): DraftContent => ({ itemId: s.itemId, points: s.points, misalignedTokens: s.misalignedTokens, scores: s.scores }),
      equality: (a, b) => a.itemId === b.itemId && a.points === b.points && a.misalignedTokens === b.misalignedTokens && a.scores === b.scores,
      limit: 500,
    },
  ),
);

/** Replace the draft (item switch, restore) without an undo step, and start a fresh history. */
export function loadDraft(content: DraftContent, activeMs: number): void {
  const t = useDraftStore.temporal.getState();
  t.pause();
  useDraftStore.getState().load(content, activeMs);
  t.resume();
  t.clear();
}

export function undo(): void {
  const t = useDraftStore.temporal.getState();
  if (t.pastStates.length === 0) return;
  t.undo();
  bumpAfterHistory();
}

export function redo(): void {
  const t = useDraftStore.temporal.getState();
  if (t.futureStates.length === 0) return;
  t.redo();
  bumpAfterHistory();
}

/** Undo/redo change the content too, so savers must see an edit; the counter is outside the history. */
function bumpAfterHistory() {
  const t = useDraftStore.temporal.getState();
  t.pause();
  useDraftStore.setState((s) => ({ editCount: s.editCount + 1 }));
  t.resume();
}

export function currentDraft(): Draft {
  const s = useDraftStore.getState();
  return {
    version: 1,
    itemId: s.itemId,
    points: s.points,
    misalignedTokens: s.misalignedTokens,
    scores: s.scores,
    activeMs: Math.round(s.activeMs),
    updatedAt: Date.now(),
  };
}

export function isComplete(scores: Partial<LikertScores>): scores is LikertScores {
  return scores.plausibility !== undefined && scores.alignment !== undefined && scores.aesthetics !== undefined && scores.overall !== undefined;
}
