/**
 * The lead's dashboard on a collection server: live progress from the server's event stream,
 * and the review page's engine fed with the server's data. Each annotator's
 * `richhf-annotations` file is fetched from the export endpoint and handed to the review store
 * (its public actions: `start`, `importFiles`), again when progress shows that annotator's work
 * changed — at most once per REFRESH_MS, so a busy collection does not keep the worker busy.
 */
import { create } from 'zustand';
import type { Invite, Progress } from '../../core/formats/apiLead.ts';
import { clearLeadSignIn } from '../../storage/signIn.ts';
import { ApiError, me, type Connection } from '../collection/api.ts';
import { backoffMs } from '../collection/backoff.ts';
import { comparison as fetchComparison, decide, download, invite, pack as fetchPack, progressStream, quality as fetchQuality, revoke, saveThresholds } from './leadApi.ts';
import type { QualityThresholds } from '../../core/formats/quality.ts';
import type { ComparisonReport } from '../../core/formats/comparisonReport.ts';
import { useServerQuality } from '../review/serverQuality.ts';
import { isComparisonItem, isRatingItem, type RatingPack } from '../../core/formats/index.ts';
import type { LoadedPack } from '../pack/loadedPack.ts';
import { downloadBlob } from '../files/download.ts';
import { downloadName } from '../../core/text/fileName.ts';
import { stopReviewWorker, useReviewStore } from '../review/reviewStore.ts';

/** Milliseconds between two refreshes of the review's data at most. */
export const REFRESH_MS = 2_000;

export type LeadPhase =
  | { readonly kind: 'connecting' }
  /** The token was refused (or is an annotator's): `message` says why. */
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'unreachable'; readonly message: string }
  | { readonly kind: 'ready' };

interface LeadState {
  phase: LeadPhase;
  progress: Progress | null;
  /** Whether the live stream is connected, and why not. */
  live: { readonly connected: boolean; readonly problem: string | null };
  /** Links made in this visit (the server shows a token only once). */
  invites: readonly Invite[];
  /** The last action that failed (invite, revoke, download), until the next one. */
  actionError: string | null;
  /**
   * For a pack with comparison items: the server's report (GET /export/comparison), refreshed
   * with the annotators' files, or why there is none (`problem`).
   */
  comparison: { readonly report: ComparisonReport | null; readonly problem: string | null } | null;
}

export const useLeadStore = create<LeadState>()(() => ({
  phase: { kind: 'connecting' },
  progress: null,
  live: { connected: false, problem: null },
  invites: [],
  actionError: null,
  comparison: null,
}));

const set = useLeadStore.setState;

interface Session {
  readonly conn: Connection;
  readonly abort: AbortController;
  /** Per annotator, the progress (`submitted|lastSeenAt`) their file was last fetched at. */
  readonly fetched: Map<string, string>;
  refreshing: boolean;
  refreshAgain: boolean;
  lastRefresh: number;
  refreshTimer: ReturnType<typeof setTimeout> | null;
  /** The pack has rating items (the review store shows them) and comparison items (the comparison panel). */
  rating: boolean;
  comparisons: boolean;
}

let session: Session | null = null;

export async function openDashboard(token: string): Promise<void> {
  closeDashboard();
  const s: Session = {
    conn: { token },
    abort: new AbortController(),
    fetched: new Map(),
    refreshing: false,
    refreshAgain: false,
    lastRefresh: 0,
    refreshTimer: null,
    rating: true,
    comparisons: false,
  };
  session = s;
  set({ phase: { kind: 'connecting' }, progress: null, invites: [], actionError: null, comparison: null });
  let loaded: LoadedPack | null;
  try {
    const who = await me(s.conn);
    if (who.role !== 'lead') {
      set({ phase: { kind: 'refused', message: "This is an annotator's invite link, not the project lead's: it opens the annotator's work." } });
      return;
    }
    const answer = await fetchPack(s.conn);
    const urlOf = (id: string, image: string) => new URL(answer.imageUrls[id] ?? image, window.location.href).href;
    // Rating items go to the review page's panels, comparison items to the comparison panel.
    const pack: RatingPack = { ...answer.pack, items: answer.pack.items.filter(isRatingItem) };
    s.rating = pack.items.length > 0;
    s.comparisons = answer.pack.items.some(isComparisonItem);
    loaded = s.rating ? { pack, source: 'server', imageUrls: pack.items.map((it) => urlOf(it.id, it.image)) } : null;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (session === s) set({ phase: e instanceof ApiError && e.retryable ? { kind: 'unreachable', message } : { kind: 'refused', message } });
    return;
  }
  if (session !== s) return;
  set({ phase: { kind: 'ready' }, comparison: s.comparisons ? { report: null, problem: null } : null });
  useServerQuality.setState({ source: { quality: null, deciding: new Set(), reject: rejectAnnotator, accept: acceptAnnotator, setThresholds: setQualityThresholds } });
  if (loaded) await useReviewStore.getState().start(loaded, { keepFiles: false });
  void follow(s);
}

