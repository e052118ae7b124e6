import { describe, expect, test } from 'vitest';
import { blindItem, joinKey, namesSystems, splitKey } from '../../src/core/compare/blind.ts';
import { pairItems, type PromptImages } from '../../src/core/compare/pairs.ts';
import { planComparison } from '../../src/core/compare/plan.ts';
import { comparisonReport } from '../../src/core/compare/report.ts';
import { comparisonCsv, comparisonMarkdown, formatP } from '../../src/core/compare/tables.ts';
import { comparisonItems, formatLocatedError, type AnnotationRecord, type TaskPack } from '../../src/core/formats/index.ts';
import { parseCsv } from '../../src/core/text/csv.ts';
import { cmp, cmpFile, leadPack } from './helpers/comparePack.ts';

const rating: AnnotationRecord = {
  itemId: 'r1',
  imageWidth: 64,
  imageHeight: 64,
  points: [],
  misalignedTokens: [],
  scores: { plausibility: 3, alignment: 3, aesthetics: 3, overall: 3 },
  submittedAt: '2026-12-01T10:00:00Z',
  activeMs: 100,
};

/**
 * Hand-made answers. Items (images[0] / images[1]): 0001 base / tuned, 0002 tuned / base, 0003
 * base / tuned (plausibility and alignment). X = base, Y = tuned.
 * alice: 0001 -2 (base much better, shown left) · 0002 -1 (tuned slightly better; tuned on the right) · 0003 plausibility 0, alignment 2.
 * bob:   0001 1 (tuned slightly, shown left: left = 1) · 0002 2 (base much better, base on the left) · 0003 plausibility 1, alignment 0.
 */
const files = [
  cmpFile('alice', [cmp('0001', 0, { plausibility: -2 }), cmp('0002', 1, { plausibility: -1 }), cmp('0003', 0, { plausibility: 0, alignment: 2 }), rating]),
  cmpFile('bob', [cmp('0001', 1, { plausibility: 1 }), cmp('0002', 1, { plausibility: 2 }), cmp('0003', 1, { plausibility: 1, alignment: 0 })]),
];

