import { sql, type Kysely } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * Quality control (issue 17): rejected annotators and submissions, the lead's decisions, and
 * gold items served beside the ordinary ones.
 * - annotators.rejected_at / rejected_reason: a rejected annotator gets no work and their
 *   submissions stop counting (the lead may accept them again);
 * - submissions.rejected_at / rejected_reason: one submission rejected on its own;
 * - assignments.excluded = 1: a submission that does not count toward its item's K (its own
 *   rejection, or its annotator's). Kept beside `submitted` so the lease rule reads one row;
 * - items.gold = 1: a gold item (the pack's `gold`), served by its own rule, never counted;
 * - assignments.training = 1: a gold item given as one of the annotator's training items (its
 *   acknowledgement carries the reference);
 * - quality_decisions: every reject and accept, who, when and why, in order.
 */
export const quality: Migration = {
  version: 20,
  name: 'quality',
  async up(db: Kysely<never>) {
    await db.schema.alterTable('annotators').addColumn('rejected_at', 'bigint').execute();
    await db.schema.alterTable('annotators').addColumn('rejected_reason', 'text').execute();
    await db.schema.alterTable('submissions').addColumn('rejected_at', 'bigint').execute();
    await db.schema.alterTable('submissions').addColumn('rejected_reason', 'text').execute();
    // Rejected submissions by annotator, for progress (a few rows among all submissions).
    await db.schema
      .createIndex('submissions_rejected')
      .on('submissions')
      .column('annotator')
      .where(sql<boolean>`rejected_at is not null`)
      .execute();
    await db.schema
      .alterTable('assignments')
      .addColumn('excluded', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('assignments')
      .addColumn('training', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('items')
      .addColumn('gold', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    // An annotator's gold assignments, for the serving rule (how many they had, which ones).
    await db.schema.createIndex('assignments_by_annotator').on('assignments').columns(['annotator', 'item_id']).execute();
    await db.schema
      .createTable('quality_decisions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('annotator', 'text', (c) => c.notNull())
      .addColumn('item_id', 'text')
      .addColumn('reason', 'text')
      .addColumn('decided_by', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('quality_decisions_by_time').on('quality_decisions').columns(['at', 'id']).execute();
  },
};
