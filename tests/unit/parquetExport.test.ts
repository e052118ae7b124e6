import { describe, expect, it } from 'vitest';
import { encodeGrayPng } from '../../src/core/encode/png.ts';
import { packRow, type PackedRow } from '../../src/core/parquet/packedRow.ts';
import { ParquetExport } from '../../src/core/parquet/parquetExport.ts';
import { parseSplitRule } from '../../src/core/parquet/split.ts';
import { ImageArena } from '../../src/node/imageArena.ts';
import { smallDatasetRow } from './helpers/datasetRow.ts';

/**
 * ParquetExport's `released`: every image read is handed back once, only after the bytes of its
 * row group are in the sink (or when its item is left out), so a reader that reuses the memory
 * (the writer thread's ImageArena) writes the same files as one that reads into fresh buffers.
 */
const items = Array.from({ length: 60 }, (_, i) => ({ id: `item-${i}`, image: `images/${i}.png` }));

/** A distinct 4x4 PNG per item (its pixels are the item's number). */
const png = (ref: string) => encodeGrayPng(4, 4, new Uint8Array(16).fill(Number(/\d+/.exec(ref)![0]) * 7));

function row(id: string, ref: string): PackedRow {
  return packRow(smallDatasetRow(id, ref, { tokenVotes: [0, 1], misalignedTokens: [1], points: [{ kind: 'artifact', x: 1, y: 2 }] }));
}

interface Run {
  /** Each shard's bytes, by split and index. */
  readonly files: Map<string, Buffer>;
  readonly released: Uint8Array[];
  /** Images read into memory that an earlier image had had. */
  readonly reusedRegions: number;
}

/** Exports every item but item-4 (left out of the rows), in batches of 3, train and test interleaved. */
async function run(reuse: ImageArena | undefined): Promise<Run> {
  const rule = parseSplitRule('train=0.5,test=0.5', 3);
  if (!rule.ok) throw new Error(rule.message);
  const parts = new Map<string, Uint8Array[]>();
  const released: Uint8Array[] = [];
  const regions = new Set<string>();
  const buffers = new Map<ArrayBufferLike, number>();
  let reusedRegions = 0;
  const exporter = new ParquetExport({
    items,
    names: new Map([['x', 'annotator-001']]),
    rule: rule.rule,
    packSplits: new Map(),
    readImage: async (ref, _id, split) => {
      const bytes = png(ref);
      if (!reuse) return bytes;
      const into = reuse.allocate(bytes.length, split);
      if (!buffers.has(into.buffer)) buffers.set(into.buffer, buffers.size);
      const region = `${buffers.get(into.buffer)}:${into.byteOffset}`;
      if (regions.has(region)) reusedRegions++;
      regions.add(region);
      into.set(bytes);
      return into;
    },
    released: reuse
      ? (bytes) => {
          // Its row group's bytes are in the sink already (item-4's image is never written).
          const written = Buffer.concat([...parts.values()].flat());
          const leftOut = Buffer.from(bytes).equals(png('images/4.png'));
          expect(leftOut || written.indexOf(Buffer.from(bytes)) >= 0).toBe(true);
          released.push(bytes.slice());
          reuse.release(bytes);
        }
      : undefined,
    openShard: (split, index) => {
      const shard: Uint8Array[] = [];
      parts.set(`${split}/${index}`, shard);
      return { write: (b) => void shard.push(b.slice()) }; // a sink that copies, as the shard files do
    },
    limits: { shardBytes: 10_000, rowGroupBytes: 1 << 20, rowGroupRows: 3 },
  });
  const rows = items.filter((_, i) => i !== 4).map((item) => row(item.id, item.image));
  for (let at = 0; at < rows.length; at += 3) await exporter.rows(rows.slice(at, at + 3));
  const splits = await exporter.finish();
  expect(splits.map((s) => s.rows).reduce((a, b) => a + b)).toBe(59);
  expect(splits.map((s) => s.name)).toEqual(['train', 'test']);
  return { files: new Map([...parts].map(([k, v]) => [k, Buffer.concat(v)])), released, reusedRegions };
}

describe('ParquetExport released', () => {
  it('hands each image back once after its row group is written, so reused memory writes the same files', async () => {
    const fresh = await run(undefined);
    const arena = new ImageArena(400, 2); // 5 images of 79 bytes a slab: slabs are retired and cut again
    const reused = await run(arena);
    expect(reused.reusedRegions).toBeGreaterThan(3);
    expect([...reused.files.keys()]).toEqual([...fresh.files.keys()]);
    for (const [name, bytes] of fresh.files) expect(reused.files.get(name)!.equals(bytes)).toBe(true);
    // Every image once, the left-out item's too (it was read ahead).
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    const got = reused.released.map(hex).sort();
    const want = items.map((i) => hex(png(i.image))).sort();
    expect(got).toEqual(want);
    expect(arena.counts.inUse).toBeLessThanOrEqual(2); // one current slab per split, nothing else held
  });
});
