/**
 * The pair workspace's state (issue 18), for a pack of comparison items opened in the page: the
 * items, the side each is shown with (core's draw: the pack's name as seed, the annotator, the
 * item's place among the pack's comparison items, as on a server), the answers given (in the
 * item's terms, as records keep them), the records submitted, and which scale the keys 1-5
 * answer. Every change is saved to IndexedDB (storage/comparisonWork.ts) as it happens.
 */
import { create } from 'zustand';
import { itemAnswer, leftImage } from '../../core/compare/sides.ts';
import { buildAnnotationFile } from '../../core/dataset/annotationFile.ts';
import { criteriaOf, type Answers, type ComparisonItem, type ComparisonRecord, type Criterion } from '../../core/formats/comparison.ts';
import { comparisonItems } from '../../core/formats/taskpack.ts';
import { downloadName } from '../../core/text/fileName.ts';
import { emptyComparisonWork, loadComparisonWork, saveComparisonWork, type ComparisonWork } from '../../storage/comparisonWork.ts';
import { describeStorageError } from '../../storage/storageError.ts';
import { downloadJson } from '../files/download.ts';
import type { LoadedComparisonPack } from '../pack/loadPack.ts';

/** Gaps between two actions longer than this (milliseconds) are not counted as active time (as for rating items). */
const IDLE_MS = 60_000;

type DraftAnswers = Partial<Record<Criterion, number>>;

export interface PairState {
  readonly loaded: LoadedComparisonPack | null;
  readonly annotator: string | null;
  readonly items: readonly ComparisonItem[];
  /** images[left] of item i is shown on the left. */
  readonly sides: readonly (0 | 1)[];
  readonly index: number;
  /** The scale the keys 1-5 answer (an index in the item's criteria). */
  readonly highlighted: number;
  readonly drafts: ReadonlyMap<string, { answers: DraftAnswers; activeMs: number }>;
  readonly submitted: ReadonlyMap<string, ComparisonRecord>;
  readonly finished: boolean;
  readonly notice: { text: string; error: boolean } | null;
  /**
   * The one view both images share: `zoom` ≥ 1 (1 = the whole image fits its box) and the pan, in
   * fractions of the box's size (0 = centred), kept within what shows no empty margin:
   * |pan| ≤ (zoom - 1) / 2. Reset for each pair.
   */
  readonly view: { readonly zoom: number; readonly x: number; readonly y: number };
}

const FIT = { zoom: 1, x: 0, y: 0 } as const;
const MAX_ZOOM = 8;

export const usePairStore = create<PairState>(() => ({
  loaded: null,
  annotator: null,
  items: [],
  sides: [],
  index: 0,
  highlighted: 0,
  drafts: new Map(),
  submitted: new Map(),
  finished: false,
  notice: null,
  view: FIT,
}));

/** The pan within ±(zoom - 1) / 2 (never -0: the transform is written from it). */
function clampPan(v: number, zoom: number): number {
  const limit = (zoom - 1) / 2;
  const r = Math.max(-limit, Math.min(limit, v));
  return r === 0 ? 0 : r;
}

/** Zooms both images by `factor` about their centres (the pan scales with them). */
export function zoomBy(factor: number): void {
  const { view } = usePairStore.getState();
  const zoom = Math.max(1, Math.min(MAX_ZOOM, view.zoom * factor));
  const k = zoom / view.zoom;
  usePairStore.setState({ view: { zoom, x: clampPan(view.x * k, zoom), y: clampPan(view.y * k, zoom) } });
}

/** Pans both images by a move of (dx, dy) fractions of the box's size. */
export function panBy(dx: number, dy: number): void {
  const { view } = usePairStore.getState();
  usePairStore.setState({ view: { zoom: view.zoom, x: clampPan(view.x + dx, view.zoom), y: clampPan(view.y + dy, view.zoom) } });
}

export function fitView(): void {
  usePairStore.setState({ view: FIT });
}

let lastAction = 0;

/** Active milliseconds since the last action (0 after an idle gap). */
function activeSince(now: number): number {
  const gap = now - lastAction;
  lastAction = now;
  return gap > 0 && gap <= IDLE_MS ? gap : 0;
}

function workOf(s: PairState): ComparisonWork {
  return {
    ...emptyComparisonWork(),
    submitted: [...s.submitted.values()],
    drafts: [...s.drafts].map(([itemId, d]) => ({ itemId, answers: { ...d.answers }, activeMs: Math.round(d.activeMs) })),
    index: s.index,
  };
}

function save(): void {
  const s = usePairStore.getState();
  if (!s.loaded || !s.annotator) return;
  saveComparisonWork(s.annotator, s.loaded.pack.name, workOf(s)).catch((e: unknown) =>
    usePairStore.setState({ notice: { text: `Your answers could not be saved in this browser: ${describeStorageError(e)}`, error: true } }),
  );
}

