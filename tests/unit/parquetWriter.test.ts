import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { ParquetDatasetWriter, shardName, type RowToAdd } from '../../src/core/parquet/parquetDataset.ts';
import { packRow } from '../../src/core/parquet/packedRow.ts';
import type { DeferredBytes } from '../../src/core/parquet/imageFile.ts';
import { assignSplit, parseSplitRule, splitPlace } from '../../src/core/parquet/split.ts';
import { imageFileName } from '../../src/core/parquet/parquetExport.ts';
import { pythonJson } from '../../src/core/parquet/feature.ts';
import { smallDatasetRow } from './helpers/datasetRow.ts';

/** Row groups, shards and splits of the Parquet writer, in memory, read back with hyparquet. */
function row(id: string, imageBytes: number): RowToAdd & { image: { bytes: Uint8Array } } {
  return { packed: packRow(smallDatasetRow(id, `images/${id}.png`)), image: { bytes: new Uint8Array(imageBytes).fill(id.length), path: `${id}.png` } };
}

/** A sink into `parts` (these rows' images are all in memory). */
const inMemory = (parts: Uint8Array[]) => (b: Uint8Array | DeferredBytes) => {
  if (!(b instanceof Uint8Array)) throw new Error('no DeferredBytes here');
  parts.push(b);
};

describe('ParquetDatasetWriter', () => {
  it('cuts row groups by rows and bytes and shards by size, keeping every row in order', async () => {
    const files = new Map<string, Uint8Array[]>();
    const w = new ParquetDatasetWriter(
      (split, index) => {
        const parts: Uint8Array[] = [];
        files.set(`${split}/${index}`, parts);
        return { write: inMemory(parts) };
      },
      { shardBytes: 60_000, rowGroupBytes: 20_000, rowGroupRows: 4 },
      new Map([['x', 'annotator-001']]),
    );
    const ids = Array.from({ length: 20 }, (_, i) => `r${i}`);
    for (const id of ids) await w.add(id === 'r5' ? 'test' : 'train', row(id, 8_000));
    const splits = await w.finish();
    expect(splits.map((s) => [s.name, s.rows, s.shards])).toEqual([
      ['train', 19, files.size - 1],
      ['test', 1, 1],
    ]);
    const read: string[] = [];
    const groups: number[] = [];
    for (let index = 0; files.has(`train/${index}`); index++) {
      const bytes = Buffer.concat(files.get(`train/${index}`)!);
      const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
      const metadata = parquetMetadata(buf);
      // A group closes once it holds 20,000 bytes of images and maps (the third row of about
      // 9,000), before its 4 rows; a shard takes whole groups while it stays within 60,000 bytes.
      for (const g of metadata.row_groups) expect(Number(g.num_rows)).toBeLessThanOrEqual(3);
      groups.push(...metadata.row_groups.map((g) => Number(g.num_rows)));
      console.log(
        index,
        bytes.length,
        files
          .get(`train/${index}`)!
          .map((p) => p.length)
          .join(','),
        metadata.row_groups.map((g) => g.num_rows).join(','),
      );
      expect(bytes.length).toBeLessThanOrEqual(60_000);
      const rows = await parquetReadObjects({ file: buf, metadata, utf8: false });
      for (const r of rows) {
        read.push(r.id as string);
        expect(Buffer.from((r.image as { bytes: Uint8Array }).bytes).equals(Buffer.from(row(r.id as string, 8_000).image.bytes))).toBe(true);
      }
    }
    expect(read).toEqual(ids.filter((id) => id !== 'r5'));
    expect(groups).toEqual([3, 3, 3, 3, 3, 3, 1]);
    expect(files.size - 1).toBe(4); // two groups of about 27,000 bytes a shard
    expect(shardName('train', 2, 13)).toBe('train-00002-of-00013.parquet');
  });

  it('cuts row groups of 100 rows by default, as datasets does for a dataset with images', async () => {
    const parts: Uint8Array[] = [];
    const w = new ParquetDatasetWriter(() => ({ write: inMemory(parts) }));
    for (let i = 0; i < 250; i++) await w.add('train', row(`r${i}`, 100));
    await w.finish();
    const bytes = Buffer.concat(parts);
    const metadata = parquetMetadata(new Uint8Array(bytes).buffer);
    expect(metadata.row_groups.map((g) => Number(g.num_rows))).toEqual([100, 100, 50]);
  });

  it('writes one empty train shard when there are no rows, with the schema', async () => {
    const parts: Uint8Array[] = [];
    const splits = await new ParquetDatasetWriter(() => ({ write: inMemory(parts) })).finish();
    expect(splits).toEqual([{ name: 'train', rows: 0, shards: 1, bytes: Buffer.concat(parts).length }]);
    const bytes = Buffer.concat(parts);
    const metadata = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    expect(Number(metadata.num_rows)).toBe(0);
    expect(metadata.key_value_metadata?.[0]?.key).toBe('huggingface');
  });
});

