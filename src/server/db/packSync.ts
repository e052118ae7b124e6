import { sql } from 'kysely';
import { isComparisonItem, type TaskItem, type TaskPack } from '../../core/formats/taskpack.ts';
import { updateAllStates } from './assignment.ts';
import type { Db } from './database.ts';
import { servingFromPack } from './qualitySettings.ts';
import { SETTING } from './schema.ts';

/**
 * Loads the pack into the database, or brings the database in line with a changed pack:
 * new items are added, items without submissions may be changed, moved or removed, and all
 * work is kept. Removing or changing an item that already has submissions is refused, naming
 * the items, and then nothing is changed. One transaction; on PostgreSQL, servers starting at
 * once on one database take turns.
 */
export interface PackSyncResult {
  readonly firstLoad: boolean;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
}

export class PackConflictError extends Error {}

const PG_PACK_LOCK = 0x7061636b;
/** Rows per INSERT: well under both dialects' limits on bound parameters. */
const CHUNK = 500;

/**
 * An item's row values that a change is judged by. A comparison item keeps its two images (with
 * their systems and sizes) and its criteria as JSON in `image` (marked `compare:`), and no size
 * of its own: changing any of them changes the item.
 */
function itemRow(item: TaskItem): { image: string; prompt: string; width: number | null; height: number | null; gold: number } {
  if (isComparisonItem(item))
    return { image: `compare:${JSON.stringify({ images: item.images, criteria: item.criteria ?? null })}`, prompt: item.prompt, width: null, height: null, gold: 0 };
  return { image: item.image, prompt: item.prompt, width: item.width ?? null, height: item.height ?? null, gold: item.gold !== undefined ? 1 : 0 };
}

function listIds(ids: readonly string[]): string {
  const shown = ids.slice(0, 20).map((id) => JSON.stringify(id));
  return ids.length > 20 ? `${shown.join(', ')} and ${ids.length - 20} more` : shown.join(', ');
}

export async function syncPack(db: Db, pack: TaskPack, packFile: string): Promise<PackSyncResult> {
  const k = pack.annotatorsPerItem;
  const isGold = (item: TaskItem) => itemRow(item).gold;
  return db.write(async (tx) => {
    if (db.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${PG_PACK_LOCK})`.execute(tx);
    const settings = new Map((await tx.selectFrom('settings').select(['key', 'value']).execute()).map((r) => [r.key, r.value]));
    const stored = await tx.selectFrom('items').select(['id', 'position', 'image', 'prompt', 'width', 'height', 'submitted', 'gold']).execute();
    const firstLoad = !settings.has(SETTING.packName);
    const storedName = settings.get(SETTING.packName);
    if (storedName !== undefined && storedName !== pack.name && stored.some((s) => s.submitted > 0)) {
      throw new PackConflictError(
        `${packFile}: name: "${pack.name}" differs from "${storedName}", the pack whose submissions are in ${db.location}; use that pack (with items added if you like) or another --db`,
      );
    }

    const byId = new Map(stored.map((s) => [s.id, s]));
    const inPack = new Set(pack.items.map((i) => i.id));
    const removed = stored.filter((s) => !inPack.has(s.id));
    const changed: string[] = [];
    const moved: { id: string; position: number }[] = [];
    const added: TaskItem[] = [];
    const addedAt: number[] = [];
    pack.items.forEach((item, position) => {
      const s = byId.get(item.id);
      if (!s) {
        added.push(item);
        addedAt.push(position);
        return;
      }
      const row = itemRow(item);
      if (s.image !== row.image || s.prompt !== row.prompt || s.width !== row.width || s.height !== row.height || Number(s.gold) !== row.gold) changed.push(item.id);
      if (s.position !== position) moved.push({ id: item.id, position });
    });
    // Items with submissions: counted ones, and those whose counter says 0 while records exist
    // (gold items, and items whose every submission was rejected).
    const uncounted = await sql<{ item_id: string }>`select distinct s.item_id from submissions s join items i on i.id = s.item_id where i.submitted = 0`.execute(tx);
    const hasWork = new Set(uncounted.rows.map((r) => r.item_id));
    for (const s of stored) if (s.submitted > 0) hasWork.add(s.id);
    const conflicts = [...removed.filter((s) => hasWork.has(s.id)).map((s) => s.id), ...changed.filter((id) => hasWork.has(id))];
    if (conflicts.length > 0) {
      throw new PackConflictError(
        `${packFile}: items ${listIds(conflicts)} already have submissions in ${db.location} but were removed or changed in the pack; put them back as they were (adding items is fine) or use another --db`,
      );
    }

    for (const s of removed) {
      await tx.deleteFrom('assignments').where('item_id', '=', s.id).execute();
      await tx.deleteFrom('items').where('id', '=', s.id).execute();
    }
    const byPackId = new Map(pack.items.map((i) => [i.id, i]));
    for (const id of changed) {
      await tx
        .updateTable('items')
        .set(itemRow(byPackId.get(id)!))
        .where('id', '=', id)
        .execute();
    }
    const flipped = changed.filter((id) => Number(byId.get(id)!.gold) !== isGold(byPackId.get(id)!));
    if (flipped.length > 0) {
      // An item that became gold (or stopped being gold) without submissions: its counters
      // from its assignments (gold items keep theirs at 0; see assignment.ts).
      await sql`update items set
          held = case when gold = 1 then 0 else (select count(*) from assignments a where a.item_id = items.id and a.submitted = 0 and a.released = 0) end,
          submitted = case when gold = 1 then 0 else (select count(*) from assignments a where a.item_id = items.id and a.submitted = 1 and a.excluded = 0) end
        where id in (${sql.join(flipped)})`.execute(tx);
    }
    for (const m of moved) await tx.updateTable('items').set({ position: m.position }).where('id', '=', m.id).execute();
    for (let i = 0; i < added.length; i += CHUNK) {
      const rows = added.slice(i, i + CHUNK).map((item, j) => ({ id: item.id, position: addedAt[i + j]!, ...itemRow(item) }));
      await tx.insertInto('items').values(rows).execute();
    }
    const storedK = settings.get(SETTING.annotatorsPerItem);
    if (storedK !== String(k) || added.length > 0 || removed.length > 0 || flipped.length > 0) await updateAllStates(tx, k);
    for (const [key, value] of [
      [SETTING.packName, pack.name],
      [SETTING.annotatorsPerItem, String(k)],
      [SETTING.packQuality, JSON.stringify(servingFromPack(pack.quality))],
    ] as const) {
      await tx
        .insertInto('settings')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute();
    }
    return { firstLoad, added: firstLoad ? 0 : added.length, changed: changed.length, removed: removed.length };
  });
}
