import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { base64ToBytes } from '../../src/core/encode/base64.ts';
import zlib from 'node:zlib';
import { consolidate } from '../../src/core/dataset/consolidate.ts';
import { checkDataset } from '../../src/core/dataset/datasetCheck.ts';
import { serializeDataset } from '../../src/core/dataset/datasetJson.ts';
import { annotationFileSchema, datasetSchema, taskPackSchema } from '../../src/core/formats/index.ts';
import { parseJsonText } from '../../src/core/formats/readDocument.ts';
import { grayPng } from '../../src/core/encode/png.ts';
import { decodeHeatmapPng } from '../../src/core/encode/pngDecode.ts';

/**
 * Golden files: fixtures/consolidate/{pack,alice,bob,carol}.json -> expected.json, the exact
 * bytes `richhf consolidate` writes (the CLI test checks the binary against the same file).
 * The review page's end-to-end test imports the same three annotator files.
 */
const dir = path.resolve(import.meta.dirname, '../../fixtures/consolidate');
const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');
function load() {
  const pack = parseJsonText('pack.json', read('pack.json'), taskPackSchema);
  if (!pack.ok) throw new Error('bad fixture pack');
  const files = ['alice.json', 'bob.json', 'carol.json'].map((name) => {
    const f = parseJsonText(name, read(name), annotationFileSchema);
    if (!f.ok) throw new Error(`bad fixture ${name}`);
    return { name, file: f.value };
  });
  return { pack: pack.value, files };
}

describe('golden dataset', () => {
  const expected = read('expected.json');

  it('the engine reproduces expected.json byte for byte', () => {
    const r = consolidate(load());
    expect(r.ok).toBe(true);
    if (r.ok) expect(serializeDataset(r.dataset)).toBe(expected);
  });

  it("every heatmap in expected.json is the PNG around Node's zlib Z_RLE stream of its pixels", () => {
    // The PNG bytes are part of the contract: written before by native zlib, now by zlibRle.ts.
    const items = (JSON.parse(expected) as { items: { artifactHeatmap: string; misalignmentHeatmap: string }[] }).items;
    for (const item of items) {
      for (const map of [item.artifactHeatmap, item.misalignmentHeatmap]) {
        const { width, height, gray } = decodeHeatmapPng(base64ToBytes(map));
        const scanlines = new Uint8Array((width + 1) * height);
        for (let r = 0; r < height; r++) scanlines.set(gray.subarray(r * width, (r + 1) * width), r * (width + 1) + 1);
        const native = new Uint8Array(zlib.deflateSync(scanlines, { level: 6, strategy: zlib.constants.Z_RLE }));
        expect(Buffer.from(base64ToBytes(map)).equals(Buffer.from(grayPng(width, height, native)))).toBe(true);
      }
    }
  });

  it('expected.json passes the dataset schema and consistency checks, and holds hand-checked values', () => {
    const ds = parseJsonText('expected.json', expected, datasetSchema);
    if (!ds.ok) throw new Error('expected.json is not a dataset');
    expect(checkDataset('expected.json', ds.value).errors).toEqual([]);
    const first = ds.value.items[0]!;
    // 0001 "three red balls on a wooden table": plausibility 5, 4, 5; words: alice [0, 1], bob [0], carol [0, 1, 2].
    expect(first.scores.plausibility).toBe(14 / 3);
    expect(first.tokenVotes).toEqual([3, 2, 1, 0, 0, 0, 0]);
    expect(first.labeledPrompt).toBe('three_0 red_0 balls on a wooden table');
    // Misalignment discs (R = 25.6) of all three annotators overlap at the left ball, around (150, 300):
    // the 512x512 grid matches the image, so cell (150, 300) is covered by all three.
    const mis = decodeHeatmapPng(base64ToBytes(first.misalignmentHeatmap)).gray;
    expect(mis[300 * 512 + 150]).toBe(255);
    expect(mis[296 * 512 + 330]).toBe(170); // right ball: alice and bob only
    expect(mis[0]).toBe(0);
    // bob's artifact point sits on the top-right corner (512, 0): only cell (511, 0) region, level 85.
    const art = decodeHeatmapPng(base64ToBytes(first.artifactHeatmap)).gray;
    expect(art[0 * 512 + 511]).toBe(85);
  });
});
