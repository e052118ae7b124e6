/**
 * What this tab knows about saving the annotator's work, changed only by session.ts: the tab
 * lock that lets it write, and which edits of the current draft are written. Kept in a store
 * (not in module variables) so that it is visible, reset with the session and testable.
 */
import { create } from 'zustand';
import type { TabLock } from './tabLock.ts';

interface SaveStoreState {
  /** Held while this tab may write the annotator's work on the pack; null otherwise. */
  lock: TabLock | null;
  /** The draft store's `editCount` when the current draft was last written. */
  savedEditCount: number;
  /** The draft store's `editCount` when the current item was shown (equal: untouched since). */
  shownEditCount: number;
}

export const useSaveStore = create<SaveStoreState>()(() => ({ lock: null, savedEditCount: 0, shownEditCount: 0 }));
