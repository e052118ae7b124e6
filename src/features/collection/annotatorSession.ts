/**
 * An annotator working on a collection server (`/?invite=TOKEN`). The workspace is the static
 * mode's own: the items the server handed out (its earlier records, the outbox's, the leases
 * held) make the pack it shows, growing as `/next` hands out more. The annotator always holds
 * the current item and one more, fetched (and its image decoded) while they work, so Submit
 * moves on at once. Submit goes to the outbox (stored first, then sent: outboxSender.ts).
 *
 * Without an answer from the server the page keeps working on what it holds (cached in the
 * sign-in record), and sends what waits when the server is back. A 401 anywhere ends the
 * session with the server's message; nothing stored is removed.
 */
import { create } from 'zustand';
import { isNewer } from '../../core/dataset/newestRecord.ts';
import { downloadName } from '../../core/text/fileName.ts';
import type { MySubmissions, PackSummary, ServerItem } from '../../core/formats/api.ts';
import { ANNOTATIONS_FORMAT, ANNOTATIONS_VERSION, type AnnotationRecord, type TaskPack } from '../../core/formats/index.ts';
import { listOutbox, addToOutbox } from '../../storage/outbox.ts';
import type { OutboxEntry } from '../../storage/records/outboxEntry.ts';
import type { AnnotatorSignIn } from '../../storage/records/signIn.ts';
import { clearAnnotatorSignIn, saveAnnotatorSignIn } from '../../storage/signIn.ts';
import { describeStorageError } from '../../storage/storageError.ts';
import { useDraftStore } from '../annotate/draftStore.ts';
import { prefetch } from '../annotate/imageCache.ts';
import { useSaveStore } from '../annotate/saveStore.ts';
import { closeSession, showItem, startSession } from '../annotate/session.ts';
import { currentItem, useWorkspaceStore } from '../annotate/workspaceStore.ts';
import type { LoadedPack } from '../pack/loadPack.ts';
import { ApiError, me, mySubmissions, next, submit, type Connection } from './api.ts';
import { newClientId } from './clientId.ts';
import { backoffMs, createSender, useOutboxStore, type Sender } from './outboxSender.ts';

/** Unsubmitted items the annotator holds: the current one and one ready behind it. */
export const HOLD = 2;
/** The server refuses more ids in `exclude`. */
const MAX_EXCLUDE = 100;

export type CollectionPhase =
  | { readonly kind: 'connecting' }
  /** Signed out, or the token was refused (`message` is the server's). */
  | { readonly kind: 'signedOut'; readonly message: string | null }
  /** No answer from the server and nothing held to work on (it keeps trying). */
  | { readonly kind: 'unreachable'; readonly message: string }
  | { readonly kind: 'working' }
  /** Nothing left for this annotator (204); `retryAfterMs` when others hold items that may come back. */
  | { readonly kind: 'finished'; readonly retryAfterMs: number | null };

interface CollectionState {
  phase: CollectionPhase;
  annotator: string | null;
  pack: PackSummary | null;
  /** Why no next item is coming, while the annotator has nothing unfinished (offline…). */
  waiting: string | null;
  /** Items submitted: on the server or in the outbox. */
  done: number;
}

export const useCollectionStore = create<CollectionState>()(() => ({ phase: { kind: 'connecting' }, annotator: null, pack: null, waiting: null, done: 0 }));

const set = useCollectionStore.setState;

/** The live session: reset by each start; plain data apart from the sender and timers. */
interface Live {
  readonly conn: Connection;
  signIn: AnnotatorSignIn;
  sender: Sender | null;
  /** Items in the order the annotator met them. */
  items: ServerItem[];
  /** Lease expiries (ISO 8601) of items handed out by /next. */
  leases: Map<string, string>;
  /** The server's records and the outbox's, by item. */
  records: Map<string, AnnotationRecord>;
  refilling: boolean;
  refillFailures: number;
  cancelTimer: (() => void) | null;
  bound: boolean;
  stopped: boolean;
  /** The server's own records are merged in (false after a start without the server). */
  caughtUp: boolean;
}

let live: Live | null = null;

function timer(l: Live, fn: () => void, ms: number): void {
  l.cancelTimer?.();
  const t = setTimeout(() => {
    l.cancelTimer = null;
    fn();
  }, ms);
  l.cancelTimer = () => clearTimeout(t);
}

