import { sql, type RawBuilder } from 'kysely';
import { seenIfActive, type Standing } from './annotators.ts';
import type { DialectName } from './database.ts';
import type { Tx } from './schema.ts';

/**
 * The lease rule: who gets which item, and how a submission counts. Every decision about
 * assignment is in this file; everything runs inside a write transaction (Db.write) and is the
 * same SQL on SQLite and PostgreSQL, apart from the row locks that SQLite does not need (its
 * write transaction, BEGIN IMMEDIATE, already excludes every other writer). The queries are
 * Kysely `sql` templates rather than the query builder: they run on every request, and a
 * template compiles about six times faster (measured: ~5 µs against 30-40 µs per query).
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

/**
 * items.state for counters `held + submitted` = `total` (an SQL expression). Constants are
 * literals, not parameters: PostgreSQL would type parameters in THEN as text, and all of them
 * are integers from code.
 */
function stateOf(total: RawBuilder<number>, k: number): RawBuilder<number> {
  if (!Number.isInteger(k)) throw new RangeError('K must be an integer');
  const { full, started, fresh } = ITEM_STATE;
  return sql<number>`case when ${total} >= ${sql.lit(k)} then ${sql.lit(full)} when ${total} > 0 then ${sql.lit(started)} else ${sql.lit(fresh)} end`;
}

/**
 * "Held": an assignment holding its item without a submission (a live lease, or an expired one
 * not yet released). Written with constants, not parameters, so that SQLite uses the partial
 * indexes on `submitted = 0 and released = 0`.
 */
const HELD = sql.raw('submitted = 0 and released = 0');

/** A live lease: held and not expired at `now` (milliseconds). The one definition; progress counts these too. */
export function liveLease(now: number): RawBuilder<boolean> {
  return sql<boolean>`${HELD} and expires_at > ${now}`;
}

/** Rows of a query run on `tx`. */
async function rows<R>(tx: Tx, query: RawBuilder<R>): Promise<R[]> {
  return (await query.execute(tx)).rows;
}

export type NextResult =
  | { readonly kind: 'item'; readonly itemId: string; readonly expiresAt: number; readonly renewed: boolean }
  /** Nothing for this annotator now; `retryAfterMs` when items are held by others' live leases and may come back. */
  | { readonly kind: 'none'; readonly retryAfterMs?: number }
  /** They already hold maxLeases live leases, none of them outside `exclude`. */
  | { readonly kind: 'tooMany'; readonly held: number }
  /** They may no longer work (revoked, possibly by another server): nothing is claimed. */
  | { readonly kind: 'refused'; readonly standing: Exclude<Standing, 'active'> };

/** Candidates tried per claim at most, so a pathological race cannot loop for long. */
const MAX_CANDIDATES = 32;

/**
 * The item an annotator should work on now: their oldest live lease that is not in `exclude`,
 * else a newly claimed item. Call inside Db.write.
 */
