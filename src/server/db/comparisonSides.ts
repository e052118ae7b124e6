import { sql } from 'kysely';
import { leftImage } from '../../core/compare/sides.ts';
import type { Tx } from './schema.ts';

/**
 * The side of a blind comparison (issue 18): which of a comparison item's two images an
 * annotator is shown on the left, kept on their assignment (`left_image`). The lease rule
 * (assignment.ts) decides who gets an item whatever its kind; this file only adds the side.
 *
 * The draw is core's leftImage(seed, annotator, position), where `position` is the item's place
 * in the sequence of comparison items handed to this annotator: the number of their assignments
 * that already have a side. It is drawn once, on the first hand-out, and kept: a renewed lease
 * shows the same side. Both functions run in the claim's or the submission's transaction, after
 * the annotator's row was read with seenIfActive (on PostgreSQL that locks it, so one annotator's
 * claims take turns and two cannot take the same position; SQLite's write transaction excludes
 * every other writer).
 */

/** The side for `annotator` on comparison item `itemId`, which they were just given: the kept one, else a new draw. */
export async function sideFor(tx: Tx, annotator: string, itemId: string, seed: string): Promise<0 | 1> {
  const [row] = (await sql<{ left_image: number | null }>`select left_image from assignments where item_id = ${itemId} and annotator = ${annotator}`.execute(tx)).rows;
  if (!row) throw new Error(`no assignment of item "${itemId}" to "${annotator}" to draw a side for`);
  if (row.left_image !== null) return Number(row.left_image) === 1 ? 1 : 0;
  const [count] = (await sql<{ n: number }>`select count(*) as n from assignments where annotator = ${annotator} and left_image is not null`.execute(tx)).rows;
  const left = leftImage(seed, annotator, Number(count!.n));
  await sql`update assignments set left_image = ${left} where item_id = ${itemId} and annotator = ${annotator}`.execute(tx);
  return left;
}

/** The side drawn for `annotator` on `itemId`: undefined when it was never given to them, null when no side was drawn. */
export async function drawnSide(tx: Tx, annotator: string, itemId: string): Promise<0 | 1 | null | undefined> {
  const [row] = (await sql<{ left_image: number | null }>`select left_image from assignments where item_id = ${itemId} and annotator = ${annotator}`.execute(tx)).rows;
  if (!row) return undefined;
  return row.left_image === null ? null : Number(row.left_image) === 1 ? 1 : 0;
}
