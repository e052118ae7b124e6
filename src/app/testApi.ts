/**
 * A small typed window into the canvas for end-to-end tests and benchmarks: a canvas is not
 * in the DOM, so tests read points through this and turn image pixels into page coordinates.
 * Read-only apart from `whenSaved`; it carries no user data beyond what the page shows.
 */
import { toStage, imagePoint } from '../core/annotate/geometry.ts';
import { useDraftStore } from '../features/annotate/draftStore.ts';
import { loadImage } from '../features/annotate/imageCache.ts';
import { useViewStore } from '../features/annotate/viewStore.ts';
import { useWorkspaceStore } from '../features/annotate/workspaceStore.ts';
import { whenStorageIdle } from '../storage/writeQueue.ts';

export interface RichhfTestApi {
  state(): {
    itemId: string;
    points: { kind: string; x: number; y: number }[];
    misalignedTokens: number[];
    scores: Record<string, number | undefined>;
    viewport: { scale: number; x: number; y: number } | null;
    imageSize: { width: number; height: number } | null;
    selectedId: string | null;
    /** Index in `points` of the selected point, or null. */
    selectedIndex: number | null;
    /** The scale the digit keys score (null: none highlighted). */
    scoreFocus: string | null;
    /** The point tool. */
    activeKind: string;
    /** The keyboard cursor in image pixels (null: hidden). */
    cursor: { x: number; y: number } | null;
  };
  /** Page (client) coordinates of an image pixel, at the current zoom and pan. */
  imageToClient(x: number, y: number): { x: number; y: number };
  /** Resolves when every storage write issued so far has settled, held-back ones included. */
  whenSaved(): Promise<void>;
  /** How many items of the pack on show have their image loaded and decoded (it waits for those loading). */
  imagesLoaded(): Promise<number>;
  /** The submissions waiting in the outbox (IndexedDB), oldest first: tests check that nothing is lost. */
  outbox(): Promise<{ annotator: string; itemId: string; refusal: string | null }[]>;
}

export function installTestApi(): void {
  const api: RichhfTestApi = {
    state: () => {
      const d = useDraftStore.getState();
      const v = useViewStore.getState();
      return {
        itemId: d.itemId,
        points: d.points.map(({ kind, x, y }) => ({ kind, x, y })),
        misalignedTokens: [...d.misalignedTokens],
        scores: { ...d.scores },
        viewport: v.viewport,
        imageSize: useWorkspaceStore.getState().imageSize,
        selectedId: v.selectedId,
        selectedIndex: v.selectedId === null ? null : d.points.findIndex((p) => p.id === v.selectedId),
        scoreFocus: v.scoreFocus,
        activeKind: v.activeKind,
        cursor: v.cursor && { x: v.cursor.x, y: v.cursor.y },
      };
    },
    imageToClient: (x, y) => {
      const v = useViewStore.getState().viewport;
      const el = document.querySelector('.canvas');
      if (!v || !el) throw new Error('no canvas');
      const r = el.getBoundingClientRect();
      const p = toStage(v, imagePoint(x, y));
      return { x: r.left + p.x, y: r.top + p.y };
    },
    whenSaved: whenStorageIdle,
    imagesLoaded: async () => {
      const urls = useWorkspaceStore.getState().loaded?.imageUrls ?? [];
      const loaded = await Promise.allSettled(urls.map((u) => loadImage(u)));
      return loaded.filter((r) => r.status === 'fulfilled').length;
    },
    // Imported when asked: the outbox is the collection client's (its chunk), not the static page's.
    outbox: async () =>
      (await (await import('../storage/outbox.ts')).listOutbox()).entries.map((e) => ({ annotator: e.annotator, itemId: e.record.itemId, refusal: e.refusal?.message ?? null })),
  };
  (window as unknown as { __richhf: RichhfTestApi }).__richhf = api;
}