/** The server's quality table again (after progress changed, or a decision). */
async function refreshQuality(s: Session): Promise<void> {
  try {
    const q = await fetchQuality(s.conn);
    const source = useServerQuality.getState().source;
    if (session === s && source) useServerQuality.setState({ source: { ...source, quality: q } });
  } catch (e) {
    if (!s.abort.signal.aborted) set({ live: { ...useLeadStore.getState().live, problem: `the quality table could not be fetched: ${(e as Error).message}` } });
  }
}

function deciding(annotator: string, on: boolean): void {
  const source = useServerQuality.getState().source;
  if (!source) return;
  const d = new Set(source.deciding);
  if (on) d.add(annotator);
  else d.delete(annotator);
  useServerQuality.setState({ source: { ...source, deciding: d } });
}

async function decision(annotator: string, action: 'reject' | 'accept', reason?: string): Promise<boolean> {
  const s = session;
  deciding(annotator, true);
  try {
    return await act(`${annotator} could not be ${action === 'reject' ? 'rejected' : 'accepted'}`, async (conn) => {
      await decide(conn, annotator, action, reason);
      if (s) await refreshQuality(s);
    });
  } finally {
    deciding(annotator, false);
  }
}

/** Rejects an annotator: their submissions leave the dataset and their items go back to the queue. */
export const rejectAnnotator = (annotator: string, reason: string) => decision(annotator, 'reject', reason);
/** Accepts a rejected annotator again (undo). */
export const acceptAnnotator = (annotator: string) => decision(annotator, 'accept');

export function setQualityThresholds(t: QualityThresholds): Promise<boolean> {
  const s = session;
  return act('The thresholds could not be saved', async (conn) => {
    await saveThresholds(conn, t);
    if (s) await refreshQuality(s);
  });
}

/** The open dashboard's connection (null: none open). */
export function leadConnection(): Connection | null {
  return session?.conn ?? null;
}

export function closeDashboard(): void {
  if (!session) return;
  session.abort.abort();
  if (session.refreshTimer) clearTimeout(session.refreshTimer);
  session = null;
  useServerQuality.setState({ source: null });
  stopReviewWorker();
}

/** The live stream, reconnected with backoff whenever it ends or fails, until the page goes. */
async function follow(s: Session): Promise<void> {
  for (let failures = 0; !s.abort.signal.aborted;) {
    try {
      await progressStream(
        s.conn,
        (p) => {
          failures = 0;
          set({ progress: p, live: { connected: true, problem: null } });
          scheduleRefresh(s);
        },
        s.abort.signal,
      );
    } catch (e) {
      if (s.abort.signal.aborted) return;
      if (e instanceof ApiError && e.kind === 'auth') {
        set({ phase: { kind: 'refused', message: e.message } });
        return;
      }
      set({ live: { connected: false, problem: e instanceof Error ? e.message : String(e) } });
    }
    const ms = backoffMs(++failures);
    if (useLeadStore.getState().live.connected) set({ live: { connected: false, problem: 'the live stream ended' } });
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      s.abort.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    });
  }
}

function scheduleRefresh(s: Session): void {
  if (s.refreshing) {
    s.refreshAgain = true;
    return;
  }
  if (s.refreshTimer) return;
  s.refreshTimer = setTimeout(
    () => {
      s.refreshTimer = null;
      void refresh(s);
    },
    Math.max(0, s.lastRefresh + REFRESH_MS - Date.now()),
  );
}