describe('the comparison report, by hand', () => {
  const plan = planComparison(leadPack, files, 'pack.json');
  const report = comparisonReport(plan, { resamples: 400 });

  test('the plan: the comparison items, their systems and records; rating records left to consolidation', () => {
    expect(plan.errors).toEqual([]);
    expect(plan.systems).toEqual(['base', 'tuned']);
    expect(plan.items.map((it) => [it.id, it.systems, it.criteria, it.records.map((r) => r.annotator)])).toEqual([
      ['0001', ['base', 'tuned'], ['plausibility'], ['alice', 'bob']],
      ['0002', ['tuned', 'base'], ['plausibility'], ['alice', 'bob']],
      ['0003', ['base', 'tuned'], ['plausibility', 'alignment'], ['alice', 'bob']],
    ]);
  });

  test("counts and percentages in the pair's terms (X = base), wins, ties, win rate", () => {
    // plausibility, in base's terms: alice -2, +1 (item 0002 mirrored), 0; bob +1, -2 (0002 mirrored), +1.
    // X much better: 2 (alice 0001, bob 0002); slightly: 0; same: 1; Y slightly: 3; Y much: 0.
    const [plausibility, alignment] = report.results;
    expect(plausibility).toMatchObject({ criterion: 'plausibility', systems: ['base', 'tuned'], n: 6, counts: [2, 0, 1, 3, 0], xWins: 2, ties: 1, yWins: 3 });
    expect(plausibility!.percent).toEqual([(100 * 2) / 6, 0, 100 / 6, 50, 0]);
    expect(plausibility!.winRate).toBe((2 + 0.5) / 6);
    expect(plausibility!.signTestP).toBe(1); // 2 against 3: 2 · P(X ≤ 2 | 5) = 1
    // alignment (item 0003 only): alice 2 (tuned much better), bob 0.
    expect(alignment).toMatchObject({ criterion: 'alignment', n: 2, counts: [0, 0, 1, 0, 1], xWins: 0, ties: 1, yWins: 1, winRate: 0.25, signTestP: 1 });
    // One item: every resample is that item.
    expect(alignment!.winRateCI95).toEqual([0.25, 0.25]);
    const [lo, hi] = plausibility!.winRateCI95!;
    expect(lo).toBeLessThanOrEqual(plausibility!.winRate!);
    expect(hi).toBeGreaterThanOrEqual(plausibility!.winRate!);
    expect(hi).toBeLessThanOrEqual(1);
    expect(lo).toBeGreaterThanOrEqual(0);
  });

  test('position: which side each non-tie answer chose', () => {
    // alice: 0001 -2 left=0 -> left; 0002 -1 left=1 -> right; 0003 0 (tie), 2 left=0 -> right.
    // bob:   0001 1 left=1 -> left; 0002 2 left=1 -> left; 0003 1 left=1 -> left, 0 (tie).
    expect(report.annotators).toEqual([
      { id: 'alice', n: 4, leftWins: 1, rightWins: 2, ties: 1 },
      { id: 'bob', n: 4, leftWins: 3, rightWins: 0, ties: 1 },
    ]);
    expect(report.positionBias).toEqual({ leftWins: 4, rightWins: 2, ties: 2, p: 0.6875 }); // 2 · (1 + 6 + 15) / 64
  });

  test('reproducible: the same seed gives the same report; another seed other intervals, the same figures otherwise', () => {
    expect(comparisonReport(plan, { resamples: 400 })).toEqual(report);
    const others = [2, 3, 4, 5, 6].map((seed) => comparisonReport(plan, { resamples: 400, seed }));
    expect(new Set(others.map((o) => JSON.stringify(o.results[0]!.winRateCI95))).size).toBeGreaterThan(1);
    for (const o of others) expect({ ...o.results[0], winRateCI95: null }).toEqual({ ...report.results[0], winRateCI95: null });
    expect(report.bradleyTerry).toBeUndefined(); // two systems
  });

  test('all ties; no answers at all', () => {
    const ties = comparisonReport(planComparison(leadPack, [cmpFile('a', [cmp('0001', 0, { plausibility: 0 }), cmp('0002', 1, { plausibility: 0 })])], 'pack.json'), {
      resamples: 50,
    });
    expect(ties.results[0]).toMatchObject({ n: 2, counts: [0, 0, 2, 0, 0], percent: [0, 0, 100, 0, 0], signTestP: 1, winRate: 0.5, winRateCI95: [0.5, 0.5] });
    expect(ties.positionBias).toEqual({ leftWins: 0, rightWins: 0, ties: 2, p: 1 });
    const none = comparisonReport(planComparison(leadPack, [], 'pack.json'));
    expect(none.results).toEqual([
      {
        criterion: 'plausibility',
        systems: ['base', 'tuned'],
        n: 0,
        counts: [0, 0, 0, 0, 0],
        percent: [0, 0, 0, 0, 0],
        xWins: 0,
        ties: 0,
        yWins: 0,
        signTestP: 1,
        winRate: null,
        winRateCI95: null,
      },
      {
        criterion: 'alignment',
        systems: ['base', 'tuned'],
        n: 0,
        counts: [0, 0, 0, 0, 0],
        percent: [0, 0, 0, 0, 0],
        xWins: 0,
        ties: 0,
        yWins: 0,
        signTestP: 1,
        winRate: null,
        winRateCI95: null,
      },
    ]);
    expect(none.annotators).toEqual([]);
    expect(none.positionBias).toEqual({ leftWins: 0, rightWins: 0, ties: 0, p: 1 });
  });

  test('three systems: every pair, and Bradley-Terry strengths with intervals', () => {
    const pack: TaskPack = {
      ...leadPack,
      items: [
        ...comparisonItems(leadPack).slice(0, 2),
        {
          id: 'c1',
          kind: 'compare',
          prompt: 'p',
          images: [
            { image: 'x.png', system: 'cheap' },
            { image: 'y.png', system: 'base' },
          ],
        },
        {
          id: 'c2',
          kind: 'compare',
          prompt: 'p',
          images: [
            { image: 'x.png', system: 'tuned' },
            { image: 'y.png', system: 'cheap' },
          ],
        },
      ],
    };
    const r = comparisonReport(
      planComparison(
        pack,
        [cmpFile('a', [cmp('0001', 0, { plausibility: 1 }), cmp('0002', 0, { plausibility: -2 }), cmp('c1', 0, { plausibility: 2 }), cmp('c2', 1, { plausibility: -1 })])],
        'pack.json',
      ),
      { resamples: 100 },
    );
    expect(r.systems).toEqual(['base', 'cheap', 'tuned']);
    expect(r.results.map((x) => [x.systems, x.counts])).toEqual([
      [
        ['base', 'cheap'],
        [1, 0, 0, 0, 0],
      ],
      [
        ['base', 'tuned'],
        [0, 0, 0, 1, 1],
      ],
      [
        ['cheap', 'tuned'],
        [0, 0, 0, 1, 0],
      ],
    ]);
    const bt = r.bradleyTerry!;
    expect(bt.map((b) => b.criterion)).toEqual(['plausibility']);
    const strength = Object.fromEntries(bt[0]!.strengths.map((s) => [s.system, s.strength]));
    expect(strength.tuned).toBeGreaterThan(strength.base!);
    expect(strength.base).toBeGreaterThan(strength.cheap!);
    expect(strength.base! + strength.cheap! + strength.tuned!).toBeCloseTo(0, 12);
    for (const s of bt[0]!.strengths) {
      expect(s.ci95[0]).toBeLessThanOrEqual(s.ci95[1]);
      expect(s.ci95.every(Number.isFinite)).toBe(true);
    }
  });
});

