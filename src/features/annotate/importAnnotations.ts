/**
 * Importing an exported annotations file in the static mode (LocalFileActions.tsx loads this
 * chunk when a file is picked): the file is read as bytes, checked whole against the pack, and
 * only then written.
 */
import { checkAgainstPack } from '../../core/dataset/annotationFileCheck.ts';
import { isNewer } from '../../core/dataset/newestRecord.ts';
import { parseJsonBytes } from '../../core/formats/readDocument.ts';
import { annotationFileSchema, isRatingRecord, problemLines, type AnnotationFile, type Parsed } from '../../core/formats/index.ts';
import * as work from '../../storage/annotatorWork.ts';
import { describeStorageError } from '../../storage/storageError.ts';
import { useDraftStore } from './draftStore.ts';
import { useSaveStore } from './saveStore.ts';
import { canWrite, showItem } from './session.ts';
import { currentItem, showNotice, useWorkspaceStore } from './workspaceStore.ts';

/**
 * Restore work from an exported file. The file is checked whole (schema, pack, items, sizes,
 * token indices) before anything is written; a bad file changes nothing. For an item already
 * submitted here, the newer record wins. Never rejects: every outcome is a notice.
 */
export async function importAnnotations(file: File): Promise<void> {
  const ws = useWorkspaceStore.getState();
  if (!canWrite() || !ws.annotator || !ws.loaded) return;
  let parsed: Parsed<AnnotationFile>;
  try {
    // Bytes, not text: the parser checks the encoding, and a huge file is never one big string.
    parsed = parseJsonBytes(file.name, new Uint8Array(await file.arrayBuffer()), annotationFileSchema);
  } catch (e) {
    showNotice(`Not imported: ${file.name} could not be read (${e instanceof Error ? e.message : String(e)}). Nothing was changed.`, true);
    return;
  }
  const report = parsed.ok ? checkAgainstPack(file.name, parsed.value, ws.loaded.pack) : parsed;
  if (!parsed.ok || report.errors.length > 0) {
    showNotice(`Not imported: ${file.name} has problems. Nothing was changed.`, true, problemLines(report));
    return;
  }
  if (parsed.value.annotator !== ws.annotator) {
    showNotice(`Not imported. ${file.name}: annotator: is "${parsed.value.annotator}", but you are working as "${ws.annotator}"`, true);
    return;
  }
  // Every item of a pack this page opens is a rating item, so checkAgainstPack refused any other kind of record.
  const newer = parsed.value.annotations.filter(isRatingRecord).filter((r) => {
    const have = ws.submitted.get(r.itemId);
    return !have || isNewer(r, have);
  });
  try {
    await work.saveSubmittedMany(ws.annotator, ws.loaded.pack.name, newer);
  } catch (e) {
    showNotice(`Not imported: ${file.name} could not be saved in this browser (${describeStorageError(e)}). Nothing was changed.`, true);
    return;
  }
  const submitted = new Map(useWorkspaceStore.getState().submitted);
  for (const r of newer) submitted.set(r.itemId, r);
  useWorkspaceStore.setState({ submitted });
  showNotice(`Imported ${newer.length} item(s) from ${file.name}.`, false);
  const cur = currentItem();
  if (cur && newer.some((r) => r.itemId === cur.id) && useDraftStore.getState().editCount === useSaveStore.getState().shownEditCount) showItem(useWorkspaceStore.getState().index);
}