/** Fetches the files of annotators whose work changed since their last fetch, and re-runs the review. */
async function refresh(s: Session): Promise<void> {
  const p = useLeadStore.getState().progress;
  if (!p || session !== s) return;
  s.refreshing = true;
  s.lastRefresh = Date.now();
  try {
    // A decision changes an annotator's file (it holds their accepted submissions) without new work.
    const key = (a: (typeof p.annotators)[number]) => `${a.submitted}|${a.lastSeenAt}|${a.rejected}|${a.rejectedSubmissions}`;
    const stale = p.annotators.filter((a) => a.submitted > 0 && s.fetched.get(a.id) !== key(a));
    if (s.comparisons && stale.length > 0) await refreshComparison(s);
    if (!s.rating) {
      stale.forEach((a) => s.fetched.set(a.id, key(a)));
      return;
    }
    void refreshQuality(s);
    const files = await Promise.all(
      stale.map(async (a) => {
        const blob = await download(s.conn, { annotator: a.id }, s.abort.signal);
        return new File([blob], `${a.id}.json`, { type: 'application/json' });
      }),
    );
    if (session !== s || files.length === 0) return;
    await useReviewStore.getState().importFiles(files);
    stale.forEach((a) => s.fetched.set(a.id, key(a)));
  } catch (e) {
    // The stream's next event (or its reconnection) tries again.
    if (!s.abort.signal.aborted) set({ live: { ...useLeadStore.getState().live, problem: `the annotators' files could not be fetched: ${(e as Error).message}` } });
  } finally {
    s.refreshing = false;
    if (s.refreshAgain && session === s) {
      s.refreshAgain = false;
      scheduleRefresh(s);
    }
  }
}

/** The server's comparison report, again (after the annotators' work changed). */
async function refreshComparison(s: Session): Promise<void> {
  try {
    const report = await fetchComparison(s.conn);
    if (session === s) set({ comparison: { report, problem: null } });
  } catch (e) {
    if (session !== s || s.abort.signal.aborted) return;
    if (e instanceof ApiError && e.retryable) throw e;
    set({ comparison: { report: useLeadStore.getState().comparison?.report ?? null, problem: e instanceof Error ? e.message : String(e) } });
  }
}

/** Runs a lead's action on the open dashboard's connection; a failure becomes `actionError` (shown at the top). */
export async function act(what: string, fn: (conn: Connection) => Promise<void>): Promise<boolean> {
  const s = session;
  if (!s) return false;
  set({ actionError: null });
  try {
    await fn(s.conn);
    return true;
  } catch (e) {
    set({ actionError: `${what}: ${e instanceof Error ? e.message : String(e)}` });
    return false;
  }
}

/** New invite links (an existing id gets a fresh link; its old one stops working). */
export function createInvites(annotators: readonly string[]): Promise<boolean> {
  return act('The invites could not be created', async (conn) => {
    const made = await invite(conn, annotators);
    set((st) => ({ invites: [...made, ...st.invites.filter((i) => !made.some((m) => m.annotator === i.annotator))] }));
  });
}

export function revokeAnnotator(annotator: string): Promise<boolean> {
  return act(`${annotator} could not be revoked`, async (conn) => {
    await revoke(conn, annotator);
    set((st) => ({ invites: st.invites.filter((i) => i.annotator !== annotator) }));
  });
}

export function downloadFromServer(what: { annotator: string } | 'dataset' | 'parquet' | 'participants'): Promise<boolean> {
  const name = useReviewStore.getState().pack?.pack.name ?? 'pack';
  return act('The download failed', async (conn) => {
    const blob = await download(conn, what);
    downloadBlob(
      blob,
      what === 'parquet'
        ? downloadName([name, 'parquet'], 'zip')
        : what === 'participants'
          ? downloadName([name, 'participants'], 'csv')
          : downloadName([name, what === 'dataset' ? 'dataset' : what.annotator], 'json'),
    );
  });
}

export function dismissLeadError(): void {
  set({ actionError: null });
}

export async function signOutLead(): Promise<void> {
  closeDashboard();
  await clearLeadSignIn().catch((e: unknown) => console.warn('richhf: the sign-in could not be forgotten', e));
  window.location.reload();
}
