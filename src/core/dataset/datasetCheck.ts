import { base64ToBytes } from '../encode/base64.ts';
import { SCORE_NAMES } from '../formats/common.ts';
import type { Dataset } from '../formats/dataset.ts';
import { Problems, type ProblemReport } from '../formats/problems.ts';
import { compareCodeUnits } from '../text/compare.ts';
import type { Size } from '../annotate/geometry.ts';
import { readImageSize } from '../encode/imageSize.ts';
import { tokenize } from '../text/tokenize.ts';

/**
 * Checks of a schema-valid dataset that the schema alone cannot express: the fields of an
 * item must agree with each other as consolidation made them (so a hand-edited or foreign
 * file is caught before training on it). Heatmaps are checked by their PNG header only;
 * decoding every map would make validating RichHF-18K-sized files slow. Stops at the first
 * 50 problems (problems.ts).
 */
export function checkDataset(file: string, ds: Dataset): ProblemReport {
  const problems = new Problems();
  let over = false; // a problem went unlisted: stop after this item
  const err = (path: string, message: string) => {
    if (!problems.add(file, path, message)) over = true;
  };
  const ids = new Map<string, number>();
  for (let i = 0; i < ds.items.length && !over; i++) {
    const item = ds.items[i]!;
    const at = `items[${i}]`;
    const first = ids.get(item.id);
    if (first !== undefined) err(`${at}.id`, `duplicate id "${item.id}" (first used by items[${first}])`);
    else ids.set(item.id, i);

    const n = item.annotators.length;
    item.annotators.forEach((a, j) => {
      if (j > 0 && compareCodeUnits(item.annotators[j - 1]!, a) >= 0) err(`${at}.annotators[${j}]`, 'annotators must be unique and sorted by id');
    });
    const keys = Object.keys(item.points).sort(compareCodeUnits);
    if (keys.join('\u0000') !== [...item.annotators].sort(compareCodeUnits).join('\u0000')) err(`${at}.points`, 'keys must be exactly the annotators');
    item.annotators.forEach((a) => {
      (item.points[a] ?? []).forEach((p, k) => {
        if (p.x < 0 || p.x > item.imageWidth) err(`${at}.points.${a}[${k}].x`, `outside the image (0 to ${item.imageWidth})`);
        if (p.y < 0 || p.y > item.imageHeight) err(`${at}.points.${a}[${k}].y`, `outside the image (0 to ${item.imageHeight})`);
      });
    });

    for (const name of SCORE_NAMES) {
      if (item.normalizedScores[name] !== (item.scores[name] - 1) / 4) err(`${at}.normalizedScores.${name}`, `must be (scores.${name} - 1) / 4`);
      // A mean of n integers times n is (nearly) an integer; the spread is at most 4.
      const total = item.scores[name] * n;
      if (Math.abs(total - Math.round(total)) > 1e-6 * n) err(`${at}.scores.${name}`, `is not a mean of ${n} integer scores`);
    }

    const tokens = tokenize(item.prompt);
    if (tokens.join('\u0000') !== item.tokens.join('\u0000')) err(`${at}.tokens`, 'must be the RichHF tokens of the prompt');
    if (item.tokenVotes.length !== item.tokens.length) err(`${at}.tokenVotes`, `must have one vote count per token (${item.tokens.length})`);
    item.tokenVotes.forEach((v, j) => {
      if (v > n) err(`${at}.tokenVotes[${j}]`, `${v} votes from ${n} annotators`);
    });
    const misaligned = item.tokenVotes.map((v) => 2 * v > n);
    const label = misaligned.map((m) => (m ? '0' : '1')).join(' ');
    if (item.promptMisalignmentLabel !== label) err(`${at}.promptMisalignmentLabel`, `must be "${label}" for these token votes`);
    const labeled = item.tokens.map((t, j) => (misaligned[j] ? `${t}_0` : t)).join(' ');
    if (item.labeledPrompt !== labeled) err(`${at}.labeledPrompt`, 'must be the tokens with _0 after each misaligned one');

    for (const key of ['artifactHeatmap', 'misalignmentHeatmap'] as const) {
      let size: Size | undefined;
      try {
        // The PNG header is in the first 33 bytes: 44 base64 characters are enough.
        const info = readImageSize(base64ToBytes(item[key].slice(0, 44)));
        size = info?.type === 'png' ? info : undefined;
      } catch {
        size = undefined;
      }
      if (!size) err(`${at}.${key}`, 'must be a base64 PNG');
      else if (size.width !== ds.heatmapWidth || size.height !== ds.heatmapHeight)
        err(`${at}.${key}`, `is ${size.width}x${size.height}, expected ${ds.heatmapWidth}x${ds.heatmapHeight}`);
    }
  }
  if (over) problems.stop(file);
  return problems.report();
}
