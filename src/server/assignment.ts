import { sql, type RawBuilder } from 'kysely';
import type { DialectName } from './db/database.ts';
import type { Tx } from './db/schema.ts';

/**
 * The lease rule: who gets which item, and how a submission counts. Every decision about
 * assignment is in this file; everything runs inside a write transaction (Db.write) and is the
 * same Kysely code on SQLite and PostgreSQL, apart from the row locks that SQLite does not need
 * (its write transaction, BEGIN IMMEDIATE, already excludes every other writer).
 *
 * Invariants, with K = the pack's annotatorsPerItem:
 * - an item counts an annotator while they hold a live lease on it or have submitted it; a claim
 *   never makes an item count more than K annotators;
 * - an annotator holds at most one row per item (primary key), so they never get an item twice;
 *   after their own lease expired unsubmitted they may be given it again (they are still one
 *   annotator);
 * - a lease that expired is released (the item goes to someone else), but a late submission on
 *   it is still accepted and counted: an item can then end with K + 1 annotators, never fewer
 *   than K, and no work is thrown away;
 * - items already started go first, then the rest in pack order.
 *
 * On the item row, `held` (unsubmitted, unreleased assignments) and `submitted` (annotators
 * with a submission) are kept in step with the assignments table by the functions below, and
 * `state` orders the claim. The counters only choose candidates; the decision to claim is made
 * on a re-count of the assignments after the item row is locked.
 */

export interface LeaseRule {
  /** The pack's annotatorsPerItem. */
  readonly annotatorsPerItem: number;
  /** Lease length in milliseconds. */
  readonly leaseMs: number;
  /** Live leases one annotator may hold at once (the current item, a prefetched one, a spare). */
  readonly maxLeases: number;
}

export const DEFAULT_MAX_LEASES = 3;

/** items.state: the claim takes state 0 before 1, and never 2. */
export const ITEM_STATE = { started: 0, fresh: 1, full: 2 } as const;

/** items.state from its counters, as an SQL expression over the row being updated. */
export function stateExpr(k: number): RawBuilder<number> {
  // Literals, not parameters: PostgreSQL would type the THEN parameters as text. All are integers from code.
  if (!Number.isInteger(k)) throw new RangeError('K must be an integer');
  const { full, started, fresh } = ITEM_STATE;
  return sql<number>`case when held + submitted >= ${sql.lit(k)} then ${sql.lit(full)} when held + submitted > 0 then ${sql.lit(started)} else ${sql.lit(fresh)} end`;
}

export type NextResult =
  | { readonly kind: 'item'; readonly itemId: string; readonly expiresAt: number; readonly renewed: boolean }
  /** Nothing for this annotator now; `retryAfterMs` when items are held by others' live leases and may come back. */
  | { readonly kind: 'none'; readonly retryAfterMs?: number }
  /** They already hold maxLeases live leases, none of them outside `exclude`. */
  | { readonly kind: 'tooMany'; readonly held: number };

/** Work done per claim at most, so a pathological race cannot loop for long. */
const MAX_CANDIDATES = 32;

/**
 * The item an annotator should work on now: their oldest live lease that is not in `exclude`,
 * else a newly claimed item. Call inside Db.write.
 */