describe('the plan: what is checked and what is warned', () => {
  test('newest record wins, unknown items are left out, wrong kinds and criteria are errors', () => {
    const plan = planComparison(
      leadPack,
      [
        cmpFile('alice', [cmp('0001', 0, { plausibility: -2 }), cmp('0001', 1, { plausibility: 2 }, { submittedAt: '2026-12-02T10:00:00Z' }), cmp('9999', 0, { plausibility: 0 })]),
        cmpFile('bob', [cmp('0001', 0, { overall: 1 }), cmp('r1', 0, { plausibility: 1 }), { ...rating, itemId: '0002' }]),
        cmpFile('carol', [cmp('0001', 0, { plausibility: 1 })], 'other'),
      ],
      'pack.json',
    );
    expect(plan.errors.map(formatLocatedError)).toEqual([
      'bob.json: annotations[0].answers.plausibility: required (item "0001" asks about plausibility)',
      'bob.json: annotations[0].answers.overall: item "0001" does not ask about overall (it asks about plausibility)',
      'bob.json: annotations[1]: a comparison record (it has "left"), but item "r1" is a rating item',
      'bob.json: annotations[2]: a rating record, but item "0002" is a comparison item (its records have "left" and "answers")',
      'carol.json: pack: "other" is not this pack\'s name "ab"',
    ]);
    expect(plan.warnings).toEqual([
      'item "0001": annotator "alice" has 2 records; kept the latest (submitted 2026-12-02T10:00:00Z)',
      'item "9999" is not in the pack (annotated by "alice"); left out',
    ]);
    expect(plan.items[0]!.records.find((r) => r.annotator === 'alice')!.record.answers).toEqual({ plausibility: 2 });
    expect(() => comparisonReport(plan)).toThrow(/input errors/);
  });

  test('the same report whatever the order of files and records', () => {
    const a = comparisonReport(planComparison(leadPack, files, 'pack.json'), { resamples: 100 });
    const reversed = files.map((f) => ({ ...f, file: { ...f.file, annotations: [...f.file.annotations].reverse() } })).reverse();
    expect(comparisonReport(planComparison(leadPack, reversed, 'pack.json'), { resamples: 100 })).toEqual(a);
  });

  test("a pack without systems (the annotators') or without comparison items gives no plan", () => {
    expect(planComparison(splitKey(leadPack).pack, [], 'blind.json').errors.map(formatLocatedError)).toEqual([
      'blind.json: its comparison images name no systems: give the key that goes with it (richhf pack --compare writes one)',
    ]);
    expect(planComparison({ ...leadPack, items: [leadPack.items[3]!] }, [], 'r.json').errors.map(formatLocatedError)).toEqual([
      'r.json: items: has no comparison items ("kind": "compare")',
    ]);
  });
});

