/** What an annotator's submitted records amount to, in the lines both finished screens show. */
import type { RatingRecord } from '../../core/formats/index.ts';
import { formatDuration } from '../../core/text/duration.ts';

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Points (by kind), words marked and active time over `records`, one line each. */
export function workLines(records: Iterable<RatingRecord>): string[] {
  let artifact = 0;
  let misalignment = 0;
  let words = 0;
  let activeMs = 0;
  for (const r of records) {
    for (const p of r.points) {
      if (p.kind === 'artifact') artifact++;
      else misalignment++;
    }
    words += r.misalignedTokens.length;
    activeMs += r.activeMs;
  }
  return [
    `${plural(artifact + misalignment, 'point')} placed (${artifact} artifact, ${misalignment} misalignment)`,
    `${plural(words, 'word')} marked misaligned`,
    `Active time ${formatDuration(activeMs)}`,
  ];
}
