/**
 * Keyboard shortcuts of the annotator workspace. The table below is also shown in the app
 * ("Keyboard shortcuts") and copied into the README; keep them in step.
 */
import { SCORE_NAMES } from '../../core/formats/index.ts';
import { fitViewport, panBy, stagePoint, zoomAt } from '../../core/annotate/geometry.ts';
import { redo, undo, useDraftStore } from './draftStore.ts';
import { useViewStore } from './viewStore.ts';

export const HOTKEYS: readonly (readonly [keys: string, action: string])[] = [
  ['A / M', 'Artifact / Misalignment point tool'],
  ['Click', 'Place a point (drag a point to move it)'],
  ['Delete, Backspace', 'Delete the selected point'],
  ['Esc', 'Deselect'],
  ['1 – 5', 'Score the highlighted scale, then move to the next'],
  ['[ / ]', 'Highlight the previous / next scale'],
  ['+ / −', 'Zoom in / out'],
  ['0 or F', 'Fit the image to the window'],
  ['Arrow keys', 'Pan (Shift: faster)'],
  ['Space + drag, or drag empty space', 'Pan'],
  ['Wheel, pinch', 'Zoom around the pointer'],
  ['Ctrl/⌘ + Z', 'Undo'],
  ['Ctrl/⌘ + Shift + Z, Ctrl + Y', 'Redo'],
  ['Enter, Ctrl/⌘ + Enter', 'Submit (when all four scores are given)'],
  ['Page Down / Page Up', 'Next / previous item'],
];

export interface HotkeyActions {
  submit(): void;
  next(): void;
  previous(): void;
  activity(): void;
  setSpaceHeld(held: boolean): void;
  imageSize(): { width: number; height: number } | null;
}

function isTextField(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return true;
  return t instanceof HTMLInputElement && !['radio', 'checkbox', 'button', 'submit', 'range', 'file'].includes(t.type);
}

/** Keys that a focused control uses itself (buttons: Enter/Space; radios: arrows). */
function isControl(t: EventTarget | null): boolean {
  return (
    t instanceof HTMLButtonElement ||
    t instanceof HTMLInputElement ||
    t instanceof HTMLAnchorElement ||
    t instanceof HTMLSelectElement ||
    (t instanceof HTMLElement && t.tagName === 'SUMMARY')
  );
}

export function handleKeyDown(e: KeyboardEvent, a: HotkeyActions): void {
  if (isTextField(e.target)) return;
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key;
  const view = useViewStore.getState();
  const consume = () => {
    e.preventDefault();
    a.activity();
  };

  if (mod && !e.altKey) {
    if (key.toLowerCase() === 'z') {
      consume();
      if (e.shiftKey) redo();
      else undo();
    } else if (key.toLowerCase() === 'y') {
      consume();
      redo();
    } else if (key === 'Enter') {
      consume();
      a.submit();
    }
    return;
  }
  if (e.altKey) return;

  if (key === ' ' && !isControl(e.target)) {
    e.preventDefault();
    if (!e.repeat) a.setSpaceHeld(true);
    return;
  }
  if (key === 'Enter') {
    if (isControl(e.target)) return;
    consume();
    a.submit();
    return;
  }
  if (/^[1-5]$/.test(key)) {
    consume();
    const d = useDraftStore.getState();
    d.setScore(view.scoreFocus, Number(key));
    const at = SCORE_NAMES.indexOf(view.scoreFocus);
    const scores = useDraftStore.getState().scores;
    const nextUnscored = [...SCORE_NAMES.slice(at + 1), ...SCORE_NAMES.slice(0, at)].find((n) => scores[n] === undefined);
    view.setScoreFocus(nextUnscored ?? SCORE_NAMES[Math.min(at + 1, SCORE_NAMES.length - 1)]!);
    return;
  }
  const v = view.viewport;
  const stage = view.stageSize;
  const centre = stage ? stagePoint(stage.w / 2, stage.h / 2) : stagePoint(0, 0);
  switch (key) {
    case 'a':
    case 'A':
      consume();
      view.setActiveKind('artifact');
      return;
    case 'm':
    case 'M':
      consume();
      view.setActiveKind('misalignment');
      return;
    case '[':
    case ']': {
      consume();
      const at = SCORE_NAMES.indexOf(view.scoreFocus);
      const n = SCORE_NAMES.length;
      view.setScoreFocus(SCORE_NAMES[(at + (key === ']' ? 1 : n - 1)) % n]!);
      return;
    }
    case 'Delete':
    case 'Backspace':
      if (view.selectedId) {
        consume();
        useDraftStore.getState().deletePoint(view.selectedId);
        view.select(null);
      }
      return;
    case 'Escape':
      view.select(null);
      return;
    case '+':
    case '=':
      if (v) {
        consume();
        view.setViewport(zoomAt(v, centre, 1.25));
      }
      return;
    case '-':
    case '_':
      if (v) {
        consume();
        view.setViewport(zoomAt(v, centre, 0.8));
      }
      return;
    case '0':
    case 'f':
    case 'F': {
      const size = a.imageSize();
      if (size && stage) {
        consume();
        view.setViewport(fitViewport(size.width, size.height, stage.w, stage.h));
      }
      return;
    }
    case 'PageDown':
      consume();
      a.next();
      return;
    case 'PageUp':
      consume();
      a.previous();
      return;
  }
  if (key.startsWith('Arrow') && v) {
    if (e.target instanceof HTMLInputElement) return; // radios move their own selection
    consume();
    const step = e.shiftKey ? 200 : 50;
    const dx = key === 'ArrowLeft' ? step : key === 'ArrowRight' ? -step : 0;
    const dy = key === 'ArrowUp' ? step : key === 'ArrowDown' ? -step : 0;
    view.setViewport(panBy(v, dx, dy));
  }
}

export function handleKeyUp(e: KeyboardEvent, a: HotkeyActions): void {
  if (e.key === ' ') a.setSpaceHeld(false);
}
