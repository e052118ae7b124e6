import { sql } from 'kysely';
import { isRatingRecord, type AnnotationRecord, type RatingRecord } from '../../core/formats/annotations.ts';
import { isNewer } from '../../core/dataset/newestRecord.ts';
import { countFirstSubmission, seenIfActive, type Standing } from './annotators.ts';
import { countSubmission, type LeaseRule } from './assignment.ts';
import { drawnSide } from './comparisonSides.ts';
import type { Db } from './database.ts';
import { noteFirstSubmission } from './participants.ts';
import { prepared } from './prepared.ts';

/**
 * Storing submissions. A submission is acknowledged only after Db.write resolves, that is after
 * the commit is durable. Every accepted body goes to submission_log, keyed by clientId (the
 * idempotency key: a replay is a no-op); the current record of each (item, annotator) is in
 * submissions. A refused submission writes nothing: its transaction is rolled back whole.
 */
export type SubmitOutcome =
  /** Stored as the current record (first submission or a newer revision). */
  | { readonly kind: 'stored'; readonly first: boolean; readonly late: boolean }
  /** A revision older than the stored record: logged, but the newer one stays current (as in files). */
  | { readonly kind: 'older' }
  /** This clientId was accepted before with this very record: nothing done. */
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'notAssigned' }
  /** The clientId belongs to another annotator's submission. */
  | { readonly kind: 'clientIdTaken' }
  /** The clientId was accepted before with a different record (a client reusing its ids): nothing done. */
  | { readonly kind: 'clientIdReused' }
  /** The annotator may no longer work (revoked, possibly by another server). */
  | { readonly kind: 'refused'; readonly standing: Exclude<Standing, 'active'> }
  /** The item has no size in the pack or its file, and an earlier record gave another one. */
  | { readonly kind: 'sizeMismatch'; readonly width: number; readonly height: number }
  /** A comparison record whose `left` is not the side drawn for this annotator (comparisonSides.ts). */
  | { readonly kind: 'sideMismatch'; readonly left: 0 | 1 };

export interface Submission {
  readonly annotator: string;
  readonly clientId: string;
  readonly record: AnnotationRecord;
  /** Rating records only: false when neither the pack nor the image file gives the item's size: records must then agree with each other. */
  readonly sizeKnown: boolean;
}

/** Thrown inside the write to roll back what it did so far, and caught outside to answer with `outcome`. */
class Refused extends Error {
  constructor(readonly outcome: SubmitOutcome) {
    super(outcome.kind);
  }
}

// The statements of every submission, compiled once (prepared.ts).
const logSubmission = prepared(
  (clientId: string, annotator: string, itemId: string, json: string, now: number) => sql<{
    client_id: string;
  }>`insert into submission_log (client_id, annotator, item_id, record, received_at)
    values (${clientId}, ${annotator}, ${itemId}, ${json}, ${now}) on conflict (client_id) do nothing returning client_id`,
);
const insertSubmission = prepared(
  (itemId: string, annotator: string, clientId: string, submittedAtMs: number, activeMs: number, json: string, now: number) =>
    sql`insert into submissions (item_id, annotator, client_id, submitted_at_ms, active_ms, record, received_at)
      values (${itemId}, ${annotator}, ${clientId}, ${submittedAtMs}, ${activeMs}, ${json}, ${now})`,
);

