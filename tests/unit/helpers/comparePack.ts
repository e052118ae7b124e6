/** A small comparison pack (two systems on three prompts, a rating item beside them) and record helpers, for the comparison tests. */
import type { AnnotationSource } from '../../../src/core/dataset/plan.ts';
import { annotationsVersionFor, type AnnotationFile, type AnnotationRecord } from '../../../src/core/formats/annotations.ts';
import type { ComparisonRecord, Criterion } from '../../../src/core/formats/comparison.ts';
import type { TaskPack } from '../../../src/core/formats/taskpack.ts';

/** The lead's pack: images name their systems. `0003` asks about two criteria; `r1` is a rating item. */
export const leadPack: TaskPack = {
  format: 'richhf-taskpack',
  version: 2,
  name: 'ab',
  annotatorsPerItem: 3,
  items: [
    {
      id: '0001',
      kind: 'compare',
      prompt: 'a red ball',
      images: [
        { image: 'images/a1.png', system: 'base', width: 64, height: 64 },
        { image: 'images/b1.png', system: 'tuned', width: 64, height: 64 },
      ],
    },
    {
      id: '0002',
      kind: 'compare',
      prompt: 'a blue cat',
      images: [
        { image: 'images/b2.png', system: 'tuned' },
        { image: 'images/a2.png', system: 'base' },
      ],
    },
    {
      id: '0003',
      kind: 'compare',
      prompt: 'three apples',
      images: [
        { image: 'images/a3.png', system: 'base' },
        { image: 'images/b3.png', system: 'tuned' },
      ],
      criteria: ['plausibility', 'alignment'],
    },
    { id: 'r1', image: 'images/r1.png', prompt: 'a rating item', width: 64, height: 64 },
  ],
};

/** A comparison record of `itemId` shown with images[left] on the left, its answers as given. */
export function cmp(itemId: string, left: 0 | 1, answers: Partial<Record<Criterion, number>>, over: Partial<ComparisonRecord> = {}): ComparisonRecord {
  return { itemId, left, answers, submittedAt: '2026-12-01T10:00:00.000Z', activeMs: 2000, ...over };
}

/** `annotator`'s file `ANNOTATOR.json` (version: the lowest that holds the records). */
export function cmpFile(annotator: string, annotations: AnnotationRecord[], packName = 'ab'): AnnotationSource {
  const f: AnnotationFile = { format: 'richhf-annotations', version: annotationsVersionFor(annotations), annotator, pack: packName, annotations };
  return { name: `${annotator}.json`, file: f };
}
