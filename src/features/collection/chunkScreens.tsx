/**
 * The collection client's screens that are chunks of their own (chunkComponent.tsx): the pair
 * workspace (loaded with the first comparison item, before it is shown: workspaceBinding.ts), and
 * the screens the start of the work never shows (screens.ts: loaded once the first item is on
 * show, when the page is idle (laterChunks.ts), so finishing or a training item's feedback does not wait for them).
 */
import type { ComponentProps } from 'react';
import { chunkComponent } from '../chunkComponent.tsx';
import { loadLater } from '../laterChunks.ts';
import type { PairWorkspace as PairWorkspaceShown } from '../compare/PairWorkspace.tsx';

const opening = <p className="loading">Opening your work…</p>;
const loading = <p className="loading">Loading…</p>;

export const PairWorkspace = chunkComponent<typeof import('../compare/PairWorkspace.tsx'), NonNullable<ComponentProps<typeof PairWorkspaceShown>>>(
  () => import('../compare/PairWorkspace.tsx'),
  (m) => m.PairWorkspace,
  opening,
);

const screens = () => import('./screens.ts');
export const ServerFinished = chunkComponent(screens, (m) => m.ServerFinished, loading);
export const SignInScreen = chunkComponent(screens, (m) => m.SignInScreen, loading);
export const TrainingFeedback = chunkComponent(screens, (m) => m.TrainingFeedback, loading);

/** The three later screens (one chunk), once the first item is on show and the page has nothing else to do (laterChunks.ts). */
export function preloadLaterScreens(): () => void {
  return loadLater(() => void Promise.all([ServerFinished.preload(), SignInScreen.preload(), TrainingFeedback.preload()]));
}
