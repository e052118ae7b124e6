/**
 * The annotations file of a pack of both kinds on the static page (LoadedPack.pairs): the rating
 * workspace's records and the pairs judged in the pair workspace (which keeps them in its own
 * store, compare/pairStore.ts), in one `richhf-annotations` file, as a server's All done screen
 * exports them. Static mode only (its chunk): a rating pack exports as before.
 */
import { buildAnnotationFile } from '../../core/dataset/annotationFile.ts';
import type { ComparisonRecord } from '../../core/formats/comparison.ts';
import { downloadName } from '../../core/text/fileName.ts';
import { loadComparisonWork } from '../../storage/comparisonWork.ts';
import { describeStorageError } from '../../storage/storageError.ts';
import { whenStorageIdle } from '../../storage/writeQueue.ts';
import { downloadJson } from '../files/download.ts';
import { exportAnnotations } from './session.ts';
import { plural } from './workSummary.ts';
import { showNotice, useWorkspaceStore } from './workspaceStore.ts';

export async function exportBothKinds(): Promise<void> {
  const { annotator, loaded } = useWorkspaceStore.getState();
  if (!annotator || !loaded?.pairs) return exportAnnotations();
  let pairs: readonly ComparisonRecord[];
  try {
    // Every pair submitted so far is stored once the writes queued settle.
    await whenStorageIdle();
    pairs = (await loadComparisonWork(annotator, loaded.pack.name)).work?.submitted ?? [];
  } catch (e) {
    showNotice(`Nothing was exported: the pairs you judged could not be read from this browser (${describeStorageError(e)}).`, true);
    return;
  }
  const ratings = [...useWorkspaceStore.getState().submitted.values()];
  const file = buildAnnotationFile(annotator, loaded.pairs.pack, [...ratings, ...pairs]);
  downloadJson(file, downloadName([loaded.pack.name, annotator, 'annotations'], 'json'));
  showNotice(`Exported ${plural(ratings.length, 'submitted item')} and ${plural(pairs.length, 'judged pair')}.`, false);
}
