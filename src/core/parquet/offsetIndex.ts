import type { OffsetIndex } from 'hyparquet';

/**
 * A column chunk's offset index, page by page, as hyparquet-writer's writeColumn makes it (only
 * for a column that asks for one and has more than one page): each page's offset, its size as
 * written, and the index of the first row it holds. A page of a repeated column starts a row
 * (the page boundaries are drawn so), so its first row is the count of repetition level 0 before it.
 */
export class OffsetIndexPages {
  readonly index: OffsetIndex | undefined;
  private firstRow = 0n;
  private previousStart = 0;

  constructor(
    wanted: boolean | undefined,
    pages: number,
    private readonly repetitionLevels: ArrayLike<number>,
  ) {
    this.index = wanted && pages > 1 ? { page_locations: [] } : undefined;
  }

  /** The page whose values start at `start` was written from byte `offset` up to `end`. */
  add(start: number, offset: number, end: number): void {
    if (this.index) {
      const levels = this.repetitionLevels;
      if (levels.length) {
        for (let i = this.previousStart + 1; i <= start; i++) if (levels[i] === 0) this.firstRow++;
      } else this.firstRow = BigInt(start);
      this.index.page_locations.push({ offset: BigInt(offset), compressed_page_size: end - offset, first_row_index: this.firstRow });
    }
    this.previousStart = start;
  }
}