export async function nextItem(tx: Tx, dialect: DialectName, annotator: string, exclude: ReadonlySet<string>, now: number, rule: LeaseRule): Promise<NextResult> {
  // Locks this annotator's row on PostgreSQL, so two requests of one annotator run one at a time.
  await tx.updateTable('annotators').set({ last_seen_at: now }).where('id', '=', annotator).execute();
  await releaseExpired(tx, dialect, now, rule.annotatorsPerItem);

  const mine = await tx
    .selectFrom('assignments')
    .select(['item_id', 'expires_at'])
    .where('annotator', '=', annotator)
    .where('submitted', '=', 0)
    .where('released', '=', 0)
    .where('expires_at', '>', now)
    .orderBy('leased_at')
    .orderBy('item_id')
    .execute();
  const kept = mine.find((m) => !exclude.has(m.item_id));
  if (kept) return { kind: 'item', itemId: kept.item_id, expiresAt: kept.expires_at, renewed: false };
  if (mine.length >= rule.maxLeases) return { kind: 'tooMany', held: mine.length };

  const skip = new Set(exclude);
  for (let tries = 0; tries < MAX_CANDIDATES; tries++) {
    let q = tx
      .selectFrom('items')
      .select('id')
      .where('state', '<', ITEM_STATE.full)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('assignments as a')
              .select('a.item_id')
              .whereRef('a.item_id', '=', 'items.id')
              .where('a.annotator', '=', annotator)
              .where((eb) => eb.or([eb('a.submitted', '=', 1), eb('a.released', '=', 0)])),
          ),
        ),
      )
      .orderBy('state')
      .orderBy('position')
      .limit(1);
    if (skip.size > 0) q = q.where('id', 'not in', [...skip]);
    if (dialect === 'postgres') q = q.forUpdate().skipLocked();
    const candidate = await q.executeTakeFirst();
    if (!candidate) break;

    // The re-count, on the locked row: live leases and submissions of this item, and whether
    // this annotator is among them (the candidate query may have read an older snapshot).
    const count = await tx
      .selectFrom('assignments')
      .select([sql<number>`count(*)`.as('n'), sql<number>`sum(case when annotator = ${annotator} then 1 else 0 end)`.as('mine')])
      .where('item_id', '=', candidate.id)
      .where((eb) => eb.or([eb('submitted', '=', 1), eb.and([eb('released', '=', 0), eb('expires_at', '>', now)])]))
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= rule.annotatorsPerItem || Number(count.mine ?? 0) > 0) {
      skip.add(candidate.id);
      continue;
    }
    const expiresAt = now + rule.leaseMs;
    const previous = await tx.selectFrom('assignments').select('annotator').where('item_id', '=', candidate.id).where('annotator', '=', annotator).executeTakeFirst();
    if (previous) {
      // Their own lease on it expired and was released; they take it up again.
      await tx
        .updateTable('assignments')
        .set({ leased_at: now, expires_at: expiresAt, released: 0 })
        .where('item_id', '=', candidate.id)
        .where('annotator', '=', annotator)
        .execute();
    } else {
      await tx.insertInto('assignments').values({ item_id: candidate.id, annotator, leased_at: now, expires_at: expiresAt, released: 0, submitted: 0 }).execute();
    }
    await tx
      .updateTable('items')
      .set((eb) => ({ held: eb('held', '+', 1) }))
      .where('id', '=', candidate.id)
      .execute();
    await updateState(tx, [candidate.id], rule.annotatorsPerItem);
    return { kind: 'item', itemId: candidate.id, expiresAt, renewed: previous !== undefined };
  }
  return { kind: 'none', ...(await retryAfter(tx, annotator, now, rule.annotatorsPerItem)) };
}

/** When nothing is free: how long until the first of the others' leases that could free an item for this annotator expires. */
async function retryAfter(tx: Tx, annotator: string, now: number, k: number): Promise<{ retryAfterMs?: number }> {
  const row = await tx
    .selectFrom('assignments as a')
    .innerJoin('items as i', 'i.id', 'a.item_id')
    .select((eb) => eb.fn.min('a.expires_at').as('first'))
    .where('a.submitted', '=', 0)
    .where('a.released', '=', 0)
    .where('a.annotator', '<>', annotator)
    .where('i.submitted', '<', k)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('assignments as m')
            .select('m.item_id')
            .whereRef('m.item_id', '=', 'a.item_id')
            .where('m.annotator', '=', annotator)
            .where((eb) => eb.or([eb('m.submitted', '=', 1), eb('m.released', '=', 0)])),
        ),
      ),
    )
    .executeTakeFirst();
  const first = row?.first === null || row?.first === undefined ? undefined : Number(row.first);
  return first === undefined ? {} : { retryAfterMs: Math.max(0, first - now) };
}

/**
 * Releases every lease that expired by `now`, so its item counts one annotator fewer and goes
 * to someone else. On PostgreSQL the items are locked first (skipping those another transaction
 * holds: its own sweep or claim will see them), in the same order as a claim locks them.
 */
