import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { bytesToBase64 } from '../../src/core/encode/base64.ts';
import { encodeGrayPng } from '../../src/core/encode/png.ts';
import { datasetSchema, type Dataset } from '../../src/core/formats/dataset.ts';
import { formatLocatedError } from '../../src/core/formats/located.ts';
import { parseJsonText } from '../../src/core/formats/readDocument.ts';
import { type Predictions } from '../../src/core/formats/predictions.ts';
import { parsePredictionsText } from '../../src/core/formats/readPredictions.ts';
import { evaluate } from '../../src/core/metrics/evaluate.ts';
import { formatReportTable, type EvaluationReport } from '../../src/core/metrics/report.ts';

/**
 * Golden test. fixtures/evaluate/{dataset,predictions}.json come from scripts/make-eval-golden.ts;
 * fixtures/evaluate/expected.json was computed by scripts/eval_reference.py, an independent
 * pure-Python implementation of the same definitions (same mulberry32 jitter stream, seed 42).
 */
const dir = new URL('../../fixtures/evaluate/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir), 'utf8');

function load(): { dataset: Dataset; predictions: Predictions } {
  const d = parseJsonText('dataset.json', read('dataset.json'), datasetSchema);
  const p = parsePredictionsText('predictions.json', read('predictions.json'));
  if (!d.ok || !p.ok) throw new Error('golden inputs do not parse');
  return { dataset: d.value, predictions: p.value };
}
const expected = JSON.parse(read('expected.json')) as Record<string, unknown>;
const files = { datasetFile: 'dataset.json', predictionsFile: 'predictions.json' };

function run(dataset: Dataset, predictions: Predictions, extra: object = {}): EvaluationReport {
  const r = evaluate(dataset, predictions, { ...files, ...extra });
  if (!r.ok) throw new Error(r.errors.map(formatLocatedError).join('\n'));
  return r.value;
}

/** Every number in `want` (keys starting with _ and the PRNG check skipped) matches `got` to `rel`. */
function expectClose(got: unknown, want: unknown, rel: number, path = ''): void {
  if (typeof want === 'number') {
    expect(typeof got, path).toBe('number');
    expect(Math.abs((got as number) - want), path).toBeLessThanOrEqual(rel * Math.max(Math.abs(want), 1e-12));
  } else if (want !== null && typeof want === 'object' && !Array.isArray(want)) {
    for (const [k, v] of Object.entries(want)) if (!k.startsWith('_') && k !== 'jitterFirstOutputs') expectClose((got as Record<string, unknown>)[k], v, rel, `${path}.${k}`);
  } else expect(got, path).toEqual(want);
}

describe('golden evaluation (expected figures from the independent Python reference)', () => {
  const { dataset, predictions } = load();
  test('every figure, count and missing id matches to 1e-9 relative', () => {
    const report = run(dataset, predictions);
    expectClose(report, expected, 1e-9);
    expect(report.counts.heatmaps.artifact.mseEmpty).toBeGreaterThan(0);
    expect(report.missing.predictions).toEqual(['g12']);
  });
  test('node native inflate gives the same report as the pure-JS one', () => {
    expect(run(dataset, predictions, { inflate: (z: Uint8Array) => zlib.inflateSync(z) })).toEqual(run(dataset, predictions));
  });
  test('another jitter seed moves AUC-Judd only', () => {
    const a = run(dataset, predictions);
    const b = run(dataset, predictions, { seed: 7 });
    expect(b.jitter.seed).toBe(7);
    expect(b.heatmaps.artifact.aucJudd).not.toBe(a.heatmaps.artifact.aucJudd);
    expect({ ...b.heatmaps.artifact, aucJudd: 0 }).toEqual({ ...a.heatmaps.artifact, aucJudd: 0 });
  });
  test('the figures do not depend on the order of items in either file', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(dataset.items, { minLength: dataset.items.length }),
        fc.shuffledSubarray(predictions.items, { minLength: predictions.items.length }),
        (dItems, pItems) => {
          const report = run({ ...dataset, items: dItems }, { ...predictions, items: pItems });
          const { missing, ...figures } = report;
          const { missing: _m, ...want } = expected;
          expectClose(figures, want, 1e-12);
          expect(missing.predictions).toEqual(['g12']);
        },
      ),
      { numRuns: 8 },
    );
  });
  test('progress is reported once per dataset item', () => {
    const calls: [number, number][] = [];
    run(dataset, predictions, { onProgress: (done: number, total: number) => calls.push([done, total]) });
    expect(calls).toHaveLength(12);
    expect(calls.at(-1)).toEqual([12, 12]);
  });
  test('per-item figures on request', () => {
    const report = run(dataset, predictions, { perItem: true });
    expect(report.items).toHaveLength(11);
    const g07 = report.items!.find((i) => i.id === 'g07')!;
    expect(g07.heatmaps.artifact!.sim).toBe(0); // the all-zero prediction
    // The constant prediction (128/255): its mean is exact, so CC and NSS are exactly 0.
    expect(g07.heatmaps.misalignment!.cc).toBe(0);
    expect(g07.heatmaps.misalignment!.nss).toBe(0);
    expect(run(dataset, predictions).items).toBeUndefined();
  });
  test('the table shows every row with its item counts', () => {
    const table = formatReportTable(run(dataset, predictions));
    expect(table).toMatch(/^plausibility\s+0\.925\s+0\.796\s+10$/m);
    expect(table).toMatch(/^artifact\s+0\.05334\s+0\.01012\s+0\.485\s+3\.453\s+0\.185\s+1\.999\s+0\.900\s+9\/2\/7$/m);
    expect(table).toMatch(/^micro \(all tokens\)\s+0\.643\s+0\.450\s+0\.529\s+51 tokens$/m);
    expect(table).toContain('no prediction for 1: g12');
  });
});

