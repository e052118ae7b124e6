import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ServedItem } from './servedPack.ts';

/**
 * URLs for the pack's images. An <img> cannot send an Authorization header, so an image URL
 * carries its own permission instead: an expiry and an HMAC of (item id, expiry) under a
 * secret kept in the database. The server hands these URLs only to signed-in users (in
 * `/next`, `/submissions` and `/pack`), so an image cannot be fetched by someone who merely
 * guesses a file name, and a URL stops working after a while. They are not tokens: they open
 * one image, and request logs leave out query strings anyway.
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
  ) {}

  private sign(itemId: string, exp: number): string {
    return createHmac('sha256', this.secret).update(`${itemId}\n${exp}`, 'utf8').digest('base64url').slice(0, 22);
  }

  /** The URL the browser loads the item's image from: a signed server path for the pack's files, the pack's own URL otherwise. */
  urlFor(item: ServedItem, now: number): string {
    if (item.ref.kind !== 'file') return item.item.image;
    const exp = Math.ceil((now + this.lifetimeMs) / HOUR_MS) * (HOUR_MS / 1000);
    return `${IMAGE_PATH}${encodeURIComponent(item.item.id)}?exp=${exp}&sig=${this.sign(item.item.id, exp)}`;
  }

  /** `exp` in Unix seconds, as in the URL. */
  verify(itemId: string, exp: string | undefined, sig: string | undefined, now: number): 'ok' | 'expired' | 'bad' {
    if (exp === undefined || sig === undefined || !/^\d{1,12}$/.test(exp)) return 'bad';
    const expected = Buffer.from(this.sign(itemId, Number(exp)));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad';
    return Number(exp) * 1000 < now ? 'expired' : 'ok';
  }
}