export async function releaseExpired(tx: Tx, dialect: DialectName, now: number, k: number): Promise<number> {
  const expired = await tx
    .selectFrom('assignments')
    .select('item_id')
    .distinct()
    .where('submitted', '=', 0)
    .where('released', '=', 0)
    .where('expires_at', '<=', now)
    .limit(500)
    .execute();
  if (expired.length === 0) return 0;
  let ids = expired.map((e) => e.item_id);
  if (dialect === 'postgres') {
    const locked = await tx.selectFrom('items').select('id').where('id', 'in', ids).orderBy('id').forUpdate().skipLocked().execute();
    ids = locked.map((l) => l.id);
    if (ids.length === 0) return 0;
  }
  const released = await tx
    .updateTable('assignments')
    .set({ released: 1 })
    .where('item_id', 'in', ids)
    .where('submitted', '=', 0)
    .where('released', '=', 0)
    .where('expires_at', '<=', now)
    .returning('item_id')
    .execute();
  const perItem = new Map<string, number>();
  for (const r of released) perItem.set(r.item_id, (perItem.get(r.item_id) ?? 0) + 1);
  for (const [id, n] of perItem) {
    await tx
      .updateTable('items')
      .set((eb) => ({ held: eb('held', '-', n) }))
      .where('id', '=', id)
      .execute();
  }
  await updateState(tx, [...perItem.keys()], k);
  return released.length;
}

export type SubmissionCount =
  /** The first submission of this annotator for the item (on a live or an expired lease). */
  | { readonly kind: 'first'; readonly late: boolean }
  /** They had submitted it before: a revision, the counts do not change. */
  | { readonly kind: 'revision' }
  | { readonly kind: 'notAssigned' };

/**
 * Counts a submission for an item: allowed only on an item this annotator was given (live,
 * expired or already submitted). Call inside Db.write, before storing the record.
 */
export async function countSubmission(tx: Tx, dialect: DialectName, annotator: string, itemId: string, now: number, k: number): Promise<SubmissionCount> {
  // Lock order as in a claim: the item, then its assignment.
  let itemQ = tx.selectFrom('items').select('id').where('id', '=', itemId);
  if (dialect === 'postgres') itemQ = itemQ.forUpdate();
  if (!(await itemQ.executeTakeFirst())) return { kind: 'notAssigned' };
  const a = await tx.selectFrom('assignments').select(['released', 'submitted', 'expires_at']).where('item_id', '=', itemId).where('annotator', '=', annotator).executeTakeFirst();
  if (!a) return { kind: 'notAssigned' };
  if (a.submitted === 1) return { kind: 'revision' };
  await tx.updateTable('assignments').set({ submitted: 1 }).where('item_id', '=', itemId).where('annotator', '=', annotator).execute();
  const wasHeld = a.released === 0;
  await tx
    .updateTable('items')
    .set((eb) => ({ submitted: eb('submitted', '+', 1), ...(wasHeld ? { held: eb('held', '-', 1) } : {}) }))
    .where('id', '=', itemId)
    .execute();
  await updateState(tx, [itemId], k);
  return { kind: 'first', late: a.expires_at <= now };
}

/** Releases an annotator's live leases (when the lead revokes them): the items go to others at once. */
export async function releaseLeasesOf(tx: Tx, annotator: string, k: number): Promise<number> {
  const released = await tx
    .updateTable('assignments')
    .set({ released: 1 })
    .where('annotator', '=', annotator)
    .where('submitted', '=', 0)
    .where('released', '=', 0)
    .returning('item_id')
    .execute();
  for (const r of released) {
    await tx
      .updateTable('items')
      .set((eb) => ({ held: eb('held', '-', 1) }))
      .where('id', '=', r.item_id)
      .execute();
  }
  await updateState(
    tx,
    released.map((r) => r.item_id),
    k,
  );
  return released.length;
}

/** Recomputes items.state (all items when `ids` is undefined: after a pack load or a change of K). */
export async function updateState(tx: Tx, ids: readonly string[] | undefined, k: number): Promise<void> {
  if (ids !== undefined && ids.length === 0) return;
  let q = tx.updateTable('items').set({ state: stateExpr(k) });
  if (ids !== undefined) q = q.where('id', 'in', ids);
  await q.execute();
}
