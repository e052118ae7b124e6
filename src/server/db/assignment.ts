import { createHmac } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import { seenIfActive, type Standing } from './annotators.ts';
import { qualitySettingsFor } from './qualitySettings.ts';
import type { Db, DialectName } from './database.ts';
import { markCompleted, participantLimit } from './participants.ts';
import { prepared } from './prepared.ts';
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
 * - items already started go first, then the rest in pack order;
 * - gold items (items.gold = 1, state 3) are outside all of that: they go to every annotator,
 *   never count toward K (their counters stay 0), and each annotator gets each at most once.
 *   An annotator's first `training` items are gold, then one in each run of `goldEvery` items
 *   at a position drawn for that run (see goldTurn), while gold items they have not had remain.
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
  /** Whether the pack has gold items: without, the gold rule costs nothing. */
  readonly hasGold?: boolean;
  /** Keys the draw of gold positions (the server's secret), so annotators cannot foresee them. */
  readonly goldKey?: Buffer;
  /** When claims sweep expired leases (a server's own schedule); without it, every claim sweeps. */
  readonly sweeps?: SweepSchedule;
}

/**
 * A server sweeps at least this often (its clock's milliseconds) even when it knows of no lease
 * that has expired: a lease another server made on the same database (PostgreSQL), or one whose
 * sweep was rolled back, is released at most this much later than at its expiry.
 */
export const SWEEP_MAX_GAP_MS = 1000;

/**
 * When a claim must sweep expired leases (releaseExpired), so that the claims in between skip
 * the sweep's query (one statement of each claim). The schedule keeps a lower bound on the
 * expiry of every unreleased lease it knows of: the earliest one left after its last sweep, and
 * each lease this server made since. On SQLite one server is the only writer, so the bound is
 * exact and claims sweep exactly when a lease can have expired, as if every claim swept; with
 * several servers on PostgreSQL, or several connections of one, a lease the bound missed is
 * released within SWEEP_MAX_GAP_MS. A sweep that comes late only delays a release: an expired
 * lease does not count in the claim's re-count, and a late submission is accepted either way.
 */
export class SweepSchedule {
  /** No unreleased lease known to this server expires before this (ms). */
  private earliest = -Infinity;
  /** When the last sweep started (ms). */
  private last = -Infinity;
  /** The earliest expiry noted since the last sweep started. */
  private noted = Infinity;

  due(now: number): boolean {
    return now >= this.earliest || now - this.last >= SWEEP_MAX_GAP_MS || now < this.last;
  }

  /** This server made (or renewed) a lease expiring at `expiresAt`. */
  leased(expiresAt: number): void {
    this.earliest = Math.min(this.earliest, expiresAt);
    this.noted = Math.min(this.noted, expiresAt);
  }

  started(now: number): void {
    this.last = now;
    this.noted = Infinity;
  }

  /** The sweep is done; `next` is the earliest expiry among the unreleased leases it left (undefined: none). */
  finished(next: number | undefined): void {
    this.earliest = Math.min(next ?? Infinity, this.noted);
  }
}

export const DEFAULT_MAX_LEASES = 3;

/** items.state: the claim takes state 0 before 1, and never 2 or 3 (gold items, served by goldServing.ts). */
export const ITEM_STATE = { started: 0, fresh: 1, full: 2, gold: 3 } as const;

/**
 * items.state for counters `held + submitted` = `total` (an SQL expression) and K (an SQL
 * expression too: a literal or a parameter). The states are literals, not parameters:
 * PostgreSQL would type parameters in THEN as text.
 */