/** Opens the pack for `annotator`, with their stored work. */
export async function openPairs(loaded: LoadedComparisonPack, annotator: string): Promise<void> {
  const items = comparisonItems(loaded.pack);
  const sides = items.map((_, i) => leftImage(loaded.pack.name, annotator, i));
  let stored: ComparisonWork | null = null;
  let notice: PairState['notice'] = null;
  try {
    const r = await loadComparisonWork(annotator, loaded.pack.name);
    stored = r.work;
    if (r.setAside) notice = { text: `Your stored answers could not be read back (${r.setAside}); they were set aside, not deleted.`, error: true };
  } catch (e) {
    notice = { text: `Your stored answers could not be read: ${describeStorageError(e)}`, error: true };
  }
  const ids = new Set(items.map((it) => it.id));
  const submitted = new Map((stored?.submitted ?? []).filter((r) => ids.has(r.itemId)).map((r) => [r.itemId, r]));
  const drafts = new Map((stored?.drafts ?? []).filter((d) => ids.has(d.itemId)).map((d) => [d.itemId, { answers: d.answers as DraftAnswers, activeMs: d.activeMs }]));
  const index = Math.min(stored?.index ?? 0, items.length - 1);
  lastAction = Date.now();
  usePairStore.setState({ loaded, annotator, items, sides, index, highlighted: 0, drafts, submitted, finished: false, notice, view: FIT });
}

/** The answers shown for item `index`: its draft, else its submitted record's. */
export function answersOf(s: PairState, index: number): DraftAnswers {
  const item = s.items[index];
  if (!item) return {};
  return s.drafts.get(item.id)?.answers ?? s.submitted.get(item.id)?.answers ?? {};
}

/** Answers `criterion` of the item shown with `screen` (-2 = left much better … 2 = right much better). */
export function choose(criterion: Criterion, screen: number): void {
  const s = usePairStore.getState();
  const item = s.items[s.index];
  if (!item) return;
  const criteria = criteriaOf(item);
  const answers = { ...answersOf(s, s.index), [criterion]: itemAnswer(screen, s.sides[s.index]!) };
  const prev = s.drafts.get(item.id);
  const drafts = new Map(s.drafts).set(item.id, { answers, activeMs: (prev?.activeMs ?? 0) + activeSince(Date.now()) });
  // The highlight moves on to the next scale without an answer (as for rating items' scores).
  const at = criteria.indexOf(criterion);
  const nextOpen = [...criteria.slice(at + 1), ...criteria.slice(0, at)].find((c) => answers[c] === undefined);
  usePairStore.setState({ drafts, highlighted: nextOpen !== undefined ? criteria.indexOf(nextOpen) : at, notice: null });
  save();
}

/** Key 1-5: answers the highlighted scale. */
export function chooseHighlighted(screen: number): void {
  const s = usePairStore.getState();
  const item = s.items[s.index];
  if (!item) return;
  const criterion = criteriaOf(item)[s.highlighted];
  if (criterion) choose(criterion, screen);
}

export function highlight(step: number): void {
  const s = usePairStore.getState();
  const item = s.items[s.index];
  if (!item) return;
  const n = criteriaOf(item).length;
  usePairStore.setState({ highlighted: (s.highlighted + step + n) % n });
}

export function showPair(index: number): void {
  const s = usePairStore.getState();
  if (index < 0 || index >= s.items.length) return;
  lastAction = Date.now();
  usePairStore.setState({ index, highlighted: 0, finished: false, notice: null, view: FIT });
  save();
}

/** The criteria of the item shown that have no answer yet. */
export function unanswered(s: PairState): Criterion[] {
  const item = s.items[s.index];
  if (!item) return [];
  const answers = answersOf(s, s.index);
  return criteriaOf(item).filter((c) => answers[c] === undefined);
}

/** Submits the item shown (every criterion answered), then shows the next one not submitted. False when something is missing. */
export function submitPair(): boolean {
  const s = usePairStore.getState();
  const item = s.items[s.index];
  if (!item) return false;
  const missing = unanswered(s);
  if (missing.length > 0) {
    usePairStore.setState({ notice: { text: `Answer ${missing.join(', ')} first (keys 1-5).`, error: true } });
    return false;
  }
  const given = answersOf(s, s.index);
  const answers: Answers = {};
  for (const c of criteriaOf(item)) answers[c] = given[c]!;
  const draft = s.drafts.get(item.id);
  const record: ComparisonRecord = {
    itemId: item.id,
    left: s.sides[s.index]!,
    answers,
    submittedAt: new Date().toISOString(),
    activeMs: Math.round((draft?.activeMs ?? s.submitted.get(item.id)?.activeMs ?? 0) + activeSince(Date.now())),
  };
  const submitted = new Map(s.submitted).set(item.id, record);
  const drafts = new Map(s.drafts);
  drafts.delete(item.id);
  const order = [...s.items.keys()].map((k) => (s.index + 1 + k) % s.items.length);
  const next = order.find((i) => !submitted.has(s.items[i]!.id));
  usePairStore.setState({ submitted, drafts, ...(next !== undefined ? { index: next, highlighted: 0, view: FIT } : { finished: true }), notice: null });
  save();
  return true;
}

/** Downloads the submitted records as the annotator's `richhf-annotations` file (version 2). */
export function exportPairs(): void {
  const s = usePairStore.getState();
  if (!s.loaded || !s.annotator) return;
  const file = buildAnnotationFile(s.annotator, s.loaded.pack, s.submitted.values());
  downloadJson(file, downloadName([s.loaded.pack.name, s.annotator, 'annotations'], 'json'));
  usePairStore.setState({ notice: { text: `Exported ${file.annotations.length} submitted pair(s).`, error: false } });
}
