import { describe, expect, it } from 'vitest';
import { planConsolidation } from '../../../src/core/dataset/plan.ts';
import { measureQuality, qualityItemsFromPlan } from '../../../src/core/quality/qualityReport.ts';
import { measureQualityOffThread } from '../../../src/node/qualityThread.ts';
import { fileCrowd } from '../../helpers/simulatedCrowd.ts';

/** The server measures big inputs on a worker thread: the same figures as in the calling thread. */
describe('quality figures on a worker thread', () => {
  it('equal those measured in the calling thread, rejected annotators included', async () => {
    const crowd = fileCrowd({ seed: 2, items: 1000 });
    const plan = planConsolidation({ pack: crowd.pack, files: crowd.files, minAnnotators: 1 });
    const input = { items: qualityItemsFromPlan(crowd.pack, plan), rejected: new Set([crowd.members[0]!.id]), annotators: ['nobody-yet'] };
    expect(input.items.reduce((n, i) => n + i.records.length, 0)).toBeGreaterThan(2000); // the thread's branch
    const threaded = await measureQualityOffThread(input);
    expect(threaded).toEqual(measureQuality(input));
    expect(threaded.find((a) => a.id === crowd.members[0]!.id)!.status).toBe('rejected');
  }, 60_000);
});