/** Open the session for a stored sign-in: ask the server who this is, gather the work, show it. */
export async function startCollection(signIn: AnnotatorSignIn): Promise<void> {
  stopLive();
  const l: Live = {
    conn: { token: signIn.token, onAnswer: () => onAnswer(l) },
    signIn,
    sender: null,
    items: [],
    leases: new Map(),
    records: new Map(),
    refilling: false,
    refillFailures: 0,
    cancelTimer: null,
    bound: false,
    stopped: false,
    caughtUp: false,
  };
  live = l;
  set({ phase: { kind: 'connecting' }, waiting: null });
  await connect(l, 0);
}

async function connect(l: Live, attempt: number): Promise<void> {
  let who: { annotator: string; pack: PackSummary } | null = null;
  try {
    const answer = await me(l.conn);
    if (answer.role !== 'annotator' || answer.annotator === undefined) {
      set({ phase: { kind: 'signedOut', message: "This link is the project lead's: it opens the review page, not the annotator's work." } });
      return;
    }
    who = { annotator: answer.annotator, pack: answer.pack };
  } catch (e) {
    if (!(e instanceof ApiError) || !e.retryable) return refuse(l, e);
  }
  if (l.stopped) return;
  const { annotator, pack } = who ?? l.signIn;
  if (!annotator || !pack) {
    // Never reached the server with this token, and nothing to work on: keep trying.
    const ms = backoffMs(attempt + 1);
    set({ phase: { kind: 'unreachable', message: `No answer from the collection server. Trying again in ${Math.round(ms / 1000)} s.` } });
    timer(l, () => void connect(l, attempt + 1), ms);
    return;
  }
  if (who && (l.signIn.annotator !== annotator || l.signIn.pack?.name !== pack.name)) {
    l.signIn = { ...l.signIn, annotator, pack, held: [] };
    saveSignIn(l);
  }
  set({ annotator, pack });

  let waiting: OutboxEntry[];
  try {
    waiting = (await listOutbox(annotator)).entries;
  } catch (e) {
    waiting = [];
    useWorkspaceStore.setState({ notice: { text: `Submissions waiting in this browser could not be read: ${describeStorageError(e)}`, isError: true } });
  }
  if (l.stopped) return;
  gather(l, waiting);
  // The server's own records (done in earlier visits or other browsers): now, or once it answers.
  if (who && !(await catchUp(l))) return;

  l.sender = createSender({
    annotator,
    send: (clientId, record) => submit(l.conn, clientId, record),
    onAuthFailure: (e) => refuse(l, e),
    onDelivered: () => void refill(l),
  });
  l.sender.kick();
  if (unsubmitted(l).length > 0) await bind(l);
  await refill(l);
  if (l.bound || l.stopped || useCollectionStore.getState().phase.kind !== 'connecting') return;
  // No next item (no answer from the server): show the submitted ones, or say why there is nothing.
  if (l.items.length > 0) await bind(l);
  else set({ phase: { kind: 'unreachable', message: useCollectionStore.getState().waiting ?? 'No item has come from the server yet.' } });
}

/** The items and records this browser holds: the outbox's submissions, then the leases held. */
function gather(l: Live, waiting: readonly OutboxEntry[]): void {
  for (const e of waiting) {
    addKnown(l, e.item);
    l.records.set(e.record.itemId, e.record);
  }
  // The held copies have the newer image URLs (URLs are signed and expire).
  for (const h of l.signIn.held) addItem(l, h.item, h.leaseExpiresAt);
  set({ done: l.records.size });
}

/** Adds or refreshes an item (its image URL may be newer), keeping its place. */
function addKnown(l: Live, item: ServerItem): void {
  const i = l.items.findIndex((it) => it.id === item.id);
  if (i >= 0) l.items[i] = item;
  else l.items.push(item);
}

function unsubmitted(l: Live): ServerItem[] {
  const submitted = l.bound ? useWorkspaceStore.getState().submitted : l.records;
  return l.items.filter((it) => !submitted.has(it.id));
}

function loadedPack(l: Live): LoadedPack {
  const summary = useCollectionStore.getState().pack!;
  const pack: TaskPack = {
    format: 'richhf-taskpack',
    version: 1,
    name: summary.name,
    annotatorsPerItem: summary.annotatorsPerItem,
    ...(summary.instructions !== undefined ? { instructions: summary.instructions } : {}),
    items: l.items.map((it) => ({ id: it.id, image: it.image, prompt: it.prompt, ...(it.width !== null && it.height !== null ? { width: it.width, height: it.height } : {}) })),
  };
  return {
    pack,
    source: 'server',
    imageUrls: l.items.map((it) => new URL(it.image, window.location.href).href),
    server: { submitted: () => (l.bound ? useWorkspaceStore.getState().submitted : l.records), submit: (record) => submitToOutbox(l, record) },
  };
}

