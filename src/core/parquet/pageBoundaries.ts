/**
 * hyparquet-writer's getPageBoundaries (column.js), with each value's size given by the caller:
 * a new page starts at a row's first value once the page holds `pageSize` bytes. Its own sizes
 * count a Uint8Array's or a string's length and anything else as 0 bytes; the small columns
 * (smallColumn.ts) count dictionary indexes and UTF-8 lengths as writeColumn does, and the
 * images (rowGroup.ts) count DeferredBytes by their length.
 *
 * The pages' starts and then the end: [0, …, count]; [0] when there are no values, and one page,
 * [0, count], without a page size.
 */
export function pageBoundaries(count: number, size: (i: number) => number, pageSize: number | undefined, repetitionLevels: readonly number[]): number[] {
  if (!pageSize) return [0, count];
  const boundaries = [0];
  let accumulated = 0;
  for (let i = 0, start = 0; i < count; i++) {
    const s = size(i);
    accumulated += s;
    if (accumulated >= pageSize && i > start && (!repetitionLevels.length || repetitionLevels[i] === 0)) {
      boundaries.push(i);
      start = i;
      accumulated = s;
    }
  }
  if (count > 0) boundaries.push(count);
  return boundaries;
}
