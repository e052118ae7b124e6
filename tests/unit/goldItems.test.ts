import { describe, expect, it } from 'vitest';
import { consolidate } from '../../src/core/dataset/consolidate.ts';
import { datasetStats } from '../../src/core/dataset/datasetStats.ts';
import { GOLD_SKIP_REASON, PackCheck, planConsolidation } from '../../src/core/dataset/plan.ts';
import type { TaskPack } from '../../src/core/formats/taskpack.ts';
import { qualityItemsFromPlan } from '../../src/core/quality/qualityReport.ts';
import { file, pack as demo, rec } from './helpers/demoPack.ts';
import { gridSize } from '../../src/core/dataset/grid.ts';

/** The demo pack with item 0002 as a gold item (a version 2 pack). */
const pack: TaskPack = {
  ...demo,
  version: 2,
  items: demo.items.map((item) => (item.id === '0002' ? { ...item, gold: { scores: { overall: 4 }, explanation: 'two dogs, no ball' } } : item)),
};

const files = ['alice', 'bob', 'carol'].map((a) => file(a, [rec('0001'), rec('0002')]));

describe('gold items never enter the dataset', () => {
  it('consolidation skips a gold item however many annotators it has, and says why', () => {
    const result = consolidate({ pack, files }, { grid: gridSize(4, 4) });
    if (!result.ok) throw new Error('consolidation failed');
    expect(result.dataset.items.map((i) => i.id)).toEqual(['0001']);
    expect(result.dataset.skipped).toEqual([
      { id: '0002', reason: GOLD_SKIP_REASON },
      { id: '0003', reason: '0 of 3 annotators' },
    ]);
  });

  it('the plan keeps the gold item’s records for the quality model, with the reference from the pack', () => {
    const plan = planConsolidation({ pack, files: [files[0]!], minAnnotators: 1 });
    expect(plan.items.map((i) => i.id)).toEqual(['0001']);
    expect(plan.gold.map((i) => [i.id, i.records.map((r) => r.annotator)])).toEqual([['0002', ['alice']]]);
    expect(qualityItemsFromPlan(pack, plan).map((i) => [i.id, i.gold])).toEqual([
      ['0001', undefined],
      ['0002', { scores: { overall: 4 }, explanation: 'two dogs, no ball' }],
    ]);
    // A gold item nobody answered is skipped, and not in `gold`.
    expect(planConsolidation({ pack, files: [file('dan', [rec('0001')])], minAnnotators: 1 }).gold).toEqual([]);
  });

  it('records of gold items are still checked against the pack', () => {
    const bad = file('alice', [rec('0002', { misalignedTokens: [9] })]);
    expect(planConsolidation({ pack, files: [bad] }).errors).toEqual([
      { file: 'alice.json', path: 'annotations[0].misalignedTokens[0]', message: 'token index 9 is out of range (item "0002" has 4 tokens)' },
    ]);
  });

  it('validate counts each file’s gold records (PackCheck), richhf stats the gold items skipped', () => {
    const check = new PackCheck(pack);
    check.beginFile('alice.json');
    files[0]!.file.annotations.forEach((r, i) => check.record(i, r));
    expect(check.endFile({ pack: 'demo', annotator: 'alice' })).toBe(1);
    expect(check.finish()).toEqual({ errors: [], unlisted: [], warnings: [] });
    const stats = datasetStats(
      [],
      [
        { id: '0002', reason: GOLD_SKIP_REASON },
        { id: '0003', reason: '0 of 3 annotators' },
      ],
      () => new Uint8Array(0),
    );
    expect([stats.skipped, stats.goldSkipped]).toEqual([2, 1]);
  });
});

describe('leaving annotators out (consolidate --exclude)', () => {
  it('an excluded annotator’s records are not used, and the warnings say so first', () => {
    const plan = planConsolidation({ pack: demo, files: [...files, file('dan', [rec('0001'), rec('0003')])], minAnnotators: 1, exclude: ['carol', 'zoe', 'bob'] });
    expect(plan.items.map((i) => [i.id, i.records.map((r) => r.annotator)])).toEqual([
      ['0001', ['alice', 'dan']],
      ['0002', ['alice']],
      ['0003', ['dan']],
    ]);
    expect(plan.warnings).toEqual([
      'annotator "bob" left out (excluded): 2 records not used',
      'annotator "carol" left out (excluded): 2 records not used',
      'annotator "zoe" is to be left out (excluded) but has no annotation file here',
    ]);
  });

  it('an excluded file is not checked against the pack (it is not used)', () => {
    const plan = planConsolidation({ pack: demo, files: [file('eve', [rec('0001', { misalignedTokens: [99] })], 'another pack')], exclude: ['eve'] });
    expect(plan.errors).toEqual([]);
    expect(plan.warnings).toEqual(['annotator "eve" left out (excluded): 1 record not used']);
  });
});