function stateOf(total: RawBuilder<number>, k: RawBuilder<number>): RawBuilder<number> {
  const { full, started, fresh, gold } = ITEM_STATE;
  return sql<number>`case when gold = 1 then ${sql.lit(gold)} when ${total} >= ${k} then ${sql.lit(full)} when ${total} > 0 then ${sql.lit(started)} else ${sql.lit(fresh)} end`;
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
  /** `gold`: a gold item (never told to the annotator before they submit it). */
  | { readonly kind: 'item'; readonly itemId: string; readonly expiresAt: number; readonly renewed: boolean; readonly gold?: boolean }
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
  let swept = false;
  if (!rule.sweeps || rule.sweeps.due(now)) {
    await sweep(tx, dialect, now, rule);
    swept = true;
  }

  const mine = (await liveLeasesOf(tx, annotator, now)).rows;
  const kept = mine.find((m) => !exclude.has(m.item_id));
  if (kept) return { kind: 'item', itemId: kept.item_id, expiresAt: Number(kept.expires_at), renewed: false };
  if (mine.length >= rule.maxLeases) return { kind: 'tooMany', held: mine.length };
  // A study participant gets nothing new once complete, nor beyond their quota: their
  // submissions plus the leases they hold never pass it (read here, under their row's lock).
  const limit = await participantLimit(tx, annotator);
  if (limit && (limit.completed || (limit.quota !== null && limit.submitted + mine.length >= limit.quota))) {
    if (mine.length === 0) await markCompleted(tx, annotator, now);
    return { kind: 'none' };
  }

  const gold = await goldTurn(tx, annotator, exclude, rule);
  if (gold !== undefined) {
    const expiresAt = now + rule.leaseMs;
    rule.sweeps?.leased(expiresAt);
    await sql`insert into assignments (item_id, annotator, leased_at, expires_at, released, submitted, training)
      values (${gold.id}, ${annotator}, ${now}, ${expiresAt}, 0, 0, ${sql.lit(gold.training ? 1 : 0)})`.execute(tx);
    return { kind: 'item', itemId: gold.id, expiresAt, renewed: false, gold: true };
  }

  let skip = new Set(exclude);
  for (;;) {
    const claimed = await claimFree(tx, dialect, annotator, skip, now, rule);
    if (claimed) return claimed;
    // Nothing free: if this claim skipped the sweep, sweep now and look again, so that "nothing
    // for you" never comes from a lease that expired before its sweep.
    if (swept) break;
    swept = true;
    if ((await sweep(tx, dialect, now, rule)) === 0) break;
    skip = new Set(exclude);
  }
  let wait = await retryAfter(tx, annotator, now, rule.annotatorsPerItem);
  if (dialect === 'postgres' && wait.retryAfterMs === undefined) {
    // SKIP LOCKED passed over rows that claims in flight hold; their leases are not committed, so
    // no lease says when to come back. Such an item is not "nothing left": ask again in a moment.
    const [inFlight] = await rows(tx, candidateQuery(annotator, skip, { lock: false }));
    if (inFlight) wait = { retryAfterMs: IN_FLIGHT_RETRY_MS };
  }
  // Nothing left for a participant, nothing of theirs outstanding, and nothing held by others
  // that could come back to them: they are complete.
  if (limit && mine.length === 0 && wait.retryAfterMs === undefined) await markCompleted(tx, annotator, now);
  return { kind: 'none', ...wait };
}

/**
 * Claims the first free item for this annotator, trying candidates until one passes the re-count
 * (those that do not are added to `skip`); undefined when none does.
 */
async function claimFree(tx: Tx, dialect: DialectName, annotator: string, skip: Set<string>, now: number, rule: LeaseRule): Promise<NextResult | undefined> {
  for (let tries = 0; tries < MAX_CANDIDATES; tries++) {
    // Started items first, then pack order; not one this annotator holds or has submitted.
    const [candidate] = skip.size > 0 ? await rows(tx, candidateQuery(annotator, skip, { lock: dialect === 'postgres' })) : (await firstCandidate(dialect)(tx, annotator)).rows;
    if (!candidate) return undefined;

    // The re-count, on the locked row: live leases and counted (not rejected) submissions of
    // this item, whether this annotator is among them (the candidate query may have read an
    // older snapshot), and whether they have a released row of their own on it.
    const [count] = (await countOnItem(tx, candidate.id, annotator, now)).rows;
    if (Number(count!.n) >= rule.annotatorsPerItem || Number(count!.mine) > 0) {
      skip.add(candidate.id);
      continue;
    }
    const expiresAt = now + rule.leaseMs;
    rule.sweeps?.leased(expiresAt);
    const previous = Number(count!.previous) > 0;
    if (previous) {
      // Their own lease on it expired and was released; they take it up again.
      await sql`update assignments set leased_at = ${now}, expires_at = ${expiresAt}, released = 0
        where item_id = ${candidate.id} and annotator = ${annotator}`.execute(tx);
    } else {
      await insertLease(tx, candidate.id, annotator, now, expiresAt);
    }
    await updateCounters(tx, candidate.id, rule.annotatorsPerItem, 1, 0);
    return { kind: 'item', itemId: candidate.id, expiresAt, renewed: previous };
  }
  return undefined;
}