/** Show the workspace on the items known (once; later items are added to it). */
async function bind(l: Live): Promise<void> {
  if (l.bound || l.stopped || l.items.length === 0) return;
  const pack = loadedPack(l);
  set({ phase: { kind: 'working' } });
  await startSession(useCollectionStore.getState().annotator!, pack);
  l.bound = true;
  if (l.stopped) return;
  // Start on an unfinished item, not on a submitted one the stored session pointed to.
  const ws = useWorkspaceStore.getState();
  const cur = currentItem();
  const open = l.items.findIndex((it) => !ws.submitted.has(it.id));
  if (cur && ws.submitted.has(cur.id) && open >= 0) showItem(open);
}

/** Keep HOLD unsubmitted items in hand: ask /next for more, excluding what is held or still in the outbox. */
async function refill(l: Live): Promise<void> {
  if (l.refilling || l.stopped) return;
  const open = unsubmitted(l);
  if (open.length >= HOLD) return;
  l.refilling = true;
  try {
    const exclude = [...new Set([...open.map((it) => it.id), ...useOutboxStore.getState().itemIds])].slice(0, MAX_EXCLUDE);
    const answer = await next(l.conn, exclude);
    l.refillFailures = 0;
    if (l.stopped) return;
    if (answer.kind === 'none') {
      set({ waiting: null });
      if (open.length === 0) {
        set({ phase: { kind: 'finished', retryAfterMs: answer.retryAfterMs } });
        // Others hold items that may come back when their leases expire: look again then.
        if (answer.retryAfterMs !== null) timer(l, () => void refill(l), answer.retryAfterMs);
      }
      return;
    }
    const known = l.items.some((it) => it.id === answer.item.id);
    addItem(l, answer.item, answer.leaseExpiresAt);
    if (!l.bound) await bind(l);
    else moveOnIfWaiting(l, answer.item.id);
    if (useCollectionStore.getState().phase.kind === 'finished') set({ phase: { kind: 'working' } });
    set({ waiting: null });
    l.refilling = false;
    if (!known) await refill(l);
  } catch (e) {
    if (!(e instanceof ApiError) || e.kind === 'auth') return refuse(l, e);
    // 409: too many leases held while the outbox still waits; it calls refill when it delivers.
    if (e.kind === 'refused') {
      set({ waiting: e.message });
      return;
    }
    const ms = backoffMs(++l.refillFailures);
    set({ waiting: `No next item yet: ${e.message}. Trying again in ${Math.round(ms / 1000)} s.` });
    timer(l, () => void refill(l), ms);
  } finally {
    l.refilling = false;
  }
}

/** An item handed out by /next: known, its image fetched and decoded ahead, its lease kept. */
function addItem(l: Live, item: ServerItem, leaseExpiresAt: string): void {
  addKnown(l, item);
  l.leases.set(item.id, leaseExpiresAt);
  prefetch(new URL(item.image, window.location.href).href);
  if (l.bound) useWorkspaceStore.setState({ loaded: loadedPack(l) });
  saveHeld(l);
}

/** The annotator sits on a submitted item with nothing else to do: show the new one. */
function moveOnIfWaiting(l: Live, itemId: string): void {
  const ws = useWorkspaceStore.getState();
  const cur = currentItem();
  const untouched = useDraftStore.getState().editCount === useSaveStore.getState().shownEditCount;
  if (cur && ws.submitted.has(cur.id) && untouched) showItem(l.items.findIndex((it) => it.id === itemId));
}

async function submitToOutbox(l: Live, record: AnnotationRecord): Promise<void> {
  const item = l.items.find((it) => it.id === record.itemId);
  const { annotator, pack } = useCollectionStore.getState();
  if (!item || !annotator || !pack) return;
  const entry: OutboxEntry = { version: 1, clientId: newClientId(), annotator, pack: pack.name, item, record, queuedAt: Date.now() };
  l.records.set(record.itemId, record);
  set({ done: l.records.size });
  useOutboxStore.setState((s) => ({ waiting: s.waiting + 1, itemIds: [...s.itemIds, record.itemId] }));
  try {
    await addToOutbox(entry);
  } catch (e) {
    // Not kept in this browser: send it from memory, and say that the tab must stay open.
    l.sender?.hold(entry);
    useWorkspaceStore.setState({
      notice: { text: `Item ${record.itemId} could not be kept in this browser (${describeStorageError(e)}); keep this tab open until it is sent.`, isError: true },
    });
  }
  saveHeld(l);
  l.sender?.kick();
  void refill(l);
}

