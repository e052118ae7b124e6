import { describe, expect, it } from 'vitest';
import { planConsolidation } from '../../src/core/dataset/plan.ts';
import { qualityItemsFromPlan, qualityReport } from '../../src/core/quality/qualityReport.ts';
import { fileCrowd, flagOutcome, ISSUE_CROWD } from '../helpers/simulatedCrowd.ts';

/**
 * The default thresholds on the issue's simulated crowd (tests/helpers/simulatedCrowd.ts): the
 * flags must name the 3 random and 2 constant annotators and at most 1 of the 16 careful ones.
 * scripts/quality-crowd.ts runs more seeds for the README.
 */
describe('flags on the simulated crowd (300 items, K = 3, 10% gold; 16 careful, 3 random, 2 constant)', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: 5 of 5 unreliable annotators named, at most 1 careful one`, () => {
      const crowd = fileCrowd({ seed });
      expect(crowd.pack.items).toHaveLength(ISSUE_CROWD.items);
      expect(crowd.pack.items.filter((i) => i.gold)).toHaveLength(30);
      const plan = planConsolidation({ pack: crowd.pack, files: crowd.files, minAnnotators: 1 });
      expect(plan.errors).toEqual([]);
      // Every ordinary item has exactly K annotators; gold items never enter the dataset.
      expect(planConsolidation({ pack: crowd.pack, files: crowd.files }).items).toHaveLength(270);
      const report = qualityReport({ items: qualityItemsFromPlan(crowd.pack, plan) });
      const outcome = flagOutcome(report, crowd.members);
      expect(outcome.caught).toHaveLength(5);
      expect(outcome.falseFlags.length).toBeLessThanOrEqual(1);
      // Every annotator answered some gold items (about one in ten of their items).
      for (const a of report.annotators) expect(a.gold.items).toBeGreaterThanOrEqual(3);
    });
  }
});
