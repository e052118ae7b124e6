import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planConsolidation } from '../../src/core/dataset/plan.ts';
import { qualitySchema } from '../../src/core/formats/quality.ts';
import { DEFAULT_QUALITY_THRESHOLDS, qualityItemsFromPlan, qualityReport } from '../../src/core/quality/qualityReport.ts';
import { fileCrowd } from '../helpers/simulatedCrowd.ts';

/** The real `richhf` binary on the simulated crowd's files (seed 1), as a lead would run it. */
const root = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'richhf-quality-'));
const crowd = fileCrowd({ seed: 1 });
writeFileSync(path.join(tmp, 'pack.json'), JSON.stringify(crowd.pack));
const files = crowd.files.map((f) => {
  writeFileSync(path.join(tmp, f.name), JSON.stringify(f.file));
  return f.name;
});
const unreliable = crowd.members.filter((m) => m.behaviour !== 'careful').map((m) => m.id);

function richhf(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/richhf.mjs'), ...args], { cwd: tmp, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('richhf quality', () => {
  it('prints the per-annotator table and the flags with their evidence', () => {
    const r = richhf('quality', '--pack', 'pack.json', ...files);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('pack "crowd-1": 300 items, 30 of them gold; 21 annotators');
    expect(lines[2]).toMatch(/^annotator +items +gold +gold score +shared +score dev +words +disc CC +same scores +no points +active +flags$/);
    // One row per annotator, then the flags: exactly the 5 unreliable annotators are named.
    expect(lines.slice(3, 24).map((l) => l.split(' ')[0])).toEqual(crowd.members.map((m) => m.id).sort());
    expect(r.out).toContain('flags (5 of 21 annotators):');
    const named = new Set(lines.filter((l) => /^ {2}annotator-\d\d: /.test(l)).map((l) => l.trim().split(':')[0]));
    expect([...named].sort()).toEqual([...unreliable].sort());
    expect(r.out).toMatch(/ {2}annotator-\d\d: gold-score: gold score 0\.\d\d over 4 gold items; others median 0\.\d\d\n/);
  });

  it('--json prints the report GET /api/v1/quality answers, the same as the core computes', () => {
    const r = richhf('quality', '--json', '--pack', 'pack.json', ...files);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.out);
    expect(qualitySchema.safeParse(printed).success).toBe(true);
    const plan = planConsolidation({ pack: crowd.pack, files: crowd.files, minAnnotators: 1 });
    expect(printed).toEqual(JSON.parse(JSON.stringify(qualityReport({ items: qualityItemsFromPlan(crowd.pack, plan) }))));
    expect(printed.thresholds).toEqual(DEFAULT_QUALITY_THRESHOLDS);
  });

  it('threshold options move the lines; --exclude lists an annotator as rejected and nobody’s other', () => {
    const strict = JSON.parse(richhf('quality', '--json', '--min-gold-score', '0.99', '--min-gold-items', '1', '--pack', 'pack.json', ...files).out);
    expect(strict.thresholds).toEqual({ ...DEFAULT_QUALITY_THRESHOLDS, minGoldScore: 0.99, minGoldItems: 1 });
    expect(strict.annotators.filter((a: { flags: unknown[] }) => a.flags.length > 0).length).toBeGreaterThan(5);
    const [first, second] = unreliable;
    const r = richhf('quality', '--json', '--exclude', first!, '--exclude', second!, '--exclude', 'nobody', '--pack', 'pack.json', ...files);
    expect(r.code).toBe(0);
    expect(r.err).toBe('warning: --exclude "nobody": no annotation file of that annotator here\n');
    const report = JSON.parse(r.out);
    expect(report.annotators.filter((a: { status: string }) => a.status === 'rejected').map((a: { id: string }) => a.id)).toEqual([first, second].sort());
  });

  it('usage mistakes exit 2 with the help; bad input exits 1 naming the file and field', () => {
    const bad = richhf('quality', '--pack', 'pack.json', '--max-no-points', '1.5', ...files);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('richhf quality: --max-no-points must be a number from 0 to 1, got "1.5"');
    expect(richhf('quality', ...files).code).toBe(2);
    expect(richhf('quality', '--pack', 'pack.json').code).toBe(2);
    const help = richhf('quality', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('--min-gold-score X       flag a gold score below X (0 to 1) (default 0.5)');
    const broken = JSON.parse(readFileSync(path.join(tmp, files[0]!), 'utf8'));
    broken.annotations[0].scores.overall = 9;
    writeFileSync(path.join(tmp, 'broken.json'), JSON.stringify(broken));
    const r = richhf('quality', '--pack', 'pack.json', 'broken.json');
    expect(r.code).toBe(1);
    expect(r.err).toBe('broken.json: annotations[0].scores.overall: must be from 1 to 5\nrichhf quality: 1 error\n');
    expect(r.out).toBe('');
  });
});

describe('gold items and left-out annotators in the other commands', () => {
  it('consolidate never writes gold items; --exclude leaves annotators out and says so in the warnings', () => {
    const [left] = unreliable;
    const r = richhf('consolidate', '--pack', 'pack.json', '--out', 'dataset.json', '--heatmap-size', '32', '--exclude', left!, ...files);
    expect(r.code).toBe(0);
    const ds = JSON.parse(readFileSync(path.join(tmp, 'dataset.json'), 'utf8'));
    const leftRecords = crowd.files.find((f) => f.file.annotator === left)!.file.annotations.length;
    expect(ds.warnings[0]).toBe(`annotator "${left}" left out (excluded): ${leftRecords} records not used`);
    expect(r.err.split('\n')[0]).toBe(`warning: annotator "${left}" left out (excluded): ${leftRecords} records not used`);
    const gold = new Set(crowd.pack.items.filter((i) => i.gold).map((i) => i.id));
    expect(ds.items.some((i: { id: string }) => gold.has(i.id))).toBe(false);
    expect(ds.items.some((i: { annotators: string[] }) => i.annotators.includes(left!))).toBe(false);
    expect(ds.skipped.filter((s: { reason: string }) => s.reason.startsWith('gold item')).map((s: { id: string }) => s.id)).toEqual([...gold]);
    // The ordinary items the left-out annotator did now have 2 of 3 annotators.
    expect(ds.items.length + ds.skipped.length).toBe(300);
    const leftGold = crowd.files.find((f) => f.file.annotator === left)!.file.annotations.filter((a) => gold.has(a.itemId)).length;
    expect(leftGold).toBeGreaterThan(0);
    expect(ds.skipped.filter((s: { reason: string }) => s.reason === '2 of 3 annotators').length).toBe(leftRecords - leftGold);

    const stats = richhf('stats', 'dataset.json');
    expect(stats.out.split('\n')[0]).toBe(
      `dataset.json: ${ds.items.length} items (${ds.skipped.length} skipped, 30 of them gold items, which never enter a dataset), 3.00 annotators per item`,
    );
  });

  it('validate counts the pack’s gold items and each file’s records of them', () => {
    const r = richhf('validate', 'pack.json', files[0]!);
    expect(r.code).toBe(0);
    const goldRecords = crowd.files[0]!.file.annotations.filter((a) => crowd.pack.items.find((i) => i.id === a.itemId)!.gold).length;
    expect(r.out).toBe(
      `pack.json: ok (task pack "crowd-1", 300 items, 30 of them gold items (for richhf quality; never in a dataset))\n` +
        `${files[0]}: ok (annotations by "${crowd.files[0]!.file.annotator}" for pack "crowd-1", ${crowd.files[0]!.file.annotations.length} records, ${goldRecords} of them of gold items (for richhf quality; never in a dataset))\n`,
    );
  });
});