/**
 * The candidate query: items not full, not one this annotator holds or has submitted, not in
 * `skip`; started items first, then pack order. `lock` (PostgreSQL's FOR UPDATE SKIP LOCKED)
 * passes over the rows that other claims hold.
 */
function candidateQuery(annotator: string, skip: ReadonlySet<string>, { lock }: { lock: boolean }): RawBuilder<{ id: string }> {
  const notSkipped = skip.size > 0 ? sql`and id not in (${sql.join([...skip])})` : sql.raw('');
  return sql<{ id: string }>`select id from items
    where state < ${sql.lit(ITEM_STATE.full)} ${notSkipped}
      and not exists (select 1 from assignments a where a.item_id = items.id and a.annotator = ${annotator} and (a.submitted = 1 or a.released = 0))
    order by state, position limit 1 ${lock ? sql.raw('for update skip locked') : sql.raw('')}`;
}
/** The candidate query with nothing skipped (nearly every claim), compiled once per dialect (prepared.ts). */
const FIRST_CANDIDATE = {
  sqlite: prepared((annotator: string) => candidateQuery(annotator, new Set(), { lock: false })),
  postgres: prepared((annotator: string) => candidateQuery(annotator, new Set(), { lock: true })),
};
const firstCandidate = (dialect: DialectName) => FIRST_CANDIDATE[dialect];

/** Sweeps expired leases now and tells the server's schedule what is left; returns how many were released. */
async function sweep(tx: Tx, dialect: DialectName, now: number, rule: LeaseRule): Promise<number> {
  const sweeps = rule.sweeps;
  sweeps?.started(now);
  const released = await releaseExpired(tx, dialect, now, rule.annotatorsPerItem);
  if (sweeps) {
    const [left] = (await firstExpiry(tx)).rows;
    sweeps.finished(left?.first === null || left?.first === undefined ? undefined : Number(left.first));
  }
  return released;
}

// The claim's statements that run on every `/next`, compiled once (prepared.ts).
const liveLeasesOf = prepared(
  (annotator: string, now: number) => sql<{ item_id: string; expires_at: number }>`select item_id, expires_at from assignments
    where annotator = ${annotator} and ${liveLease(now)} order by leased_at, item_id`,
);
/**
 * The re-count, on the locked row: live leases and counted (not rejected) submissions of
 * this item, whether this annotator is among them (the candidate query may have read an
 * older snapshot), and whether they have a released row of their own on it.
 */
const countOnItem = prepared((itemId: string, annotator: string, now: number) => {
  const live = sql`((submitted = 1 and excluded = 0) or (${liveLease(now)}))`;
  return sql<{ n: number; mine: number; previous: number }>`select
      count(case when ${live} then 1 end) as n,
      count(case when annotator = ${annotator} and ${live} then 1 end) as mine,
      count(case when annotator = ${annotator} then 1 end) as previous
    from assignments where item_id = ${itemId}`;
});
const insertLease = prepared(
  (itemId: string, annotator: string, now: number, expiresAt: number) => sql`insert into assignments (item_id, annotator, leased_at, expires_at, released, submitted)
    values (${itemId}, ${annotator}, ${now}, ${expiresAt}, 0, 0)`,
);
const expiredLeases = prepared((now: number) => sql<{ item_id: string }>`select item_id from assignments where ${HELD} and expires_at <= ${now} limit 500`);
/** The earliest expiry among unreleased leases (the partial index on expires_at answers it). */
const firstExpiry = prepared(() => sql<{ first: number | null }>`select min(expires_at) as first from assignments where ${HELD}`);