describe("the lead's pack and the annotators' pack with its key", () => {
  test('splitKey drops every system and keeps them in the key; joinKey puts them back', () => {
    const { pack, key } = splitKey(leadPack);
    expect(namesSystems(leadPack)).toBe(true);
    expect(namesSystems(pack)).toBe(false);
    expect(JSON.stringify(pack)).not.toMatch(/base|tuned|system/);
    expect(key).toEqual({
      format: 'richhf-comparison-key',
      version: 1,
      pack: 'ab',
      items: [
        { id: '0001', systems: ['base', 'tuned'] },
        { id: '0002', systems: ['tuned', 'base'] },
        { id: '0003', systems: ['base', 'tuned'] },
      ],
    });
    const joined = joinKey(pack, key, { pack: 'pack.json', key: 'key.json' });
    expect(joined.ok && joined.pack).toEqual(leadPack);
    expect(blindItem(comparisonItems(leadPack)[0]!).images).toEqual([
      { image: 'images/a1.png', width: 64, height: 64 },
      { image: 'images/b1.png', width: 64, height: 64 },
    ]);
  });

  test('a key that does not fit its pack is refused, located', () => {
    const { pack, key } = splitKey(leadPack);
    const names = { pack: 'pack.json', key: 'key.json' };
    const errors = (k: typeof key, p: TaskPack = pack) => {
      const r = joinKey(p, k, names);
      return r.ok ? [] : r.errors.map(formatLocatedError);
    };
    expect(errors({ ...key, pack: 'other' })).toEqual(['key.json: pack: "other" is not the name of pack pack.json ("ab")']);
    expect(errors({ ...key, items: [...key.items.slice(1), { id: 'r1', systems: ['a', 'b'] }] })).toEqual([
      'key.json: items[2].id: "r1" is not a comparison item of pack "ab"',
      'key.json: items: has no entry for comparison item "0001" (items[0] of pack.json)',
    ]);
    expect(errors(key, leadPack)).toEqual(['key.json: pack.json names its systems already: a key goes with a pack that names none']);
  });
});

