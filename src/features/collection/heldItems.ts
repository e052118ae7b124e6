/**
 * The items a collection session knows, in the order the annotator met them: those handed out
 * by /next (with their lease), those submitted (on the server or in the outbox) with their
 * records. Both kinds of item: rating items and comparison items (issue 18), each with its own
 * kind of record. Plain data and the rules on it; no store, no request, no storage.
 */
import { isNewer } from '../../core/dataset/newestRecord.ts';
import type { ServedItem } from '../../core/formats/api.ts';
import type { MyRecords } from './api.ts';
import type { AnnotationRecord } from '../../core/formats/index.ts';
import type { OutboxEntry } from '../../storage/records/outboxEntry.ts';
import type { AnnotatorSignIn } from '../../storage/records/signIn.ts';

export interface HeldItems {
  /** In the order the annotator met them; once the workspace shows them, only appended to (indices stay). */
  items: ServedItem[];
  /** Lease expiries (ISO 8601) of items handed out by /next. */
  readonly leases: Map<string, string>;
  /** The server's records and the outbox's, by item. */
  readonly records: Map<string, AnnotationRecord>;
}

export const emptyHeld = (): HeldItems => ({ items: [], leases: new Map(), records: new Map() });

/** Adds or refreshes an item (its image URL may be newer: URLs are signed and expire), keeping its place. */
export function know(h: HeldItems, item: ServedItem): void {
  const i = h.items.findIndex((it) => it.id === item.id);
  if (i >= 0) h.items[i] = item;
  else h.items.push(item);
}

export function lease(h: HeldItems, item: ServedItem, expiresAt: string): void {
  know(h, item);
  h.leases.set(item.id, expiresAt);
}

/** What this browser holds at the start: the outbox's submissions, then the leases kept with the sign-in. */
export function gather(h: HeldItems, waiting: readonly OutboxEntry[], signIn: AnnotatorSignIn): void {
  for (const e of waiting) {
    know(h, e.item);
    h.records.set(e.record.itemId, e.record);
  }
  // The kept copies have the newer image URLs.
  for (const held of signIn.held) lease(h, held.item, held.leaseExpiresAt);
}

export function unsubmitted(h: HeldItems, submitted: ReadonlyMap<string, AnnotationRecord>): ServedItem[] {
  return h.items.filter((it) => !submitted.has(it.id));
}

/** The unsubmitted items with their leases, as the sign-in keeps them (the page opens on them without the server). */
export function heldForSignIn(h: HeldItems, submitted: ReadonlyMap<string, AnnotationRecord>): AnnotatorSignIn['held'] {
  return unsubmitted(h, submitted).map((item) => ({ item, leaseExpiresAt: h.leases.get(item.id) ?? new Date(0).toISOString() }));
}

/**
 * Brings in the server's records (earlier visits, other browsers): each one joins `submitted`
 * (a copy is returned) and the held records unless the one here is newer (core's newest-wins
 * rule); items not known yet join the items, before the others (`first`: nothing shown yet) or
 * after them (the workspace shows them: indices stay).
 */
export function mergeServerRecords(
  h: HeldItems,
  server: MyRecords['submissions'],
  submitted: ReadonlyMap<string, AnnotationRecord>,
  first: boolean,
): Map<string, AnnotationRecord> {
  const merged = new Map(submitted);
  const fresh: ServedItem[] = [];
  for (const { item, record } of server) {
    if (!h.items.some((it) => it.id === item.id) && !fresh.some((it) => it.id === item.id)) fresh.push(item);
    const have = merged.get(item.id);
    if (!have || isNewer(record, have)) {
      merged.set(item.id, record);
      h.records.set(item.id, record);
    }
  }
  h.items = first ? [...fresh, ...h.items] : [...h.items, ...fresh];
  return merged;
}
