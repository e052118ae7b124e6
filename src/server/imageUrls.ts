import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ServedComparison, ServedItem } from './servedPack.ts';

/**
 * URLs for the pack's images. An <img> cannot send an Authorization header, so an image URL
 * carries its own permission instead: an expiry and an HMAC of (item id, expiry) under a
 * secret kept in the database. The server hands these URLs only to signed-in users (in
 * `/next`, `/submissions` and `/pack`), so an image cannot be fetched by someone who merely
 * guesses a file name, and a URL stops working after a while. They are not tokens: they open
 * one image, and request logs leave out query strings anyway.
 *
 * A comparison item's two images are `ID?i=0|1&exp=…&sig=…`, the index signed with them: the URL
 * says which of the item's images it is, never which system made it, nor the file's name.
 *
 * Expiries are rounded up to the hour so an item's URL stays the same for an hour (browser
 * caching and prefetching work) and is valid for at least `lifetimeMs`.
 */
export const IMAGE_PATH = '/api/v1/images/';
const HOUR_MS = 3_600_000;
export const DEFAULT_IMAGE_URL_LIFETIME_MS = 24 * HOUR_MS;

export class ImageUrls {
  constructor(
    private readonly secret: Buffer,
    private readonly lifetimeMs = DEFAULT_IMAGE_URL_LIFETIME_MS,
    /** The id a URL names for a pack id (servedIds.ts: opaque on a pack with gold items). */
    private readonly urlId: (packId: string) => string = (id) => id,
  ) {}

  /** `index`: a comparison image's index in its item's `images`; undefined for a rating item's image. */
  private sign(itemId: string, exp: number, index?: 0 | 1): string {
    const message = index === undefined ? `${itemId}\n${exp}` : `${itemId}\n${exp}\n${index}`;
    return createHmac('sha256', this.secret).update(message, 'utf8').digest('base64url').slice(0, 22);
  }

  private expiry(now: number): number {
    return Math.ceil((now + this.lifetimeMs) / HOUR_MS) * (HOUR_MS / 1000);
  }

  /** The URL the browser loads the item's image from: a signed server path for the pack's files, the pack's own URL otherwise. */
  urlFor(item: ServedItem, now: number): string {
    if (item.ref.kind !== 'file') return item.item.image;
    const exp = this.expiry(now);
    const id = this.urlId(item.item.id);
    return `${IMAGE_PATH}${encodeURIComponent(id)}?exp=${exp}&sig=${this.sign(id, exp)}`;
  }

  /** The URL of a comparison item's image `index` (see above). */
  comparisonUrlFor(served: ServedComparison, index: 0 | 1, now: number): string {
    const { item } = served;
    if (served.images[index].ref.kind !== 'file') return item.images[index].image;
    const exp = this.expiry(now);
    return `${IMAGE_PATH}${encodeURIComponent(item.id)}?i=${index}&exp=${exp}&sig=${this.sign(item.id, exp, index)}`;
  }

  /** `itemId` as the URL names it; `exp` in Unix seconds, as in the URL; `index` as in the URL (`i`), absent for a rating item's image. */
  verify(itemId: string, exp: string | undefined, sig: string | undefined, now: number, index?: 0 | 1): 'ok' | 'expired' | 'bad' {
    if (exp === undefined || sig === undefined || !/^\d{1,12}$/.test(exp)) return 'bad';
    const expected = Buffer.from(this.sign(itemId, Number(exp), index));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad';
    return Number(exp) * 1000 < now ? 'expired' : 'ok';
  }
}