const hasPython = spawnSync('python3', ['--version']).status === 0;

describe('the reference and the fixture stay in step', () => {
  test.skipIf(!hasPython)('scripts/eval_reference.py reproduces expected.json exactly', () => {
    const r = spawnSync(
      'python3',
      [fileURLToPath(new URL('../../scripts/eval_reference.py', import.meta.url)), fileURLToPath(new URL('dataset.json', dir)), fileURLToPath(new URL('predictions.json', dir))],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expected);
  });
});

describe('a perfect model', () => {
  test('predicting the dataset itself: PLCC = SRCC = 1, MSE 0, CC 1, SIM 1, KLD 0, AUC-Judd 1', () => {
    const { dataset } = load();
    const items = dataset.items.map((d) => ({
      id: d.id,
      scores: d.normalizedScores,
      artifactHeatmap: d.artifactHeatmap,
      misalignmentHeatmap: d.misalignmentHeatmap,
      misalignedTokens: d.promptMisalignmentLabel.split(' ').flatMap((l, i) => (l === '0' ? [i] : [])),
    }));
    const r = run(dataset, { format: 'richhf-predictions', version: 1, items });
    for (const s of ['plausibility', 'alignment', 'aesthetics', 'overall'] as const) {
      expect(r.scores[s].plcc).toBeCloseTo(1, 12);
      expect(r.scores[s].srcc).toBeCloseTo(1, 12);
    }
    for (const k of ['artifact', 'misalignment'] as const) {
      const h = r.heatmaps[k];
      expect(h.mse).toBe(0);
      expect(h.mseEmpty).toBe(0);
      expect(h.cc).toBeCloseTo(1, 7);
      expect(h.sim).toBeCloseTo(1, 7);
      // Each positive pixel adds about Gn log(1 - EPS / Gn) = -EPS: a few hundred of them, -1e-6 or so.
      expect(h.kld).toBeCloseTo(0, 4);
      expect(h.kld).toBeLessThanOrEqual(0);
      expect(h.aucJudd).toBe(1);
      expect(h.nss).toBeGreaterThan(1);
    }
    // Items with no misaligned word have P = R = F1 = 0 by definition; micro is perfect.
    expect(r.words.micro).toEqual({ precision: 1, recall: 1, f1: 1 });
  });
});

describe('evaluation errors are located', () => {
  const { dataset, predictions } = load();
  const errs = (p: Predictions, d: Dataset = dataset) => {
    const r = evaluate(d, p, files);
    return r.ok ? [] : r.errors.map(formatLocatedError);
  };
  test('an id not in the dataset, a token index past the tokens', () => {
    const items = [{ id: 'nope' }, { id: 'g01', misalignedTokens: [99] }];
    const tokens = dataset.items[0]!.tokens.length;
    expect(errs({ ...predictions, items })).toEqual([
      'predictions.json: items[0].id: "nope" is not in the dataset',
      `predictions.json: items[1].misalignedTokens[0]: token index 99 is outside the item's ${tokens} tokens`,
    ]);
  });
  test('a broken PNG on either side', () => {
    const items = predictions.items.map((it, i) => (i === 3 ? { ...it, artifactHeatmap: 'iVBORw0KGgoAAAANSUhEUgAA' } : it));
    const bad = errs({ ...predictions, items });
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/^predictions\.json: items\[3\]\.artifactHeatmap: not a valid PNG \(.+\)$/);
    const dItems = dataset.items.map((it, i) => (i === 0 ? { ...it, misalignmentHeatmap: 'AAAA' } : it));
    expect(errs(predictions, { ...dataset, items: dItems })).toEqual(['dataset.json: items[0].misalignmentHeatmap: not a valid PNG (no PNG signature)']);
  });
  test('a dataset map not of the grid size, labels not matching the tokens', () => {
    const d2 = { ...dataset, heatmapWidth: 32 };
    expect(errs(predictions, d2)[0]).toBe("dataset.json: items[0].artifactHeatmap: map is 64x64, the dataset's grid is 32x64");
    // One map of another size among right-sized ones: exactly that map is reported.
    const narrow = bytesToBase64(encodeGrayPng(32, 64, new Uint8Array(32 * 64)));
    const oneOff = dataset.items.map((it, i) => (i === 2 ? { ...it, artifactHeatmap: narrow } : it));
    expect(errs(predictions, { ...dataset, items: oneOff })).toEqual(["dataset.json: items[2].artifactHeatmap: map is 32x64, the dataset's grid is 64x64"]);
    const dItems = dataset.items.map((it, i) => (i === 1 ? { ...it, promptMisalignmentLabel: '1' } : it));
    expect(errs(predictions, { ...dataset, items: dItems })).toEqual([`dataset.json: items[1].promptMisalignmentLabel: 1 labels for ${dataset.items[1]!.tokens.length} tokens`]);
  });
  test('nothing predicted: every figure undefined, counts zero', () => {
    const r = evaluate(dataset, { ...predictions, items: [] }, files);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.scores.overall).toEqual({ plcc: null, srcc: null });
    expect(r.value.heatmaps.artifact.mse).toBeNull();
    expect(r.value.words.micro.f1).toBeNull();
    expect(r.value.counts.evaluatedItems).toBe(0);
    expect(r.value.missing.predictions).toHaveLength(12);
    expect(formatReportTable(r.value)).toContain('—');
  });
});
