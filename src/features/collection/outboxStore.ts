/**
 * What the page knows of the outbox, for the indicator ("Submissions: 2 waiting") and for what
 * must wait until everything is acknowledged. Changed only by the actions below: an entry is
 * counted from the moment Submit queues it (before it is stored) until the server's 200 for it,
 * and a list read from storage only adds to what is known. So the count never says zero while
 * a submission waits, whatever the sender is in the middle of.
 */
import { create } from 'zustand';
import type { OutboxEntry } from '../../storage/records/outboxEntry.ts';

export interface Refusal {
  readonly status: number;
  readonly message: string;
}

export interface Refused extends Refusal {
  readonly clientId: string;
  readonly itemId: string;
}

/** A submission not yet acknowledged by the server. */
interface Waiting {
  readonly clientId: string;
  readonly itemId: string;
  readonly refusal: Refusal | null;
}

export interface OutboxView {
  /** Oldest first; refused ones included: nothing is dropped. */
  readonly entries: readonly Waiting[];
  /** `entries.length`. */
  readonly waiting: number;
  readonly refused: readonly Refused[];
  /** Item ids of the waiting entries (their leases are still live on the server). */
  readonly itemIds: readonly string[];
  /** Why the last attempt failed, while the sender waits to try again. */
  readonly problem: string | null;
  /** Epoch milliseconds of the next attempt, while waiting. */
  readonly retryAt: number | null;
}

const withEntries = (entries: readonly Waiting[]) => ({
  entries,
  waiting: entries.length,
  itemIds: entries.map((e) => e.itemId),
  refused: entries.flatMap((e) => (e.refusal ? [{ clientId: e.clientId, itemId: e.itemId, ...e.refusal }] : [])),
});

const initial: OutboxView = { ...withEntries([]), problem: null, retryAt: null };

export const useOutboxStore = create<OutboxView>()(() => initial);

const set = useOutboxStore.setState;
const waitingOf = (e: OutboxEntry): Waiting => ({ clientId: e.clientId, itemId: e.record.itemId, refusal: e.refusal ?? null });

/** A new session (another sign-in): nothing known yet. */
export function resetOutbox(): void {
  set(initial, true);
}

/** Submit queued `entry` (it may not be stored yet). */
export function outboxQueued(entry: OutboxEntry): void {
  set((s) => (s.entries.some((e) => e.clientId === entry.clientId) ? s : withEntries([...s.entries, waitingOf(entry)])));
}

/** Entries read from storage: unknown ones join, known ones take the stored refusal; none leaves. */
export function outboxListed(stored: readonly OutboxEntry[]): void {
  set((s) => {
    const byId = new Map(stored.map((e) => [e.clientId, waitingOf(e)]));
    const known = s.entries.map((e) => byId.get(e.clientId) ?? e);
    const added = stored.filter((e) => !s.entries.some((k) => k.clientId === e.clientId)).map(waitingOf);
    return withEntries([...known, ...added]);
  });
}

/** The server acknowledged it (200): the only way out. The server answered, so it is reachable. */
export function outboxDelivered(clientId: string): void {
  set((s) => ({ ...withEntries(s.entries.filter((e) => e.clientId !== clientId)), problem: null, retryAt: null }));
}

/** The server refused it as it is (400, 409…); it stays, with the server's words. */
export function outboxRefused(clientId: string, refusal: Refusal): void {
  set((s) => ({ ...withEntries(s.entries.map((e) => (e.clientId === clientId ? { ...e, refusal } : e))), problem: null, retryAt: null }));
}

/** No answer (offline, 5xx, storage failing): the next attempt is at `retryAt`. */
export function outboxStalled(problem: string, retryAt: number): void {
  set({ problem, retryAt });
}
