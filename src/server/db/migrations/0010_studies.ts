import type { Kysely } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * Crowd studies (issue 16): `studies` (one link for a crowd; its token kept as a SHA-256 like
 * invites) and `participants` (one row per (study, participant id), naming the annotator made
 * for them). Participants' annotators have ids of the reserved form `study:ID:PARTICIPANT`;
 * invited annotators of that form from before this version stay as they are: a study never
 * takes an id that one of them starts with (db/studies.ts), so no participant can become them.
 */
export const studies: Migration = {
  version: 10,
  name: 'studies',
  async up(db: Kysely<never>) {
    await db.schema
      .createTable('studies')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('closed_at', 'bigint')
      .addColumn('quota', 'integer')
      .addColumn('max_participants', 'integer')
      .addColumn('completion_code', 'text', (c) => c.notNull())
      .addColumn('completion_url', 'text')
      .addColumn('training', 'integer')
      .addColumn('gold_every', 'integer')
      .execute();

    await db.schema
      .createTable('participants')
      .addColumn('annotator', 'text', (c) => c.primaryKey())
      .addColumn('study_id', 'text', (c) => c.notNull())
      .addColumn('participant', 'text', (c) => c.notNull())
      .addColumn('platform', 'text', (c) => c.notNull())
      .addColumn('enrolled_at', 'bigint', (c) => c.notNull())
      .addColumn('completed_at', 'bigint')
      .addUniqueConstraint('participants_study_participant', ['study_id', 'participant'])
      .execute();
  },
};
