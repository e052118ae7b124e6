/**
 * The workspace's keyboard model, as pure data and functions (no DOM, no stores), so that it can
 * be read in one place and proved by tests (tests/unit/keymap.test.ts):
 *
 * - Global keys act wherever the focus is (except in a text field) and on what they name only:
 *   1–5 score the highlighted scale, [ and ] move the highlight, Enter and Ctrl/⌘+Enter submit,
 *   A and M choose the point tool, the arrows move the keyboard cursor on the image (the view
 *   follows it), P places a point of the chosen tool at that cursor (or selects the point under
 *   it, as a click does; the first P only shows the cursor), + − 0 F zoom, Ctrl/⌘+Z and
 *   Ctrl/⌘+Shift+Z (or Ctrl+Y) undo and redo, Delete/Backspace delete the selected point, Esc
 *   deselects, Page Down/Up move to the next/previous item.
 * - The focused control keeps its own keys: Space presses a focused button or marks a focused word
 *   and chooses a focused score; Enter presses a focused button that is not a word; the arrows
 *   choose within a focused score and scroll a focused text or list. A button the mouse clicked is
 *   no focused control (hotkeys.ts focusKind): Enter there submits, as the hint says.
 * - Enter never marks a word: on a word (as on a score, the image or the page) it submits.
 * - The highlighted scale is the first one without a score when an item is shown (none when all
 *   four have one); scoring a scale moves the highlight to the next one without a score.
 * - Moving to another item puts the focus on a neutral place (the image), except on the controls
 *   that move between items (Previous/Next item, the Queue), which keep it.
 */
import { SCORE_NAMES, type LikertScores, type PointKind, type ScoreName } from '../../core/formats/index.ts';

/** Where the focus is, as far as keys are concerned. */
export type FocusKind =
  /** A text field: every key is typing. */
  | 'text'
  /** A prompt word (a toggle button): Space is its own; Enter submits. */
  | 'word'
  /** A score choice (radio): Space and the arrows are its own; Enter submits. */
  | 'choice'
  /** Any other button, link, summary or file picker: Space and Enter are its own. */
  | 'control'
  /** A focusable text or list that scrolls: Space, the arrows, Page Up/Down, Home and End are its own. */
  | 'scroller'
  /** The image, the page or a region: every global key. */
  | 'none';

export interface KeyPress {
  key: string;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
  alt?: boolean;
  repeat?: boolean;
}

export type KeyCommand =
  | { kind: 'score'; value: number }
  | { kind: 'highlight'; step: 1 | -1 }
  | { kind: 'submit' }
  | { kind: 'tool'; tool: PointKind }
  | { kind: 'zoom'; factor: number }
  | { kind: 'fit' }
  /** Stage pixels the keyboard cursor moves by (it appears first, where it is hidden). */
  | { kind: 'cursor'; dx: number; dy: number }
  /** A point of the chosen tool at the keyboard cursor, or the point under it selected (it appears first, where it is hidden). */
  | { kind: 'place' }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'deletePoint' }
  | { kind: 'deselect' }
  | { kind: 'item'; step: 1 | -1 }
  | { kind: 'holdPan' };

export interface KeyDecision {
  /** What the key does in the workspace, or null: nothing (the focused control may use it). */
  command: KeyCommand | null;
  /** Keep the browser and the focused control from acting on the key too. */
  preventDefault: boolean;
}

const NOTHING: KeyDecision = { command: null, preventDefault: false };
const run = (command: KeyCommand): KeyDecision => ({ command, preventDefault: true });

const CURSOR_STEP = 10; // stage pixels per arrow press; Shift: CURSOR_STEP_FAST
const CURSOR_STEP_FAST = 50;

