import type { Kysely } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * The lead's previews of a study (issue 16's "preview the study as a participant"): a
 * participant row the lead made (`preview` = 1, id `preview-N`), not one a platform sent. A
 * preview works as a participant does (training, gold, quota, the completion code), but none
 * of their submissions counts toward K or enters the exports, and they are not among the
 * study's participants (its count, maxParticipants, the participants export).
 */
export const studyPreviews: Migration = {
  version: 40,
  name: 'study previews',
  async up(db: Kysely<never>) {
    await db.schema
      .alterTable('participants')
      .addColumn('preview', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};