describe('splits', () => {
  it('parses rules and names the first mistake', () => {
    expect(parseSplitRule('train=0.9,validation=0.05,test=0.05', 3)).toEqual({
      ok: true,
      rule: {
        seed: 3,
        shares: [
          { name: 'train', share: 0.9 },
          { name: 'validation', share: 0.05 },
          { name: 'test', share: 0.05 },
        ],
      },
    });
    expect(parseSplitRule('train=0.9,test=0.2', 0)).toEqual({ ok: false, message: 'the shares must add up to 1, they add up to 1.1' });
    expect(parseSplitRule('train=1,train=0', 0)).toMatchObject({ ok: false, message: 'split "train" is named twice' });
    expect(parseSplitRule('tr ain=1', 0)).toMatchObject({ ok: false });
    expect(parseSplitRule('a/b=1', 0)).toMatchObject({ ok: false, message: '"a/b" is not a split name (letters, digits, _ and ., e.g. train, validation, test)' });
    expect(parseSplitRule('test=0', 0)).toMatchObject({ ok: false });
  });

  it('an item’s split depends only on the seed and its id, so adding items moves none; shares come out near their size', () => {
    const rule = parseSplitRule('train=0.9,validation=0.05,test=0.05', 42);
    if (!rule.ok) throw new Error(rule.message);
    let moved = 0;
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 30 }), fc.array(fc.string({ minLength: 1 }), { maxLength: 30 }), (ids, added) => {
        const before = ids.map((id) => assignSplit(rule.rule, id));
        const after = [...ids, ...added].map((id) => assignSplit(rule.rule, id)).slice(0, ids.length);
        expect(after).toEqual(before);
        if (before.some((s) => s !== 'train')) moved++; // a case that exercised the other splits
      }),
    );
    expect(moved).toBeGreaterThan(0);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 20_000; i++) {
      const s = assignSplit(rule.rule, `item-${i}`);
      counts[s] = (counts[s] ?? 0) + 1;
    }
    // Binomial spread at 20,000 items: sd of about 42 for train and 31 for the others; 5 sd of room.
    expect(Math.abs(counts.train! - 18_000)).toBeLessThan(220);
    expect(Math.abs(counts.validation! - 1_000)).toBeLessThan(160);
    expect(Math.abs(counts.test! - 1_000)).toBeLessThan(160);
    expect(splitPlace(42, 'a')).not.toBe(splitPlace(43, 'a'));
    expect(assignSplit(rule.rule, 'x', 'holdout')).toBe('holdout');
  });
});

describe('small parts', () => {
  it('imageFileName is the last segment of a path or URL; pythonJson writes as json.dumps', () => {
    expect(imageFileName('images/a%20b.png')).toBe('a b.png');
    expect(imageFileName('https://example.org/x/y.jpg?s=1')).toBe('y.jpg');
    expect(pythonJson({ a: [1, 'é'], b: null })).toBe('{"a": [1, "\\u00e9"], "b": null}');
  });
});