export async function submit(db: Db, s: Submission, now: number, rule: LeaseRule): Promise<SubmitOutcome> {
  // Validated records serialize the same way (keys in schema order), so equal JSON is an equal record.
  const json = JSON.stringify(s.record);
  const itemId = s.record.itemId;
  try {
    return await db.write(async (tx) => {
      // sql templates, not the query builder: this runs for every submission (see assignment.ts).
      // First the annotator (locks their row on PostgreSQL: their requests run one at a time),
      // then the clientId: a concurrent request with the same one (another annotator's) waits
      // on this insert until the first commits or rolls back, then finds its row.
      const standing = await seenIfActive(tx, s.annotator, now);
      if (standing !== 'active') return { kind: 'refused', standing };
      const logged = await logSubmission(tx, s.clientId, s.annotator, itemId, json, now);
      if (logged.rows.length === 0) {
        const seen = (await sql<{ annotator: string; record: string }>`select annotator, record from submission_log where client_id = ${s.clientId}`.execute(tx)).rows[0]!;
        if (seen.annotator !== s.annotator) return { kind: 'clientIdTaken' };
        return seen.record === json ? { kind: 'duplicate' } : { kind: 'clientIdReused' };
      }

      // A comparison's answers are in the item's terms, turned from the screen's by the side shown:
      // a record that says another side than the one drawn would be mirrored wrongly, or tilt the
      // balance of sides, so it is refused (an item that had no side drawn takes the record's).
      if (!isRatingRecord(s.record)) {
        const drawn = await drawnSide(tx, s.annotator, itemId);
        if (drawn !== undefined && drawn !== null && drawn !== s.record.left) throw new Refused({ kind: 'sideMismatch', left: drawn });
      } else if (!s.sizeKnown) {
        const other = (await sql<{ record: string }>`select record from submissions where item_id = ${itemId} and annotator <> ${s.annotator} limit 1`.execute(tx)).rows[0];
        if (other) {
          const o = JSON.parse(other.record) as RatingRecord;
          if (o.imageWidth !== s.record.imageWidth || o.imageHeight !== s.record.imageHeight)
            throw new Refused({ kind: 'sizeMismatch', width: o.imageWidth, height: o.imageHeight });
        }
      }

      const counted = await countSubmission(tx, db.dialect, s.annotator, itemId, now, rule.annotatorsPerItem);
      if (counted.kind === 'notAssigned') throw new Refused(counted);
      const submittedAtMs = Date.parse(s.record.submittedAt);
      if (counted.kind === 'first') {
        await insertSubmission(tx, itemId, s.annotator, s.clientId, submittedAtMs, s.record.activeMs, json, now);
        await countFirstSubmission(tx, s.annotator);
        await noteFirstSubmission(tx, db.dialect, s.annotator, itemId, now, rule.annotatorsPerItem);
        return { kind: 'stored', first: true, late: counted.late };
      }
      const current = (await sql<{ record: string }>`select record from submissions where item_id = ${itemId} and annotator = ${s.annotator}`.execute(tx)).rows[0]!;
      if (!isNewer(s.record, JSON.parse(current.record) as AnnotationRecord)) return { kind: 'older' };
      await sql`update submissions set client_id = ${s.clientId}, submitted_at_ms = ${submittedAtMs}, active_ms = ${s.record.activeMs}, record = ${json}, received_at = ${now}
        where item_id = ${itemId} and annotator = ${s.annotator}`.execute(tx);
      return { kind: 'stored', first: false, late: false };
    });
  } catch (e) {
    if (e instanceof Refused) return e.outcome;
    throw e;
  }
}

/** Rows read per query by currentRecords: a few milliseconds of work between turns of the event loop. */
const PAGE_ROWS = 1000;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Which records: all, or the accepted ones only (neither the submission nor its annotator
 * rejected: those the dataset is made of).
 */
export type RecordChoice = 'all' | 'accepted';
const ACCEPTED = sql.raw('rejected_at is null and annotator not in (select id from annotators where rejected_at is not null)');

/**
 * Current records, optionally of one annotator, as stored (validated on the way in), in item
 * order. Read and parsed a page at a time, letting other requests run between pages: the whole
 * dataset (300,000 records on a big pack) would otherwise hold the event loop for seconds.
 */
export async function currentRecords(db: Db, annotator?: string, which: RecordChoice = 'all'): Promise<{ annotator: string; record: AnnotationRecord }[]> {
  const out: { annotator: string; record: AnnotationRecord }[] = [];
  const accepted = which === 'accepted' ? sql`and ${ACCEPTED}` : sql.raw('');
  let after: { item_id: string; annotator: string } | undefined;
  for (;;) {
    const from = after === undefined ? sql`1 = 1` : annotator === undefined ? sql`(item_id, annotator) > (${after.item_id}, ${after.annotator})` : sql`item_id > ${after.item_id}`;
    const who = annotator === undefined ? sql`1 = 1` : sql`annotator = ${annotator}`;
    const page = (
      await sql<{ item_id: string; annotator: string; record: string }>`select item_id, annotator, record from submissions
        where ${who} and ${from} ${accepted} order by item_id, annotator limit ${sql.lit(PAGE_ROWS)}`.execute(db.kysely)
    ).rows;
    for (const r of page) out.push({ annotator: r.annotator, record: JSON.parse(r.record) as AnnotationRecord });
    if (page.length < PAGE_ROWS) return out;
    after = page.at(-1)!;
    await nextTurn();
  }
}