/**
 * Brings in the server's records that this page does not show (earlier visits, other browsers;
 * after a start without the server, once it answers); a newer record here (in the outbox) stays.
 * False when the session ended (the token was refused).
 */
async function catchUp(l: Live): Promise<boolean> {
  l.caughtUp = true;
  let server: MySubmissions;
  try {
    server = await mySubmissions(l.conn);
  } catch (e) {
    l.caughtUp = false;
    if (!(e instanceof ApiError) || !e.retryable) refuse(l, e);
    return !l.stopped;
  }
  if (l.stopped) return false;
  const records = l.bound ? new Map(useWorkspaceStore.getState().submitted) : l.records;
  const fresh: ServerItem[] = [];
  for (const { item, record } of server.submissions) {
    if (!l.items.some((it) => it.id === item.id)) fresh.push(item);
    const have = records.get(item.id);
    if (!have || isNewer(record, have)) {
      records.set(item.id, record);
      l.records.set(item.id, record);
    }
  }
  // Earlier work first; once the workspace shows the items, new ones go last (indices stay).
  l.items = l.bound ? [...l.items, ...fresh] : [...fresh, ...l.items];
  set({ done: l.records.size });
  if (l.bound) useWorkspaceStore.setState({ submitted: records, loaded: loadedPack(l) });
  return true;
}

/** The sign-in record keeps the unsubmitted items held, so the page opens on them without the server. */
function saveHeld(l: Live): void {
  const held = unsubmitted(l).map((item) => ({ item, leaseExpiresAt: l.leases.get(item.id) ?? new Date(0).toISOString() }));
  l.signIn = { ...l.signIn, held };
  saveSignIn(l);
}

function saveSignIn(l: Live): void {
  saveAnnotatorSignIn(l.signIn).catch((e: unknown) => console.warn('richhf: the sign-in could not be kept', e));
}

function onAnswer(l: Live): void {
  if (!l.caughtUp) void catchUp(l);
  if (useOutboxStore.getState().retryAt !== null) l.sender?.kick();
  if (useCollectionStore.getState().waiting !== null && !l.refilling) {
    l.refillFailures = 0;
    void refill(l);
  }
}

/** A refusal of the token (401) or an answer nobody can act on: end the session, keep everything stored. */
function refuse(l: Live, e: unknown): void {
  if (l.stopped) return;
  stopLive();
  const message = e instanceof ApiError ? e.message : e instanceof Error ? e.message : String(e);
  set({ phase: { kind: 'signedOut', message } });
  // A token that never signed anyone in (an unknown invite) is not kept: the next visit shows the server's own page.
  if (e instanceof ApiError && e.kind === 'auth' && l.signIn.annotator === undefined && useCollectionStore.getState().annotator === null) {
    clearAnnotatorSignIn().catch((err: unknown) => console.warn('richhf: the sign-in could not be forgotten', err));
  }
  if (l.bound) void closeSession();
}

function stopLive(): void {
  if (!live) return;
  live.stopped = true;
  live.sender?.stop();
  live.cancelTimer?.();
  live = null;
}

/** Try now instead of waiting for the next retry (a button on the waiting screens). */
export function retryNow(): void {
  const l = live;
  if (!l) return;
  l.cancelTimer?.();
  l.refillFailures = 0;
  l.sender?.retryRefused();
  if (!l.sender) void connect(l, 0);
  else void refill(l);
}

/** Back to the workspace from the finished screen, to look at (or revise) submitted items. */
export function showSubmitted(): void {
  if (live?.bound) set({ phase: { kind: 'working' } });
}

/** Forget the token in this browser. The outbox and drafts stay, for the next sign-in as this annotator. */
export async function signOut(): Promise<void> {
  const bound = live?.bound ?? false;
  stopLive();
  set({ phase: { kind: 'signedOut', message: null } });
  if (bound) await closeSession();
  await clearAnnotatorSignIn().catch((e: unknown) => console.warn('richhf: the sign-in could not be forgotten', e));
}

/** Waiting submissions of `annotator` as a `richhf-annotations` file (for the lead, when they cannot be sent). */
export async function downloadWaiting(annotator: string): Promise<void> {
  const { entries } = await listOutbox(annotator);
  const pack = entries[0]?.pack ?? useCollectionStore.getState().pack?.name ?? 'pack';
  const file = { format: ANNOTATIONS_FORMAT, version: ANNOTATIONS_VERSION, annotator, pack, annotations: entries.map((e) => e.record) };
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([JSON.stringify(file, null, 2) + '\n'], { type: 'application/json' }));
  a.download = downloadName([pack, annotator, 'waiting'], 'json');
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}
