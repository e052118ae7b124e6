import { parquetMetadata } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { encodeGrayPng } from '../../src/core/encode/png.ts';
import type { DeferredBytes, ImageBytes } from '../../src/core/parquet/imageFile.ts';
import { packRow, type PackedRow } from '../../src/core/parquet/packedRow.ts';
import { ParquetExport } from '../../src/core/parquet/parquetExport.ts';
import { parseSplitRule } from '../../src/core/parquet/split.ts';
import { smallDatasetRow } from './helpers/datasetRow.ts';

/**
 * ParquetExport with images read when their pages are written (DeferredBytes, as the writer
 * thread reads the pack's files): the sink reads each one as it comes, and the files are the
 * same as with every image in memory; an image left out of the rows is never read whole.
 */
const items = Array.from({ length: 60 }, (_, i) => ({ id: `item-${i}`, image: `images/${i}.png` }));

/**
 * A distinct 4x4 PNG per item (its pixels are the item's number), padded to 30,000 bytes: pages
 * are cut at about 64 KiB, so a page holds two or three of them (the export checks only the
 * size its first bytes tell).
 */
const png = (ref: string) => {
  const bytes = new Uint8Array(30_000);
  bytes.set(encodeGrayPng(4, 4, new Uint8Array(16).fill(Number(/\d+/.exec(ref)![0]) * 7)));
  return bytes;
};

function row(id: string, ref: string): PackedRow {
  return packRow(smallDatasetRow(id, ref, { tokenVotes: [0, 1], misalignedTokens: [1], points: [{ kind: 'artifact', x: 1, y: 2 }] }));
}

interface Run {
  /** Each shard's bytes, by split and index. */
  readonly files: Map<string, Buffer>;
  /** Images read whole by the sink, in the order they were. */
  readonly filled: string[];
}

/** Exports every item but item-4 (left out of the rows), in batches of 3, train and test interleaved. */
async function run(deferred: boolean): Promise<Run> {
  const rule = parseSplitRule('train=0.5,test=0.5', 3);
  if (!rule.ok) throw new Error(rule.message);
  const parts = new Map<string, Uint8Array[]>();
  const filled: string[] = [];
  const exporter = new ParquetExport({
    items,
    names: new Map([['x', 'annotator-001']]),
    rule: rule.rule,
    packSplits: new Map(),
    readImage: async (ref): Promise<ImageBytes> => {
      const bytes = png(ref);
      if (!deferred) return bytes;
      const later: DeferredBytes = {
        length: bytes.length,
        head: bytes.subarray(0, 24), // signature and IHDR: the size
        fill: (into) => {
          expect(into.length).toBe(bytes.length);
          into.set(bytes);
          filled.push(ref);
        },
      };
      return later;
    },
    openShard: (split, index) => {
      const shard: Uint8Array[] = [];
      parts.set(`${split}/${index}`, shard);
      return {
        // As the shard files do: read into one buffer reused from image to image, copied out before the next.
        write: (b) => {
          if (b instanceof Uint8Array) return void shard.push(b.slice());
          const scratch = new Uint8Array(b.length);
          b.fill(scratch);
          shard.push(scratch.slice());
        },
      };
    },
    limits: { shardBytes: 400_000, rowGroupBytes: 1 << 20, rowGroupRows: 6 },
  });
  const rows = items.filter((_, i) => i !== 4).map((item) => row(item.id, item.image));
  for (let at = 0; at < rows.length; at += 3) await exporter.rows(rows.slice(at, at + 3));
  const splits = await exporter.finish();
  expect(splits.map((s) => s.rows).reduce((a, b) => a + b)).toBe(59);
  expect(splits.map((s) => s.name)).toEqual(['train', 'test']);
  return { files: new Map([...parts].map(([k, v]) => [k, Buffer.concat(v)])), filled };
}

describe('ParquetExport with DeferredBytes', () => {
  it('writes the same files as with the images in memory, each image read once when written', async () => {
    const inMemory = await run(false);
    const later = await run(true);
    expect([...later.files.keys()]).toEqual([...inMemory.files.keys()]);
    for (const [name, bytes] of inMemory.files) expect(later.files.get(name)!.equals(bytes)).toBe(true);
    // Several shards, each with groups of several pages of images.
    expect(inMemory.files.size).toBeGreaterThan(2);
    for (const bytes of inMemory.files.values()) {
      const metadata = parquetMetadata(new Uint8Array(bytes).buffer);
      const image = metadata.row_groups[0]!.columns.find((c) => c.meta_data?.path_in_schema.join('.') === 'image.bytes')!.meta_data!;
      expect(Number(image.total_compressed_size)).toBeGreaterThan(2 * 30_000);
    }
    expect([...later.filled].sort()).toEqual(
      items
        .filter((_, i) => i !== 4)
        .map((i) => i.image)
        .sort(),
    );
    // In the files' order: a row group's images in its rows' order, groups as they were written.
    expect(new Set(later.filled).size).toBe(59);
  });
});
