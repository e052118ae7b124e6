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
