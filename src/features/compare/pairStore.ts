/**
 * The pair workspace's state (issue 18), for a pack of comparison items opened in the page: the
 * items, the side each is shown with (core's draw: the pack's name as seed, the annotator, the
 * item's place among the pack's comparison items, as on a server), the answers given (in the
 * item's terms, as records keep them), the records submitted, and which scale the keys 1-5
 * answer. Every change is saved to IndexedDB (storage/comparisonWork.ts) as it happens.
 *
 * On a collection server (serverPairs.ts) the items are those the server handed out, each with
 * the side the server drew (never a local draw); Submit hands the record to the session's
 * outbox first, and the submitted records are the outbox's and the server's (the stored work
 * keeps the drafts and the pair shown).
 */
import { create } from 'zustand';
import { itemAnswer, leftImage } from '../../core/compare/sides.ts';
import { buildAnnotationFile } from '../../core/dataset/annotationFile.ts';
import { isNewer } from '../../core/dataset/newestRecord.ts';
import { criteriaOf, type Answers, type ComparisonItem, type ComparisonRecord, type Criterion } from '../../core/formats/comparison.ts';
import type { RatingRecord } from '../../core/formats/annotations.ts';
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
  /** On a collection server: where Submit goes, and how many items the server's pack holds. */
  readonly server: PairServer | null;
  /** On the static page with a pack of both kinds: the items rated before the pairs, which Export adds (AnnotatorApp.tsx). */
  readonly rated: (() => readonly RatingRecord[]) | null;
}

export interface PairServer {
  /** Into the outbox (stored first), then to the server; resolves once stored. Never rejects. */
  submit(record: ComparisonRecord): Promise<void>;
  /** Items in the server's pack (both kinds). */
  readonly total: number;
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
  server: null,
  rated: null,
}));

const INITIAL = usePairStore.getState();

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
export async function openPairs(loaded: LoadedComparisonPack, annotator: string, rated: (() => readonly RatingRecord[]) | null = null): Promise<void> {
  const items = comparisonItems(loaded.pack);
  const sides = items.map((_, i) => leftImage(loaded.pack.name, annotator, i));
  const { stored, notice } = await storedWork(annotator, loaded.pack.name);
  const ids = new Set(items.map((it) => it.id));
  const submitted = new Map((stored?.submitted ?? []).filter((r) => ids.has(r.itemId)).map((r) => [r.itemId, r]));
  const drafts = draftsOf(stored, ids);
  const index = Math.min(stored?.index ?? 0, items.length - 1);
  lastAction = Date.now();
  usePairStore.setState({ loaded, annotator, items, sides, index, highlighted: 0, drafts, submitted, finished: false, notice, view: FIT, server: null, rated });
}

/**
 * Opens the items a collection server handed out (`loaded`, in the order it did), shown with the
 * sides it drew, for `annotator`: their stored drafts come back; `submitted` (the outbox's and the
 * server's records) says what is done. Starts on the stored pair if unsubmitted, else the first
 * unsubmitted one.
 */
export async function openServerPairs(
  loaded: LoadedComparisonPack,
  sides: readonly (0 | 1)[],
  annotator: string,
  submitted: ReadonlyMap<string, ComparisonRecord>,
  server: PairServer,
): Promise<void> {
  const items = comparisonItems(loaded.pack);
  const { stored, notice } = await storedWork(annotator, loaded.pack.name);
  const drafts = draftsOf(stored, new Set(items.map((it) => it.id)));
  const kept = Math.min(stored?.index ?? 0, items.length - 1);
  const open = items.findIndex((it) => !submitted.has(it.id));
  const index = items[kept] && !submitted.has(items[kept].id) ? kept : Math.max(open, 0);
  lastAction = Date.now();
  usePairStore.setState({ loaded, annotator, items, sides, index, highlighted: 0, drafts, submitted: new Map(submitted), finished: false, notice, view: FIT, server, rated: null });
}

/** The server handed out more items (appended: indices stay), or records changed (given). */
export function updateServerPairs(loaded: LoadedComparisonPack, sides: readonly (0 | 1)[], submitted?: ReadonlyMap<string, ComparisonRecord>): void {
  const s = usePairStore.getState();
  if (!s.server) return;
  const items = comparisonItems(loaded.pack);
  usePairStore.setState({ loaded, items, sides, ...(submitted ? { submitted: mergeSubmitted(s.submitted, submitted) } : {}) });
}

/** A record here stays unless the one given is newer (core's newest-wins rule). */
function mergeSubmitted(have: ReadonlyMap<string, ComparisonRecord>, given: ReadonlyMap<string, ComparisonRecord>): Map<string, ComparisonRecord> {
  const out = new Map(have);
  for (const [id, r] of given) {
    const old = out.get(id);
    if (!old || isNewer(r, old)) out.set(id, r);
  }
  return out;
}

/** On a server: the annotator sits on a submitted pair without a draft: show the first unsubmitted one. */
export function moveOnIfWaiting(): void {
  const s = usePairStore.getState();
  const item = s.items[s.index];
  if (!item || !s.submitted.has(item.id) || s.drafts.has(item.id)) return;
  const open = s.items.findIndex((it) => !s.submitted.has(it.id));
  if (open >= 0) showPair(open);
}

/** Forgets the pairs shown (signed out, or the session ended); what is stored stays. */
export function closePairs(): void {
  usePairStore.setState(INITIAL);
}

async function storedWork(annotator: string, pack: string): Promise<{ stored: ComparisonWork | null; notice: PairState['notice'] }> {
  let stored: ComparisonWork | null = null;
  let notice: PairState['notice'] = null;
  try {
    const r = await loadComparisonWork(annotator, pack);
    stored = r.work;
    if (r.setAside) notice = { text: `Your stored answers could not be read back (${r.setAside}); they were set aside, not deleted.`, error: true };
  } catch (e) {
    notice = { text: `Your stored answers could not be read: ${describeStorageError(e)}`, error: true };
  }
  return { stored, notice };
}

function draftsOf(stored: ComparisonWork | null, ids: ReadonlySet<string>): Map<string, { answers: DraftAnswers; activeMs: number }> {
  return new Map((stored?.drafts ?? []).filter((d) => ids.has(d.itemId)).map((d) => [d.itemId, { answers: d.answers as DraftAnswers, activeMs: d.activeMs }]));
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
  // On a server the session says when everything is done (the server may have more); the pair stays shown until the next one comes.
  const after = next !== undefined ? { index: next, highlighted: 0, view: FIT } : s.server ? {} : { finished: true };
  usePairStore.setState({ submitted, drafts, ...after, notice: null });
  // On a server the record is in the outbox before the draft leaves the stored work.
  if (s.server) void s.server.submit(record).then(save);
  else save();
  return true;
}

/**
 * Downloads the submitted records as the annotator's `richhf-annotations` file (version 2), with
 * the items rated before the pairs on a pack of both kinds (`rated`).
 */
export function exportPairs(): void {
  const s = usePairStore.getState();
  if (!s.loaded || !s.annotator) return;
  const rated = s.rated?.() ?? [];
  const file = buildAnnotationFile(s.annotator, s.loaded.pack, [...rated, ...s.submitted.values()]);
  downloadJson(file, downloadName([s.loaded.pack.name, s.annotator, 'annotations'], 'json'));
  const text = rated.length > 0 ? `Exported ${rated.length} rated item(s) and ${s.submitted.size} judged pair(s).` : `Exported ${s.submitted.size} submitted pair(s).`;
  usePairStore.setState({ notice: { text, error: false } });
}