export async function nextItem(tx: Tx, dialect: DialectName, annotator: string, exclude: ReadonlySet<string>, now: number, rule: LeaseRule): Promise<NextResult> {
  // Their standing is read here, in the claim's own transaction, so a revocation by another
  // server holds at once. Also locks their row on PostgreSQL: two requests of one annotator run
  // one at a time.
  const standing = await seenIfActive(tx, annotator, now);
  if (standing !== 'active') return { kind: 'refused', standing };
  await releaseExpired(tx, dialect, now, rule.annotatorsPerItem);

  const mine = await rows(
    tx,
    sql<{ item_id: string; expires_at: number }>`select item_id, expires_at from assignments
      where annotator = ${annotator} and ${liveLease(now)} order by leased_at, item_id`,
  );
  const kept = mine.find((m) => !exclude.has(m.item_id));
  if (kept) return { kind: 'item', itemId: kept.item_id, expiresAt: Number(kept.expires_at), renewed: false };
  if (mine.length >= rule.maxLeases) return { kind: 'tooMany', held: mine.length };

  const skip = new Set(exclude);
  const lock = dialect === 'postgres' ? sql.raw('for update skip locked') : sql.raw('');
  for (let tries = 0; tries < MAX_CANDIDATES; tries++) {
    const notSkipped = skip.size > 0 ? sql`and id not in (${sql.join([...skip])})` : sql.raw('');
    // Started items first, then pack order; not one this annotator holds or has submitted.
    const [candidate] = await rows(
      tx,
      sql<{ id: string }>`select id from items
        where state < ${sql.lit(ITEM_STATE.full)} ${notSkipped}
          and not exists (select 1 from assignments a where a.item_id = items.id and a.annotator = ${annotator} and (a.submitted = 1 or a.released = 0))
        order by state, position limit 1 ${lock}`,
    );
    if (!candidate) break;

    // The re-count, on the locked row: live leases and submissions of this item, whether this
    // annotator is among them (the candidate query may have read an older snapshot), and
    // whether they have a released row of their own on it.
    const live = sql`(submitted = 1 or (${liveLease(now)}))`;
    const [count] = await rows(
      tx,
      sql<{ n: number; mine: number; previous: number }>`select
          count(case when ${live} then 1 end) as n,
          count(case when annotator = ${annotator} and ${live} then 1 end) as mine,
          count(case when annotator = ${annotator} then 1 end) as previous
        from assignments where item_id = ${candidate.id}`,
    );
    if (Number(count!.n) >= rule.annotatorsPerItem || Number(count!.mine) > 0) {
      skip.add(candidate.id);
      continue;
    }
    const expiresAt = now + rule.leaseMs;
    const previous = Number(count!.previous) > 0;
    if (previous) {
      // Their own lease on it expired and was released; they take it up again.
      await sql`update assignments set leased_at = ${now}, expires_at = ${expiresAt}, released = 0
        where item_id = ${candidate.id} and annotator = ${annotator}`.execute(tx);
    } else {
      await sql`insert into assignments (item_id, annotator, leased_at, expires_at, released, submitted)
        values (${candidate.id}, ${annotator}, ${now}, ${expiresAt}, 0, 0)`.execute(tx);
    }
    await updateCounters(tx, candidate.id, rule.annotatorsPerItem, 1, 0);
    return { kind: 'item', itemId: candidate.id, expiresAt, renewed: previous };
  }
  return { kind: 'none', ...(await retryAfter(tx, annotator, now, rule.annotatorsPerItem)) };
}

/** When nothing is free: how long until the first of the others' leases that could free an item for this annotator expires. */
async function retryAfter(tx: Tx, annotator: string, now: number, k: number): Promise<{ retryAfterMs?: number }> {
  const [row] = await rows(
    tx,
    sql<{ first: number | null }>`select min(a.expires_at) as first from assignments a join items i on i.id = a.item_id
      where a.submitted = 0 and a.released = 0 and a.annotator <> ${annotator} and i.submitted < ${k}
        and not exists (select 1 from assignments m where m.item_id = a.item_id and m.annotator = ${annotator} and (m.submitted = 1 or m.released = 0))`,
  );
  const first = row?.first === null || row?.first === undefined ? undefined : Number(row.first);
  return first === undefined ? {} : { retryAfterMs: Math.max(0, first - now) };
}

/**
 * Releases every lease that expired by `now`, so its item counts one annotator fewer and goes
 * to someone else. On PostgreSQL the items are locked first (skipping those another transaction
 * holds: its own sweep or claim will see them), in the same order as a claim locks them.
 */
