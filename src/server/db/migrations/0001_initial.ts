import { sql, type Kysely } from 'kysely';
import type { Migration } from '../migrate.ts';

/** The first schema (see ../schema.ts). Written with Kysely's schema builder so both dialects run the same code. */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  async up(db: Kysely<never>) {
    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('items')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('image', 'text', (c) => c.notNull())
      .addColumn('prompt', 'text', (c) => c.notNull())
      .addColumn('width', 'integer')
      .addColumn('height', 'integer')
      .addColumn('held', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('submitted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('state', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.createIndex('items_claim_order').on('items').columns(['state', 'position']).execute();

    await db.schema
      .createTable('annotators')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('submitted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('revoked_at', 'bigint')
      .addColumn('last_seen_at', 'bigint')
      .execute();

    await db.schema
      .createTable('invite_tokens')
      .addColumn('hash', 'text', (c) => c.primaryKey())
      .addColumn('annotator', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .addColumn('revoked_reason', 'text')
      .execute();
    await db.schema.createIndex('invite_tokens_annotator').on('invite_tokens').column('annotator').execute();

    await db.schema
      .createTable('assignments')
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('annotator', 'text', (c) => c.notNull())
      .addColumn('leased_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('released', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('submitted', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('assignments_pk', ['item_id', 'annotator'])
      .execute();
    // Held assignments (unsubmitted, unreleased) by annotator: their leases, oldest first. The
    // conditions must be written as these constants in queries for SQLite to use the indexes.
    await db.schema
      .createIndex('assignments_held_by_annotator')
      .on('assignments')
      .columns(['annotator', 'leased_at'])
      .where(sql<boolean>`submitted = 0 and released = 0`)
      .execute();
    // Only held leases can expire; the sweep reads them by expiry time.
    await db.schema
      .createIndex('assignments_expiring')
      .on('assignments')
      .column('expires_at')
      .where(sql<boolean>`submitted = 0 and released = 0`)
      .execute();

    await db.schema
      .createTable('submissions')
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('annotator', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('submitted_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('active_ms', 'bigint', (c) => c.notNull())
      .addColumn('record', 'text', (c) => c.notNull())
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('submissions_pk', ['item_id', 'annotator'])
      .execute();
    await db.schema.createIndex('submissions_by_annotator').on('submissions').columns(['annotator', 'active_ms']).execute();

    await db.schema
      .createTable('submission_log')
      .addColumn('client_id', 'text', (c) => c.primaryKey())
      .addColumn('annotator', 'text', (c) => c.notNull())
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('record', 'text', (c) => c.notNull())
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
