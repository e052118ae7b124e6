/**
 * Simulated answers on the demo comparison pack (public/demo-compare), for the README's table
 * and its test: six made-up annotators, NOT people. Each sees the images on the sides the side
 * draw gives them (core/compare/sides.ts) and answers on the screen's scale; the answer is stored
 * in the item's terms, as the annotator page will store it. The fine-tuned image is better by
 * construction (it is the flawed scene mended), so the simulated annotators mostly say so, with
 * some ties, some answers the other way, and a slight pull towards the left image. Seeded: the
 * same pack gives the same files.
 */
import { leftImage, itemAnswer } from '../src/core/compare/sides.ts';
import { annotationsVersionFor, type AnnotationFile } from '../src/core/formats/annotations.ts';
import type { ComparisonRecord } from '../src/core/formats/comparison.ts';
import { comparisonItems, type TaskPack } from '../src/core/formats/taskpack.ts';
import { mulberry32 } from '../src/core/metrics/jitter.ts';

export const DEMO_ANNOTATORS = ['sim-1', 'sim-2', 'sim-3', 'sim-4', 'sim-5', 'sim-6'];

/** Per item (in pack order), how plain the mended flaw is: 1 = obvious, 0 = hard to see. */
const PLAIN = [0.9, 0.7, 0.6, 0.5, 0.8, 0.3];

/**
 * The simulated files for the lead's pack (systems named; `fine` is the fine-tuned system's
 * name). Answers in "the fine-tuned image is better" terms t ∈ −2 … 2 are drawn with
 * P(t = 2) = 0.45·plain, P(1) = 0.2 + 0.1·plain, P(0) = 0.25 − 0.1·plain, P(−1) = 0.1, the rest −2;
 * then, one time in ten, moved one step towards the image on the left.
 */
export function simulatedFiles(pack: TaskPack, fine: string, seed = 18): AnnotationFile[] {
  const next = mulberry32(seed);
  const uniform = () => next() / 4294967296;
  const items = comparisonItems(pack);
  return DEMO_ANNOTATORS.map((annotator, a) => {
    const annotations: ComparisonRecord[] = items.map((item, position) => {
      const left = leftImage(pack.name, annotator, position);
      const plain = PLAIN[position % PLAIN.length]!;
      const u = uniform();
      const t = u < 0.45 * plain ? 2 : u < 0.2 + 0.55 * plain ? 1 : u < 0.45 + 0.45 * plain ? 0 : u < 0.55 + 0.45 * plain ? -1 : -2;
      // The fine-tuned image's side on the screen, and the pull towards the left.
      const fineIndex = item.images[0].system === fine ? 0 : 1;
      let screen = fineIndex === left ? -t : t; // screen: -2 = left much better
      if (uniform() < 0.1) screen = Math.max(-2, screen - 1);
      const answers = Object.fromEntries((item.criteria ?? ['plausibility']).map((c) => [c, itemAnswer(screen, left)]));
      const minute = 10 + a * 7 + position;
      return { itemId: item.id, left, answers, submittedAt: `2026-12-01T09:${String(minute).padStart(2, '0')}:00Z`, activeMs: 4000 + Math.floor(uniform() * 20_000) };
    });
    return { format: 'richhf-annotations', version: annotationsVersionFor(annotations), annotator, pack: pack.name, annotations };
  });
}