/** Which position in a run of `goldEvery` items holds its gold item: drawn per annotator and run, keyed by the server's secret. */
function goldPosition(key: Buffer | undefined, annotator: string, run: number, goldEvery: number): number {
  const digest = createHmac('sha256', key ?? Buffer.alloc(0))
    .update(`gold\n${annotator}\n${run}`, 'utf8')
    .digest();
  return digest.readUInt32BE(0) % goldEvery;
}

/**
 * The gold item to hand this annotator now, if their turn has come: among their first
 * `training` items, or at the drawn position of the current run of `goldEvery` items (runs
 * count from the end of training). Items are counted by the annotator's assignment rows, so a
 * position is used once. Outside training, gold is served only while an ordinary item is also
 * there for them (gold alone would be work for nothing). The gold item is one they never had,
 * drawn under the server's secret.
 */
async function goldTurn(tx: Tx, annotator: string, exclude: ReadonlySet<string>, rule: LeaseRule): Promise<{ id: string; training: boolean } | undefined> {
  if (rule.hasGold !== true) return undefined;
  const { training, goldEvery } = await qualitySettingsFor(tx, annotator);
  const [had] = await rows(tx, sql<{ n: number }>`select count(*) as n from assignments where annotator = ${annotator}`);
  const n = Number(had!.n);
  const inTraining = n < training;
  if (!inTraining) {
    if (goldEvery <= 0) return undefined;
    const t = n - training;
    if (t % goldEvery !== goldPosition(rule.goldKey, annotator, Math.floor(t / goldEvery), goldEvery)) return undefined;
  }
  const notExcluded = exclude.size > 0 ? sql`and id not in (${sql.join([...exclude])})` : sql.raw('');
  const golds = await rows(
    tx,
    sql<{ id: string }>`select id from items where state = ${sql.lit(ITEM_STATE.gold)} ${notExcluded}
      and not exists (select 1 from assignments a where a.item_id = items.id and a.annotator = ${annotator})
      order by position`,
  );
  if (golds.length === 0) return undefined;
  // Which one: drawn under the server's secret like its position (nobody can foresee it, and a
  // run is repeatable on a database with the same secret).
  const gold = golds[goldPosition(rule.goldKey, `${annotator}\nitem`, n, golds.length)]!;
  if (inTraining) return { id: gold.id, training: true };
  const [ordinary] = await rows(
    tx,
    sql<{ id: string }>`select id from items where state < ${sql.lit(ITEM_STATE.full)}
      and not exists (select 1 from assignments a where a.item_id = items.id and a.annotator = ${annotator} and (a.submitted = 1 or a.released = 0)) limit 1`,
  );
  return ordinary ? { id: gold.id, training: false } : undefined;
}

/** Whether this annotator was given the item as a training item (a gold item among their first `training`). */
export async function isTrainingItem(db: Db, annotator: string, itemId: string): Promise<boolean> {
  const [row] = await rows(db.kysely, sql<{ training: number }>`select training from assignments where item_id = ${itemId} and annotator = ${annotator}`);
  return row !== undefined && Number(row.training) === 1;
}

/** When a claim found only rows other claims in flight hold (PostgreSQL): their transactions last milliseconds. */
const IN_FLIGHT_RETRY_MS = 1000;

