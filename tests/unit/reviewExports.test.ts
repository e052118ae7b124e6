import { readFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { base64ToBytes } from '../../src/core/encode/base64.ts';
import { annotationFileSchema, taskPackSchema, type Dataset } from '../../src/core/formats/index.ts';
import { parseJsonText } from '../../src/core/formats/readDocument.ts';
import { planConsolidation, type AnnotationSource } from '../../src/core/dataset/plan.ts';
import { writeDataset } from '../../src/core/dataset/pipeline.ts';
import { startItemPool } from '../../src/node/itemPool.ts';
import { decodeHeatmapPng } from '../../src/core/encode/pngDecode.ts';
import { readRecords } from '../../src/core/encode/tfrecord.ts';
import { inlineItemPool } from '../../src/core/dataset/itemPool.ts';
import { buildExport } from '../../src/features/review/exports.ts';
import type { ExportOptions } from '../../src/features/review/protocol.ts';
import { gridSize } from '../../src/core/dataset/grid.ts';
import { parquetReadObjects } from 'hyparquet';

// The review page's exports (the worker's code, run here in Node) against the golden dataset
// that `richhf consolidate` must produce for the same fixtures.
const FIX = path.resolve(import.meta.dirname, '../../fixtures/consolidate');
const read = (f: string) => readFileSync(path.join(FIX, f), 'utf8');
const packParsed = parseJsonText('pack.json', read('pack.json'), taskPackSchema);
if (!packParsed.ok) throw new Error('fixture pack');
const pack = packParsed.value;
const files: AnnotationSource[] = ['alice', 'bob', 'carol'].map((a) => {
  const p = parseJsonText(`${a}.json`, read(`${a}.json`), annotationFileSchema);
  if (!p.ok) throw new Error('fixture file');
  return { name: `${a}.json`, file: p.value };
});
const options: ExportOptions = { grid: gridSize(512, 512), maskThreshold: 0.5, maskDilation: 4, subset: { plausibility: 0, alignment: 0, aesthetics: 0, overall: 0 } };
const noProgress = () => {};
const pool = inlineItemPool();

describe('review exports', () => {
  const expected = read('expected.json');
  const golden = JSON.parse(expected) as Dataset;

  it('writes the golden dataset byte for byte (the same pipeline and PNG encoder as the command line)', async () => {
    const out = await buildExport(pool, 'dataset', options, pack, files, noProgress);
    expect(await out.blob.text()).toBe(expected);
    expect(out.fileName).toBe('demo-dataset.json');
    expect([out.items, out.skipped]).toEqual([6, 2]);
  });

  it('keeps only items whose normalized scores reach the subset minimums, listing the others as skipped', async () => {
    const min = 0.5;
    const out = await buildExport(pool, 'subset', { ...options, subset: { ...options.subset, plausibility: min } }, pack, files, noProgress);
    const got = JSON.parse(await out.blob.text()) as Dataset;
    const keep = golden.items.filter((i) => i.normalizedScores.plausibility >= min).map((i) => i.id);
    expect(keep.length).toBeGreaterThan(0);
    expect(keep.length).toBeLessThan(golden.items.length);
    expect(got.items.map((i) => i.id)).toEqual(keep);
    expect(got.skipped.slice(0, golden.skipped.length)).toEqual(golden.skipped);
    expect(got.skipped.slice(golden.skipped.length).map((s) => s.id)).toEqual(golden.items.filter((i) => !keep.includes(i.id)).map((i) => i.id));
    expect(got.skipped.at(-1)!.reason).toMatch(/^normalized plausibility 0\.\d+ < 0\.5$/);
  });

  it('writes one framed TFRecord per dataset item, the bytes `richhf consolidate --tfrecord` writes', async () => {
    const out = await buildExport(pool, 'tfrecord', options, pack, files, noProgress);
    const bytes = new Uint8Array(await out.blob.arrayBuffer());
    expect(readRecords(bytes)).toHaveLength(golden.items.length);
    const cli: Uint8Array[] = [];
    await writeDataset(startItemPool(1), { plan: planConsolidation({ pack, files }), grid: options.grid }, { records: (b) => void cli.push(b) });
    expect(Buffer.from(bytes).equals(Buffer.concat(cli))).toBe(true);
  });

  it('stops with the signal: "Export cancelled", nothing returned', async () => {
    const controller = new AbortController();
    controller.abort(new Error('Export cancelled'));
    await expect(buildExport(pool, 'dataset', options, pack, files, noProgress, controller.signal)).rejects.toThrow('Export cancelled');
  });

  it('zips a binary mask per item: the artifact map thresholded and dilated', async () => {
    const out = await buildExport(pool, 'masks', options, pack, files, noProgress);
    const zip = unzipSync(new Uint8Array(await out.blob.arrayBuffer()));
    const manifest = JSON.parse(new TextDecoder().decode(zip['masks.json'])) as {
      items: { id: string; file: string; maskCells: number }[];
      threshold: number;
      dilationRadius: number;
    };
    expect(manifest.items.map((i) => i.id)).toEqual(golden.items.map((i) => i.id));
    expect([manifest.threshold, manifest.dilationRadius]).toEqual([0.5, 4]);
    golden.items.forEach((item, k) => {
      const mask = decodeHeatmapPng(zip[manifest.items[k]!.file]!);
      const heat = decodeHeatmapPng(base64ToBytes(item.artifactHeatmap));
      // Only 0 and 255; every cell at >= half the annotators is inside; dilation only adds cells.
      let inside = 0;
      let bad = 0;
      for (let i = 0; i < mask.gray.length; i++) {
        if (mask.gray[i] !== 0 && mask.gray[i] !== 255) bad++;
        if (heat.gray[i]! >= 128 && mask.gray[i] !== 255) bad++;
        if (mask.gray[i]) inside++;
      }
      expect(bad, item.id).toBe(0);
      expect(inside).toBe(manifest.items[k]!.maskCells);
    });
  });
});

describe('review Parquet export', () => {
  const golden = JSON.parse(read('expected.json')) as Dataset;
  const DEMO = path.resolve(FIX, '../../public/demo');
  /** The fixture pack's images as data: URLs, in item order (the page hands the worker its pack's URLs). */
  const imageUrls = pack.items.map((i) => `data:image/png;base64,${readFileSync(path.join(DEMO, (i as { image: string }).image)).toString('base64')}`);

  it("zips the shard and the card; the rows carry the pack's image files and the dataset's maps", async () => {
    const out = await buildExport(pool, 'parquet', { ...options, imageUrls }, pack, files, noProgress);
    expect(out.fileName).toBe('demo-parquet.zip');
    expect([out.items, out.skipped]).toEqual([6, 2]);
    const zip = unzipSync(new Uint8Array(await out.blob.arrayBuffer()));
    expect(Object.keys(zip)).toEqual(['data/train-00000-of-00001.parquet', 'README.md']);
    const shard = zip['data/train-00000-of-00001.parquet']!;
    const rows = (await parquetReadObjects({ file: shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.length) as ArrayBuffer, utf8: false })) as {
      id: string;
      image: { bytes: Uint8Array };
      artifact_map: { bytes: Uint8Array };
    }[];
    expect(rows.map((r) => r.id)).toEqual(golden.items.map((i) => i.id));
    rows.forEach((r, k) => {
      const item = golden.items[k]!;
      const index = pack.items.findIndex((i) => i.id === item.id);
      expect(Buffer.from(r.image.bytes).equals(readFileSync(path.join(DEMO, (pack.items[index] as { image: string }).image))), item.id).toBe(true);
      expect(Buffer.from(r.artifact_map.bytes).equals(Buffer.from(base64ToBytes(item.artifactHeatmap))), item.id).toBe(true);
    });
    expect(new TextDecoder().decode(zip['README.md'])).toContain('num_examples: 6');
  });

  it('stops at an image it cannot read, naming the item; nothing is returned', async () => {
    const missing = golden.items[1]!.id;
    const urls = imageUrls.map((u, i) => (pack.items[i]!.id === missing ? '' : u));
    await expect(buildExport(pool, 'parquet', { ...options, imageUrls: urls }, pack, files, noProgress)).rejects.toThrow(
      `The Parquet files were not made, nothing to download: item "${missing}": image "images/${missing}.png": is not among the images of the pack opened on this page`,
    );
    // Another item's image in its place: not the size the item says.
    const swapped = imageUrls.map((u, i) => (pack.items[i]!.id === missing ? imageUrls.find((_, j) => pack.items[j]!.id !== missing && !sameSize(i, j))! : u));
    await expect(buildExport(pool, 'parquet', { ...options, imageUrls: swapped }, pack, files, noProgress)).rejects.toThrow(
      new RegExp(`^The Parquet files were not made, nothing to download: item "${missing}": image "images/${missing}.png": is \\d+x\\d+ pixels, but the item is`),
    );
  });

  it('stops with the signal: "Export cancelled"', async () => {
    const controller = new AbortController();
    controller.abort(new Error('Export cancelled'));
    await expect(buildExport(pool, 'parquet', { ...options, imageUrls }, pack, files, noProgress, controller.signal)).rejects.toThrow('Export cancelled');
  });
});

function sameSize(i: number, j: number): boolean {
  const a = pack.items[i] as { width?: number; height?: number };
  const b = pack.items[j] as { width?: number; height?: number };
  return a.width === b.width && a.height === b.height;
}
