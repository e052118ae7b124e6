import { Hono } from 'hono';
import type { AppEnv, ServerContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { imageContentType, packFileStream, resolvePackFile } from '../packFiles.ts';
import { Readable } from 'node:stream';

/**
 * `GET /api/v1/images/{itemId}?exp=…&sig=…`: an item's image from the pack's folder, for URLs
 * made by ImageUrls (see there why images carry a signature instead of a token); a comparison
 * item's image `i` (0 or 1) with `?i=…`. The answer's headers name no file and no system.
 */
export function imageRoutes(ctx: ServerContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/:itemId', async (c) => {
    const itemId = c.req.param('itemId');
    const i = c.req.query('i');
    const index = i === '0' ? 0 : i === '1' ? 1 : undefined;
    const check = i !== undefined && index === undefined ? 'bad' : ctx.images.verify(itemId, c.req.query('exp'), c.req.query('sig'), ctx.now(), index);
    if (check === 'bad') throw new HttpError(403, 'this image URL is not valid: take image URLs from /api/v1/next or /api/v1/pack');
    if (check === 'expired') throw new HttpError(403, 'this image URL has expired: ask /api/v1/next (or /api/v1/pack) again for a fresh one');
    // A rating item's URL names its served id (servedIds.ts); a comparison item's names its own id.
    const packId = index === undefined ? ctx.ids.toPack(itemId) : undefined;
    const loaded = index === undefined ? (packId === undefined ? undefined : ctx.pack.items.get(packId)) : ctx.pack.comparisons.get(itemId)?.images[index];
    if (!loaded || loaded.ref.kind !== 'file') throw new HttpError(404, `item "${itemId}" has no image file in the pack's folder`);
    const file = await resolvePackFile(ctx.pack.dir, loaded.ref.segments);
    if (!file.ok) {
      throw new HttpError(
        404,
        file.reason === 'outside' ? `the image of item "${itemId}" is outside the pack's folder (a symlink?); not served` : `the image of item "${itemId}" is missing`,
      );
    }
    return c.body(Readable.toWeb(packFileStream(file.path)) as ReadableStream, 200, {
      'Content-Type': imageContentType(file.path),
      'Content-Length': String(file.size),
      // The URL is signed for at least a day and names one item, so the browser may keep the image.
      'Cache-Control': 'private, max-age=3600',
      // An SVG opened directly must not run anything.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    });
  });
  return app;
}