/** Keys a focused control of each kind uses itself (the global meaning yields to them). */
const OWN_KEYS: Record<Exclude<FocusKind, 'text' | 'none'>, ReadonlySet<string>> = {
  word: new Set([' ']),
  choice: new Set([' ', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown']),
  control: new Set([' ', 'Enter']),
  scroller: new Set([' ', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End']),
};

export function decideKey(k: KeyPress, focus: FocusKind): KeyDecision {
  if (focus === 'text') return NOTHING;
  const key = k.key;
  if ((k.ctrl || k.meta) && !k.alt) {
    const lower = key.toLowerCase();
    if (lower === 'z') return run(k.shift ? { kind: 'redo' } : { kind: 'undo' });
    if (lower === 'y') return run({ kind: 'redo' });
    if (key === 'Enter') return run({ kind: 'submit' });
    return NOTHING; // the browser's own shortcuts (reload, copy, zoom…)
  }
  if (k.alt || k.ctrl || k.meta) return NOTHING;
  if (focus !== 'none' && OWN_KEYS[focus].has(key)) return NOTHING;

  if (/^[1-5]$/.test(key)) return run({ kind: 'score', value: Number(key) });
  switch (key) {
    case 'Enter':
      return run({ kind: 'submit' });
    case ' ':
      // Held: any drag pans. Repeats only keep the page from scrolling.
      return k.repeat ? { command: null, preventDefault: true } : run({ kind: 'holdPan' });
    case 'a':
    case 'A':
      return run({ kind: 'tool', tool: 'artifact' });
    case 'm':
    case 'M':
      return run({ kind: 'tool', tool: 'misalignment' });
    case 'p':
    case 'P':
      return run({ kind: 'place' });
    case '[':
      return run({ kind: 'highlight', step: -1 });
    case ']':
      return run({ kind: 'highlight', step: 1 });
    case '+':
    case '=':
      return run({ kind: 'zoom', factor: 1.25 });
    case '-':
    case '_':
      return run({ kind: 'zoom', factor: 0.8 });
    case '0':
    case 'f':
    case 'F':
      return run({ kind: 'fit' });
    case 'Delete':
    case 'Backspace':
      return run({ kind: 'deletePoint' });
    case 'Escape':
      return { command: { kind: 'deselect' }, preventDefault: false };
    case 'PageDown':
      return run({ kind: 'item', step: 1 });
    case 'PageUp':
      return run({ kind: 'item', step: -1 });
  }
  if (key.startsWith('Arrow')) {
    const step = k.shift ? CURSOR_STEP_FAST : CURSOR_STEP;
    const dx = key === 'ArrowLeft' ? -step : key === 'ArrowRight' ? step : 0;
    const dy = key === 'ArrowUp' ? -step : key === 'ArrowDown' ? step : 0;
    if (dx !== 0 || dy !== 0) return run({ kind: 'cursor', dx, dy });
  }
  return NOTHING;
}

/** The scale to highlight when an item is shown: the first without a score, or none. */
export function firstUnscored(scores: Partial<LikertScores>): ScoreName | null {
  return SCORE_NAMES.find((n) => scores[n] === undefined) ?? null;
}

/** The scale to highlight after `scored` got a score: the next one without a score (wrapping), or none. */
export function nextUnscored(scores: Partial<LikertScores>, scored: ScoreName): ScoreName | null {
  const at = SCORE_NAMES.indexOf(scored);
  const order = [...SCORE_NAMES.slice(at + 1), ...SCORE_NAMES.slice(0, at + 1)];
  return order.find((n) => scores[n] === undefined) ?? null;
}

/** [ and ]: the previous or next scale, wrapping; from none, the last or the first. */
export function stepHighlight(current: ScoreName | null, step: 1 | -1): ScoreName {
  const n = SCORE_NAMES.length;
  if (current === null) return SCORE_NAMES[step === 1 ? 0 : n - 1]!;
  return SCORE_NAMES[(SCORE_NAMES.indexOf(current) + step + n) % n]!;
}

/** The shortcut table shown in the app ("Keyboard shortcuts") and in the README; keep them in step. */
export const HOTKEYS: readonly (readonly [keys: string, action: string])[] = [
  ['1 – 5', 'Score the highlighted scale; the highlight moves to the next scale without a score'],
  ['[ / ]', 'Highlight the previous / next scale'],
  ['Enter, Ctrl/⌘ + Enter', 'Submit (when all four scores are given); Enter on a button reached with Tab presses it'],
  ['A / M', 'Artifact / Misalignment point tool'],
  ['Click', 'Place a point (drag a point to move it)'],
  ['Arrow keys', 'Move the keyboard cursor on the image (Shift: faster); the view follows it'],
  ['P', 'Place a point at the keyboard cursor (on a point: select it)'],
  ['Delete, Backspace', 'Delete the selected point'],
  ['Esc', 'Deselect'],
  ['+ / −', 'Zoom in / out'],
  ['0 or F', 'Fit the image to the window'],
  ['Space + drag, or drag empty space', 'Pan'],
  ['Wheel, pinch', 'Zoom around the pointer'],
  ['Ctrl/⌘ + Z', 'Undo'],
  ['Ctrl/⌘ + Shift + Z, Ctrl + Y', 'Redo'],
  ['Page Down / Page Up', 'Next / previous item'],
  ['Space on a focused word', 'Mark or unmark it (Enter never does)'],
];
