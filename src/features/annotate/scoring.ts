/** Scoring a scale, by a digit key or a click: the score, then the highlight moves to the next scale without one. */
import type { ScoreName } from '../../core/formats/index.ts';
import { useDraftStore } from './draftStore.ts';
import { nextUnscored } from './keymap.ts';
import { useViewStore } from './viewStore.ts';

export function scoreScale(name: ScoreName, value: number): void {
  useDraftStore.getState().setScore(name, value);
  useViewStore.getState().setScoreFocus(nextUnscored(useDraftStore.getState().scores, name));
}
