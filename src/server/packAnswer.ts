import { isComparisonItem, type TaskPack } from '../core/formats/taskpack.ts';

/**
 * The answer of `GET /api/v1/pack`, `{"pack": the pack, "imageUrls": {id: url}}` (core's
 * packAnswerSchema), with `"comparisonImageUrls": {id: [url0, url1]}` after them when the pack has
 * comparison items (the lead's own pack: it names the systems), as pieces of JSON text of ITEMS_PER_PIECE items each, so a big pack (22 MB
 * for 100,000 items) is sent while other requests go on, never built as one string. The pack's
 * fields come first and its items last; JSON.parse of the pieces joined is the pack as loaded.
 */
const ITEMS_PER_PIECE = 1000;

export function* packAnswerPieces(pack: TaskPack, imageUrl: (itemId: string) => string, comparisonUrls?: (itemId: string) => readonly [string, string]): Generator<string> {
  const { items, ...head } = pack;
  // `{"format":…,"name":…` without its closing brace, then the items.
  yield `{"pack":${JSON.stringify(head).slice(0, -1)}${Object.keys(head).length > 0 ? ',' : ''}"items":[`;
  for (let at = 0; at < items.length; at += ITEMS_PER_PIECE) {
    const piece = items.slice(at, at + ITEMS_PER_PIECE).map((item) => JSON.stringify(item));
    yield (at > 0 ? ',' : '') + piece.join(',');
  }
  yield ']},"imageUrls":{';
  let first = true;
  for (let at = 0; at < items.length; at += ITEMS_PER_PIECE) {
    const piece = items.slice(at, at + ITEMS_PER_PIECE).flatMap((item) => (isComparisonItem(item) ? [] : [`${JSON.stringify(item.id)}:${JSON.stringify(imageUrl(item.id))}`]));
    if (piece.length === 0) continue;
    yield (first ? '' : ',') + piece.join(',');
    first = false;
  }
  if (comparisonUrls && items.some(isComparisonItem)) {
    yield '},"comparisonImageUrls":{';
    first = true;
    for (let at = 0; at < items.length; at += ITEMS_PER_PIECE) {
      const piece = items
        .slice(at, at + ITEMS_PER_PIECE)
        .flatMap((item) => (isComparisonItem(item) ? [`${JSON.stringify(item.id)}:${JSON.stringify(comparisonUrls(item.id))}`] : []));
      if (piece.length === 0) continue;
      yield (first ? '' : ',') + piece.join(',');
      first = false;
    }
  }
  yield '}}';
}
