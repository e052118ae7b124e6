import type { Kysely } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * Blind comparisons (issue 18): the side drawn for an annotator on a comparison item, kept on
 * its assignment (`left_image`: the index in the item's `images` shown on the left; null for
 * rating items). Drawn once, when the item is first handed to them, and never again: a
 * renewed lease, a reload or another server shows the same side, and a submission must carry
 * it (comparisonSides.ts).
 */
export const comparisonSides: Migration = {
  version: 30,
  name: 'comparison sides',
  async up(db: Kysely<never>) {
    await db.schema.alterTable('assignments').addColumn('left_image', 'integer').execute();
  },
};
