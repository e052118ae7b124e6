import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { QualityThresholds } from '../../core/formats/quality.ts';
import { releaseLeasesOf, setCounted } from './assignment.ts';
import type { Db, DialectName } from './database.ts';
import { SETTING, type Tx } from './schema.ts';

/**
 * The lead's quality decisions (issue 17): rejecting and accepting (undoing a rejection) an
 * annotator or one submission. Each runs in one write transaction with its effect on the lease
 * rule (assignment.ts `setCounted`, `releaseLeasesOf`) and its line in `quality_decisions`, so a
 * decision is never half made and never unrecorded.
 *
 * - Rejecting an annotator: they may no longer work (standing `rejected`), their live leases are
 *   released, and none of their submissions counts toward K or enters the dataset; each item
 *   that falls below K goes back to the queue for annotators who never had it.
 * - Accepting an annotator: all of that is undone, except submissions rejected on their own.
 * - Rejecting or accepting one submission: the same for that one record.
 * A decision that changes nothing (rejecting what is rejected) is not recorded: `changed: false`.
 */
export type Decision =
  | { readonly kind: 'done'; readonly changed: boolean; readonly items: readonly string[]; readonly releasedLeases: number }
  | { readonly kind: 'noAnnotator' }
  | { readonly kind: 'noSubmission' };

export interface DecisionRecord {
  readonly action: 'reject' | 'accept';
  readonly annotator: string;
  readonly itemId: string | null;
  readonly reason: string | null;
  readonly decidedBy: string;
  /** Epoch milliseconds. */
  readonly at: number;
}

async function record(tx: Tx, d: DecisionRecord): Promise<void> {
  await tx
    .insertInto('quality_decisions')
    .values({ id: randomUUID(), at: d.at, action: d.action, annotator: d.annotator, item_id: d.itemId, reason: d.reason, decided_by: d.decidedBy })
    .execute();
}

export async function decideAnnotator(tx: Tx, dialect: DialectName, d: DecisionRecord, k: number): Promise<Decision> {
  const row = (
    await sql<{ rejected_at: number | null }>`select rejected_at from annotators where id = ${d.annotator} ${dialect === 'postgres' ? sql`for update` : sql``}`.execute(tx)
  ).rows[0];
  if (!row) return { kind: 'noAnnotator' };
  const rejected = row.rejected_at !== null;
  if (rejected === (d.action === 'reject')) return { kind: 'done', changed: false, items: [], releasedLeases: 0 };
  if (d.action === 'reject') {
    await sql`update annotators set rejected_at = ${d.at}, rejected_reason = ${d.reason} where id = ${d.annotator}`.execute(tx);
    const releasedLeases = await releaseLeasesOf(tx, dialect, d.annotator, k);
    const items = await setCounted(tx, dialect, d.annotator, undefined, false, k);
    await record(tx, d);
    return { kind: 'done', changed: true, items, releasedLeases };
  }
  await sql`update annotators set rejected_at = null, rejected_reason = null where id = ${d.annotator}`.execute(tx);
  const items = await setCounted(tx, dialect, d.annotator, undefined, true, k);
  await record(tx, d);
  return { kind: 'done', changed: true, items, releasedLeases: 0 };
}

export async function decideSubmission(tx: Tx, dialect: DialectName, d: DecisionRecord & { readonly itemId: string }, k: number): Promise<Decision> {
  const row = (
    await sql<{
      rejected_at: number | null;
      annotator_rejected: number | null;
    }>`select s.rejected_at, a.rejected_at as annotator_rejected from submissions s join annotators a on a.id = s.annotator
      where s.item_id = ${d.itemId} and s.annotator = ${d.annotator}`.execute(tx)
  ).rows[0];
  if (!row) return { kind: 'noSubmission' };
  const rejected = row.rejected_at !== null;
  if (rejected === (d.action === 'reject')) return { kind: 'done', changed: false, items: [], releasedLeases: 0 };
  const at = d.action === 'reject' ? d.at : null;
  const reason = d.action === 'reject' ? d.reason : null;
  await sql`update submissions set rejected_at = ${at}, rejected_reason = ${reason} where item_id = ${d.itemId} and annotator = ${d.annotator}`.execute(tx);
  // A rejected annotator's submissions stay uncounted until the annotator is accepted.
  const items = row.annotator_rejected === null ? await setCounted(tx, dialect, d.annotator, d.itemId, d.action === 'accept', k) : [];
  await record(tx, d);
  return { kind: 'done', changed: true, items, releasedLeases: 0 };
}

/** Every decision, oldest first. */
export async function listDecisions(db: Db): Promise<DecisionRecord[]> {
  const rows = await db.kysely.selectFrom('quality_decisions').selectAll().orderBy('at').orderBy('id').execute();
  return rows.map((r) => ({
    action: r.action === 'accept' ? 'accept' : 'reject',
    annotator: r.annotator,
    itemId: r.item_id,
    reason: r.reason,
    decidedBy: r.decided_by,
    at: Number(r.at),
  }));
}

/** Rejected annotators (their ids), and rejected submissions as "item\nannotator" keys. */
export async function rejections(db: Db): Promise<{ annotators: Set<string>; submissions: Set<string> }> {
  const [a, s] = await Promise.all([
    sql<{ id: string }>`select id from annotators where rejected_at is not null`.execute(db.kysely),
    sql<{ item_id: string; annotator: string }>`select item_id, annotator from submissions where rejected_at is not null`.execute(db.kysely),
  ]);
  return { annotators: new Set(a.rows.map((r) => r.id)), submissions: new Set(s.rows.map((r) => `${r.item_id}\n${r.annotator}`)) };
}

export async function annotatorIds(db: Db): Promise<string[]> {
  return (await db.kysely.selectFrom('annotators').select('id').orderBy('id').execute()).map((r) => r.id);
}

/** The lead's thresholds as stored (JSON, checked by the caller), or undefined for the defaults. */
export async function storedThresholds(db: Db): Promise<string | undefined> {
  return (await db.kysely.selectFrom('settings').select('value').where('key', '=', SETTING.qualityThresholds).executeTakeFirst())?.value;
}

export async function storeThresholds(db: Db, thresholds: QualityThresholds): Promise<void> {
  const value = JSON.stringify(thresholds);
  await db.write((tx) =>
    tx
      .insertInto('settings')
      .values({ key: SETTING.qualityThresholds, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute(),
  );
}