export async function releaseExpired(tx: Tx, dialect: DialectName, now: number, k: number): Promise<number> {
  // No DISTINCT: SQLite would then walk the primary key (every assignment) instead of the
  // partial index on expires_at, which holds only unreleased leases.
  const expired = await rows(tx, sql<{ item_id: string }>`select item_id from assignments where ${HELD} and expires_at <= ${now} limit 500`);
  if (expired.length === 0) return 0;
  let ids = [...new Set(expired.map((e) => e.item_id))];
  if (dialect === 'postgres') {
    const locked = await rows(tx, sql<{ id: string }>`select id from items where id in (${sql.join(ids)}) order by id for update skip locked`);
    ids = locked.map((l) => l.id);
    if (ids.length === 0) return 0;
  }
  const released = await rows(
    tx,
    sql<{ item_id: string }>`update assignments set released = 1
      where item_id in (${sql.join(ids)}) and ${HELD} and expires_at <= ${now} returning item_id`,
  );
  const perItem = new Map<string, number>();
  for (const r of released) perItem.set(r.item_id, (perItem.get(r.item_id) ?? 0) + 1);
  for (const [id, n] of perItem) await updateCounters(tx, id, k, -n, 0);
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
  // Lock order as in a claim and the sweep: the item first (on PostgreSQL), then its assignment,
  // read by a statement of its own. Under READ COMMITTED each statement sees what was committed
  // before it started, so this read comes after whatever a sweep did to the item before we got
  // its lock. (Read in the locking statement itself, the assignment could be older than the
  // lock: a lease the sweep had just released would be released a second time here.)
  // No item row: not in the pack any more. No assignment: never given to this annotator.
  // (SQLite needs no lock: its write transaction excludes every other writer. An item that left
  // the pack has no assignments left either.)
  if (dialect === 'postgres') {
    const [item] = await rows(tx, sql<{ id: string }>`select id from items where id = ${itemId} for update`);
    if (!item) return { kind: 'notAssigned' };
  }
  const [found] = await rows(
    tx,
    sql<{
      released: number;
      submitted: number;
      expires_at: number;
    }>`select released, submitted, expires_at from assignments where item_id = ${itemId} and annotator = ${annotator}`,
  );
  if (!found) return { kind: 'notAssigned' };
  if (Number(found.submitted) === 1) return { kind: 'revision' };
  await sql`update assignments set submitted = 1 where item_id = ${itemId} and annotator = ${annotator}`.execute(tx);
  // A lease not yet released stops holding the item and becomes a submission; a released
  // (expired) one comes back as a submission.
  await updateCounters(tx, itemId, k, Number(found.released) === 0 ? -1 : 0, 1);
  return { kind: 'first', late: Number(found.expires_at) <= now };
}

/** Releases an annotator's live leases (when the lead revokes them): the items go to others at once. */
export async function releaseLeasesOf(tx: Tx, dialect: DialectName, annotator: string, k: number): Promise<number> {
  if (dialect === 'postgres') {
    // Items first, in id order, as the sweep and the claim lock them.
    await sql`select i.id from items i join assignments a on a.item_id = i.id where a.annotator = ${annotator} and a.submitted = 0 and a.released = 0 order by i.id for update of i`.execute(
      tx,
    );
  }
  const released = await rows(tx, sql<{ item_id: string }>`update assignments set released = 1 where annotator = ${annotator} and ${HELD} returning item_id`);
  for (const r of released) await updateCounters(tx, r.item_id, k, -1, 0);
  return released.length;
}

/** Moves an item's counters by the given amounts (small integers from code) and recomputes its state, in one statement. */
async function updateCounters(tx: Tx, itemId: string, k: number, dHeld: number, dSubmitted: number): Promise<void> {
  if (!Number.isInteger(dHeld) || !Number.isInteger(dSubmitted)) throw new RangeError('counter deltas must be integers');
  const held = sql<number>`held + ${sql.lit(dHeld)}`;
  const submitted = sql<number>`submitted + ${sql.lit(dSubmitted)}`;
  // SET expressions all read the row as it was, so the new state is computed from the new counts.
  await sql`update items set held = ${held}, submitted = ${submitted}, state = ${stateOf(sql<number>`${held} + ${submitted}`, k)} where id = ${itemId}`.execute(tx);
}

/** Recomputes items.state of every item (after a pack load or a change of K). */
export async function updateAllStates(tx: Tx, k: number): Promise<void> {
  await sql`update items set state = ${stateOf(sql<number>`held + submitted`, k)}`.execute(tx);
}
