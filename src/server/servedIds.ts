import { createHmac } from 'node:crypto';
import type { ServedPack } from './servedPack.ts';

/**
 * The item ids annotators see. On a pack with gold items every item is handed out under an
 * opaque id: "i" and 22 characters of an HMAC-SHA256 of its pack id under the server's secret
 * (one length and one alphabet for all, stable across restarts and servers on one database), and
 * its image URL names that id. A lead's gold ids often differ in form from the others
 * ("gold-01", or a range after the ordinary ones), so the pack's ids would tell gold apart;
 * opaque ids tell nothing. Ids are mapped back where they come in (submissions, `exclude`,
 * image URLs); the lead's side (progress, exports, /pack, quality) and the database keep pack
 * ids. A pack without gold items keeps its own ids, as before.
 */
export class ServedIds {
  /** True when items are handed out under opaque ids. */
  readonly opaque: boolean;
  private readonly served = new Map<string, string>();
  private readonly packIds = new Map<string, string>();

  constructor(
    private readonly pack: ServedPack,
    secret: Buffer,
  ) {
    // Rating items only: comparison items are never gold and keep their own ids.
    const items = [...pack.items.values()].map((served) => served.item);
    this.opaque = items.some((item) => item.gold !== undefined);
    if (!this.opaque) return;
    for (const item of items) {
      const id = `i${createHmac('sha256', secret).update(`item\n${item.id}`, 'utf8').digest('base64url').slice(0, 22)}`;
      // 132 bits: a collision is not expected in any pack; refuse rather than mix two items up.
      if (this.packIds.has(id)) throw new Error(`items "${this.packIds.get(id)}" and "${item.id}" have the same served id`);
      this.served.set(item.id, id);
      this.packIds.set(id, item.id);
    }
  }

  /** The id an annotator sees for a pack item. */
  toServed(packId: string): string {
    return this.opaque ? (this.served.get(packId) ?? packId) : packId;
  }

  /** The pack id of an id an annotator sent; undefined when no item has it. */
  toPack(servedId: string): string | undefined {
    if (this.opaque) return this.packIds.get(servedId);
    return this.pack.items.has(servedId) ? servedId : undefined;
  }
}
