/**
 * The static mode's work with files on the annotator's disk, apart from session.ts so that a
 * collection server's page does not load it: importing an exported annotations file (its reading
 * and checking, importAnnotations.ts, is a chunk loaded when a file is picked), and closing a pack
 * opened from disk. The buttons are the static app's part of the workspace's top bar.
 */
import * as work from '../../storage/annotatorWork.ts';
import { clearLocalPack } from '../../storage/localPack.ts';
import { describeStorageError } from '../../storage/storageError.ts';
import { showNotice, useWorkspaceStore } from './workspaceStore.ts';

/** Forget the local pack kept for reloads and go back to the pack in the URL (or the demo). */
export async function closeLocalPack(): Promise<void> {
  try {
    await work.whenSaved();
    await clearLocalPack();
  } catch (e) {
    showNotice(`The pack could not be closed: ${describeStorageError(e)}`, true);
    return;
  }
  window.location.reload();
}

/** importAnnotations.ts, loaded now (offline before the service worker keeps it, it may not load). */
async function importFile(file: File): Promise<void> {
  try {
    const { importAnnotations } = await import('./importAnnotations.ts');
    await importAnnotations(file);
  } catch (e) {
    showNotice(`Not imported: ${file.name} could not be read (${e instanceof Error ? e.message : String(e)}). Nothing was changed.`, true);
  }
}

/**
 * Import (and, for a pack opened from disk, Close local pack): the static app's part of the top
 * bar. On a pack of both kinds, `toPairs` opens its pairs at any time (the rated items stay as
 * they are, one button away in the pair workspace).
 */
export function LocalFileActions({ toPairs }: { toPairs?: () => void }) {
  const localFiles = useWorkspaceStore((s) => s.loaded?.localFiles !== undefined);
  return (
    <>
      {toPairs && (
        <button type="button" onClick={toPairs} aria-label="Go to the pairs" title="Go to the pairs: the rated items stay as they are, one button away">
          Pairs
        </button>
      )}
      <label className="file-button">
        Import<span className="long"> annotations</span>
        <input
          type="file"
          accept=".json,application/json"
          aria-label="Import annotations"
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (f) void importFile(f);
          }}
        />
      </label>
      {localFiles && (
        <button
          type="button"
          onClick={() => void closeLocalPack()}
          title="Forget this pack opened from disk and go back to the pack in the address (or the demo); your work on it stays saved"
        >
          Close local pack
        </button>
      )}
    </>
  );
}
