/**
 * Submissions that wait in this browser, as `richhf-annotations` files for the project lead
 * (when the server refuses them, or the annotator can no longer sign in): one file per pack,
 * built by core's buildAnnotationFile like every annotations file.
 */
import { buildAnnotationFile } from '../../core/dataset/annotationFile.ts';
import { downloadName } from '../../core/text/fileName.ts';
import { listOutbox } from '../../storage/outbox.ts';
import type { OutboxEntry } from '../../storage/records/outboxEntry.ts';
import { describeStorageError } from '../../storage/storageError.ts';
import { downloadJson } from '../files/download.ts';

/** Downloads the files. Never rejects: resolves with what went wrong, or null. */
export async function downloadWaiting(annotator: string): Promise<string | null> {
  let entries: OutboxEntry[];
  try {
    entries = (await listOutbox(annotator)).entries;
  } catch (e) {
    return `The waiting submissions could not be read from this browser: ${describeStorageError(e)}`;
  }
  if (entries.length === 0) return 'Nothing waits in this browser any more: everything was sent.';
  const byPack = new Map<string, OutboxEntry[]>();
  for (const e of entries) byPack.set(e.pack, [...(byPack.get(e.pack) ?? []), e]);
  for (const [pack, inPack] of byPack) {
    const file = buildAnnotationFile(
      annotator,
      { name: pack, items: inPack.map((e) => e.item) },
      inPack.map((e) => e.record),
    );
    downloadJson(file, downloadName([pack, annotator, 'waiting'], 'json'));
  }
  return null;
}
