/**
 * The annotator's own file on a collection server (the All done screen's Export annotations):
 * every record they submitted, of both kinds (the rating workspace's and the pair workspace's),
 * in one `richhf-annotations` file built by core's buildAnnotationFile, in the order they met
 * the items. Made from what this page holds: it works offline too.
 */
import { buildAnnotationFile } from '../../core/dataset/annotationFile.ts';
import { downloadName } from '../../core/text/fileName.ts';
import { showNotice } from '../annotate/workspaceStore.ts';
import { downloadJson } from '../files/download.ts';
import { useCollectionStore } from './collectionStore.ts';
import { currentLive, submittedNow } from './live.ts';

export function exportSubmitted(): void {
  const l = currentLive();
  const { annotator, pack } = useCollectionStore.getState();
  if (!l || !annotator || !pack) return;
  const file = buildAnnotationFile(annotator, { name: pack.name, items: l.held.items }, submittedNow(l).values());
  downloadJson(file, downloadName([pack.name, annotator, 'annotations'], 'json'));
  showNotice(`Exported ${file.annotations.length} submitted item(s).`, false);
}