/** When nothing is free: how long until the first of the others' leases that could free an item for this annotator expires. */
async function retryAfter(tx: Tx, annotator: string, now: number, k: number): Promise<{ retryAfterMs?: number }> {
  const [row] = await rows(
    tx,
    sql<{ first: number | null }>`select min(a.expires_at) as first from assignments a join items i on i.id = a.item_id
      where a.submitted = 0 and a.released = 0 and a.annotator <> ${annotator} and i.submitted < ${k} and i.gold = 0
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
  const expired = (await expiredLeases(tx, now)).rows;
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
  // read (and updated) by a statement of its own. Under READ COMMITTED each statement sees what was committed
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
  // The first submission turns its assignment into a submission in the statement that reads it
  // (one statement instead of a read and a write: this runs for every submission); no row
  // changed means a revision or an item never given to them, told apart by a read.
  const [found] = (await markSubmitted(tx, itemId, annotator)).rows;
  if (!found) {
    const [had] = await rows(tx, sql<{ one: number }>`select 1 as one from assignments where item_id = ${itemId} and annotator = ${annotator}`);
    return had ? { kind: 'revision' } : { kind: 'notAssigned' };
  }
  // A lease not yet released stops holding the item and becomes a submission; a released
  // (expired) one comes back as a submission.
  await updateCounters(tx, itemId, k, Number(found.released) === 0 ? -1 : 0, 1);
  return { kind: 'first', late: Number(found.expires_at) <= now };
}

const markSubmitted = prepared(
  (itemId: string, annotator: string) => sql<{ released: number; expires_at: number }>`update assignments set submitted = 1
    where item_id = ${itemId} and annotator = ${annotator} and submitted = 0 returning released, expires_at`,
);

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

/**
 * Makes an annotator's submissions stop counting toward K (`exclude`) or count again: all of
 * theirs (an annotator rejected or accepted) or the one on `itemId`. An item that falls below
 * K goes back to the queue for annotators who never had it (the claim's `not exists` keeps out
 * whoever holds a row on it, the rejected annotator included). Accepting again may leave an
 * item with K + 1 counted submissions when others filled it meanwhile (README). Returns the
 * items whose count changed. Counting again leaves out submissions rejected on their own
 * (`submissions.rejected_at`): accepting an annotator does not undo those.
 */
export async function setCounted(tx: Tx, dialect: DialectName, annotator: string, itemId: string | undefined, counted: boolean, k: number): Promise<string[]> {
  const which = itemId === undefined ? sql.raw('') : sql`and item_id = ${itemId}`;
  const from = counted ? 1 : 0;
  if (dialect === 'postgres') {
    // Items first, in id order, as the sweep and the claim lock them.
    await sql`select i.id from items i join assignments a on a.item_id = i.id
      where a.annotator = ${annotator} and a.submitted = 1 and a.excluded = ${sql.lit(from)} ${which} order by i.id for update of i`.execute(tx);
  }
  const keep = counted
    ? sql`and not exists (select 1 from submissions s where s.item_id = assignments.item_id and s.annotator = assignments.annotator and s.rejected_at is not null)`
    : sql.raw('');
  const changed = await rows(
    tx,
    sql<{ item_id: string }>`update assignments set excluded = ${sql.lit(1 - from)}
      where annotator = ${annotator} and submitted = 1 and excluded = ${sql.lit(from)} ${which} ${keep} returning item_id`,
  );
  for (const r of changed) await updateCounters(tx, r.item_id, k, 0, counted ? 1 : -1);
  return changed.map((r) => r.item_id);
}

/** Moves an item's counters by the given amounts and recomputes its state, in one statement (compiled once: it runs on every claim and submission). Gold items keep theirs at 0. */
const moveCounters = prepared((itemId: string, dHeld: number, dSubmitted: number, k: number) => {
  const held = sql<number>`held + ${dHeld}`;
  const submitted = sql<number>`submitted + ${dSubmitted}`;
  // SET expressions all read the row as it was, so the new state is computed from the new counts.
  return sql`update items set held = ${held}, submitted = ${submitted}, state = ${stateOf(sql<number>`${held} + ${submitted}`, sql<number>`${k}`)} where id = ${itemId} and gold = 0`;
});

async function updateCounters(tx: Tx, itemId: string, k: number, dHeld: number, dSubmitted: number): Promise<void> {
  if (!Number.isInteger(dHeld) || !Number.isInteger(dSubmitted) || !Number.isInteger(k)) throw new RangeError('counter deltas and K must be integers');
  await moveCounters(tx, itemId, dHeld, dSubmitted, k);
}

/** Recomputes items.state of every item (after a pack load or a change of K). */
export async function updateAllStates(tx: Tx, k: number): Promise<void> {
  if (!Number.isInteger(k)) throw new RangeError('K must be an integer');
  await sql`update items set state = ${stateOf(sql<number>`held + submitted`, sql.lit(k))}`.execute(tx);
}
