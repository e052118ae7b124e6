import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { planComparison } from '../../src/core/compare/plan.ts';
import { comparisonReport } from '../../src/core/compare/report.ts';
import { annotationFileSchema, formatLocatedError, taskPackSchema } from '../../src/core/formats/index.ts';
import { comparisonReportSchema } from '../../src/core/formats/comparisonReport.ts';
import { parseValue } from '../../src/core/formats/located.ts';

/**
 * Golden test. fixtures/compare/cases.json comes from scripts/make-compare-golden.ts;
 * fixtures/compare/expected.json was computed by scripts/comparison_reference.py, an independent
 * implementation of the report's definitions with Debian's scipy (binomtest; Bradley-Terry by
 * BFGS on the likelihood) and numpy (quantiles), sharing only the bootstrap's seeded stream.
 */
const dir = new URL('../../fixtures/compare/', import.meta.url);
const cases = JSON.parse(readFileSync(new URL('cases.json', dir), 'utf8')) as { name: string; seed: number; resamples: number; pack: unknown; files: unknown[] }[];
const expected = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8')) as Record<string, unknown>;

/**
 * `got` has `want`'s shape and values: integers and text equal, other numbers within `tolerance(path)`
 * (relative, or absolute below 1e-300 so that a p of 1e-22 is held to its digits, not to zero).
 */
function expectClose(got: unknown, want: unknown, tolerance: (path: string) => number, path = ''): number {
  if (typeof want === 'number') {
    expect(typeof got, path).toBe('number');
    const g = got as number;
    if (Number.isInteger(want) && Number.isInteger(g) && !/(winRate|signTestP|percent|strength|ci95|\.p$)/.test(path)) expect(g, path).toBe(want);
    else expect(Math.abs(g - want), `${path}: ${g} vs ${want}`).toBeLessThanOrEqual(tolerance(path) * Math.max(Math.abs(want), 1e-300));
    return 1;
  }
  if (want === null || typeof want !== 'object') {
    expect(got, path).toEqual(want);
    return 0;
  }
  if (Array.isArray(want)) {
    expect(Array.isArray(got) && got.length, path).toBe(want.length);
    return want.reduce<number>((n, w, i) => n + expectClose((got as unknown[])[i], w, tolerance, `${path}[${i}]`), 0);
  }
  expect(Object.keys(got as object).sort(), path).toEqual(Object.keys(want).sort());
  return Object.entries(want).reduce((n, [k, w]) => n + expectClose((got as Record<string, unknown>)[k], w, tolerance, `${path}.${k}`), 0);
}

/** Sign-test p values to 1e-9; win rates and their percentiles to 1e-12 (the same stream and sums); Bradley-Terry to 1e-6 (two optimizers). */
const tolerance = (path: string) => (/bradleyTerry/.test(path) ? 1e-6 : /signTestP|\.p$/.test(path) ? 1e-9 : 1e-12);

describe('the comparison report against scipy (scripts/comparison_reference.py)', () => {
  for (const c of cases) {
    test(c.name, () => {
      const pack = parseValue('pack.json', c.pack, taskPackSchema);
      if (!pack.ok) throw new Error(pack.errors.map(formatLocatedError).join('\n'));
      const files = c.files.map((f, i) => {
        const parsed = parseValue(`f${i}.json`, f, annotationFileSchema);
        if (!parsed.ok) throw new Error(parsed.errors.map(formatLocatedError).join('\n'));
        return { name: `f${i}.json`, file: parsed.value };
      });
      const plan = planComparison(pack.value, files, 'pack.json');
      expect(plan.errors).toEqual([]);
      const report = comparisonReport(plan, { seed: c.seed, resamples: c.resamples });
      expect(parseValue('report.json', report, comparisonReportSchema).ok).toBe(true);
      const compared = expectClose(report, expected[c.name], tolerance);
      expect(compared).toBeGreaterThan(10);
    });
  }
});