describe('pairs for richhf pack --compare', () => {
  const prompts = (systems: string[]): PromptImages[] =>
    ['p1', 'p2', 'p3'].map((id) => ({
      id,
      prompt: `prompt ${id}`,
      images: new Map(systems.map((s) => [s, { image: `images/${id}-${s}.png`, width: 8, height: 8, source: `${s}/${id}.png` }])),
    }));

  test('two systems: one item per prompt, with its id; the image order drawn per item', () => {
    const { items, key } = pairItems(prompts(['a', 'b']), ['a', 'b'], '5');
    expect(items.map((it) => it.id)).toEqual(['p1', 'p2', 'p3']);
    expect(items.every((it) => it.kind === 'compare' && it.criteria === undefined)).toBe(true);
    key.forEach((k, i) => {
      expect([...k.systems].sort()).toEqual(['a', 'b']);
      expect(items[i]!.images.map((im) => im.image)).toEqual(k.systems.map((s) => `images/${k.id}-${s}.png`));
      expect(k.sources).toEqual(k.systems.map((s) => `${s}/${k.id}.png`));
      expect(k.promptId).toBeUndefined();
    });
    expect(pairItems(prompts(['a', 'b']), ['a', 'b'], '5')).toEqual({ items, key });
    // Some seed puts b first somewhere: the order is drawn, not fixed.
    const firsts = new Set(['1', '2', '3', '4', '5', '6'].flatMap((seed) => pairItems(prompts(['a', 'b']), ['a', 'b'], seed).key.map((k) => k.systems[0])));
    expect(firsts).toEqual(new Set(['a', 'b']));
  });

  test('three systems: every pair once per prompt, numbered in a drawn order, grouped by number', () => {
    const { items, key } = pairItems(prompts(['a', 'b', 'c']), ['a', 'b', 'c'], '1', ['overall']);
    expect(items.map((it) => it.id)).toEqual(['p1-1', 'p2-1', 'p3-1', 'p1-2', 'p2-2', 'p3-2', 'p1-3', 'p2-3', 'p3-3']);
    for (const p of ['p1', 'p2', 'p3']) {
      const pairs = key.filter((k) => k.promptId === p).map((k) => [...k.systems].sort().join(''));
      expect(pairs.sort()).toEqual(['ab', 'ac', 'bc']);
    }
    expect(items.every((it) => JSON.stringify(it.criteria) === '["overall"]')).toBe(true);
  });
});

describe('the report as text', () => {
  const report = comparisonReport(planComparison(leadPack, files, 'pack.json'), { resamples: 400 });

  test("Markdown in the shape of the paper's table", () => {
    const md = comparisonMarkdown(report);
    const [ci0, ci1] = report.results[0]!.winRateCI95!;
    expect(md.split('\n').slice(0, 4)).toEqual([
      '| Criterion: X vs Y | X ≫ Y | X > Y | X ≈ Y | X < Y | X ≪ Y | n | X win rate (95% CI) | sign test p |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      `| plausibility: base vs tuned | 33.3% | 0.0% | 16.7% | 50.0% | 0.0% | 6 | 0.42 (${ci0.toFixed(2)}–${ci1.toFixed(2)}) | 1 |`,
      '| alignment: base vs tuned | 0.0% | 0.0% | 50.0% | 0.0% | 50.0% | 2 | 0.25 (0.25–0.25) | 1 |',
    ]);
    expect(md).toContain('Position: the left image chosen 4 times, the right 2 (2 ties), p = 0.69.');
    const piped = comparisonMarkdown({ ...report, results: [{ ...report.results[0]!, systems: ['a|b', 'c\\d'] }] });
    expect(piped).toContain('| plausibility: a\\|b vs c\\\\d |');
    expect([formatP(1), formatP(0.04321), formatP(0.00042), formatP(0)]).toEqual(['1', '0.043', '4.2e-4', '0']);
  });

  test('CSV: a header and a line per result, read back by the CSV parser', () => {
    const csv = comparisonCsv({ ...report, results: [...report.results, { ...report.results[0]!, systems: ['a, "b"', 'c'], winRate: null, winRateCI95: null }] });
    const rows = parseCsv(csv).rows.map((r) => r.fields);
    expect(rows).toHaveLength(4);
    expect(rows[0]!.slice(0, 4)).toEqual(['criterion', 'x', 'y', 'n']);
    expect(rows[1]!.slice(0, 9)).toEqual(['plausibility', 'base', 'tuned', '6', '2', '0', '1', '3', '0']);
    expect(Number(rows[1]![18])).toBe(2.5 / 6);
    expect(rows[3]!.slice(1, 3)).toEqual(['a, "b"', 'c']);
    expect(rows[3]!.slice(-3)).toEqual(['', '', '']);
  });
});
