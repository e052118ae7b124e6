import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { base64ToBytes } from '../../src/core/encode/base64.ts';
import { consolidate, pngEncoder } from '../../src/core/dataset/consolidate.ts';
import { checkDataset } from '../../src/core/dataset/datasetCheck.ts';
import { serializeDataset } from '../../src/core/dataset/datasetJson.ts';
import { annotationFileSchema, datasetSchema, parseJsonText, taskPackSchema } from '../../src/core/formats/index.ts';
import { decodeGrayPng, encodeGrayPng } from '../../src/core/encode/png.ts';
import { nativeDeflate, nativePngEncoder } from '../../src/cli/nativePng.ts';

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

  it('the engine with native Z_RLE deflate reproduces expected.json byte for byte', () => {
    const r = consolidate(load(), { encodePng: nativePngEncoder });
    expect(r.ok).toBe(true);
    if (r.ok) expect(serializeDataset(r.dataset)).toBe(expected);
  });

  it('a plain encoder function (no scanline fast path) writes the same bytes', () => {
    const plain = (gray: Uint8Array, grid: { width: number; height: number }) => encodeGrayPng(grid.width, grid.height, gray, nativeDeflate);
    const r = consolidate(load(), { encodePng: plain });
    if (r.ok) expect(serializeDataset(r.dataset)).toBe(expected);
    else throw new Error('consolidation failed');
  });

  it('with the browser default (pure-JS deflate) every field and every heatmap pixel is equal', () => {
    const r = consolidate(load(), { encodePng: pngEncoder() });
    if (!r.ok) throw new Error('consolidation failed');
    const want = JSON.parse(expected);
    expect(r.dataset.items.length).toBe(want.items.length);
    r.dataset.items.forEach((item, i) => {
      const w = want.items[i];
      const { artifactHeatmap, misalignmentHeatmap, ...rest } = item;
      const { artifactHeatmap: wa, misalignmentHeatmap: wm, ...wrest } = w;
      expect(rest).toEqual(wrest);
      expect(decodeGrayPng(base64ToBytes(artifactHeatmap)).gray).toEqual(decodeGrayPng(base64ToBytes(wa)).gray);
      expect(decodeGrayPng(base64ToBytes(misalignmentHeatmap)).gray).toEqual(decodeGrayPng(base64ToBytes(wm)).gray);
    });
    expect(r.dataset.skipped).toEqual(want.skipped);
    expect(r.dataset.warnings).toEqual(want.warnings);
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
    const mis = decodeGrayPng(base64ToBytes(first.misalignmentHeatmap)).gray;
    expect(mis[300 * 512 + 150]).toBe(255);
    expect(mis[296 * 512 + 330]).toBe(170); // right ball: alice and bob only
    expect(mis[0]).toBe(0);
    // bob's artifact point sits on the top-right corner (512, 0): only cell (511, 0) region, level 85.
    const art = decodeGrayPng(base64ToBytes(first.artifactHeatmap)).gray;
    expect(art[0 * 512 + 511]).toBe(85);
  });
});
