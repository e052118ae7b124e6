/** A small pack and annotation records for consolidation's tests: items with a size, and one without. */
import type { AnnotationSource } from '../../../src/core/dataset/plan.ts';
import { annotationsVersionFor, type AnnotationFile, type AnnotationRecord, type RatingRecord } from '../../../src/core/formats/annotations.ts';
import type { RatingPack } from '../../../src/core/formats/taskpack.ts';

export const pack: RatingPack = {
  format: 'richhf-taskpack',
  version: 1,
  name: 'demo',
  annotatorsPerItem: 3,
  items: [
    { id: '0001', image: 'images/0001.png', prompt: 'a yellow cat', width: 60, height: 60 },
    { id: '0002', image: 'images/0002.png', prompt: 'two dogs, one ball.', width: 200, height: 100 },
    { id: '0003', image: 'images/0003.png', prompt: 'no size in the pack' },
  ],
};

/** A record of `itemId` at the item's size (60x60 but for 0002), all scores 3, with `over` on top. */
export function rec(itemId: string, over: Partial<RatingRecord> = {}): RatingRecord {
  const size = itemId === '0002' ? { imageWidth: 200, imageHeight: 100 } : { imageWidth: 60, imageHeight: 60 };
  return {
    itemId,
    ...size,
    points: [],
    misalignedTokens: [],
    scores: { plausibility: 3, alignment: 3, aesthetics: 3, overall: 3 },
    submittedAt: '2026-11-26T10:00:00.000Z',
    activeMs: 1000,
    ...over,
  };
}

/** `annotator`'s file `ANNOTATOR.json` for the pack named `packName`. */
export function file(annotator: string, annotations: AnnotationRecord[], packName = 'demo'): AnnotationSource {
  const f: AnnotationFile = { format: 'richhf-annotations', version: annotationsVersionFor(annotations), annotator, pack: packName, annotations };
  return { name: `${annotator}.json`, file: f };
}
