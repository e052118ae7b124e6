import { expect, test } from 'vitest';
import { addActivity } from '../../src/core/annotate/activeTime.ts';
import { contradictions } from '../../src/core/annotate/contradictions.ts';

test('words marked misaligned but alignment 5', () => {
  expect(contradictions({ scores: { alignment: 5 }, misalignedTokenCount: 1, artifactPointCount: 0, misalignmentPointCount: 0 })).toEqual([
    'Some words are marked misaligned, but Alignment is 5 (perfect).',
  ]);
});
test('plausibility 1 without artifact point; consistent answers give nothing', () => {
  expect(contradictions({ scores: { plausibility: 1 }, misalignedTokenCount: 0, artifactPointCount: 0, misalignmentPointCount: 0 })).toHaveLength(1);
  expect(contradictions({ scores: { plausibility: 1, alignment: 4 }, misalignedTokenCount: 1, artifactPointCount: 2, misalignmentPointCount: 1 })).toEqual([]);
});
test('active time leaves out idle gaps over 60 s', () => {
  let t = addActivity(0, null, 1000);
  t = addActivity(t, 1000, 31_000);
  t = addActivity(t, 31_000, 91_000);
  t = addActivity(t, 91_000, 151_001);
  expect(t).toBe(90_000);
});
