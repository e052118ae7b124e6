/**
 * The workspace's keys in the browser: which kind of place the focus is on, and what each command
 * of the keyboard model (keymap.ts, where the rules are) does to the stores.
 */
import { discRadius, fitViewport, hitTest, stagePoint, zoomAt } from '../../core/annotate/geometry.ts';
import { followCursor, moveCursor, startCursor } from '../../core/annotate/keyboardCursor.ts';
import { KIND_LABEL } from './colors.ts';
import { redo, undo, useDraftStore } from './draftStore.ts';
import { decideKey, stepHighlight, type FocusKind, type KeyCommand } from './keymap.ts';
import { scoreScale } from './scoring.ts';
import { useViewStore } from './viewStore.ts';

export { HOTKEYS } from './keymap.ts';

export interface HotkeyActions {
  submit(): void;
  /** Move to the next (1) or previous (-1) item. */
  item(step: 1 | -1): void;
  activity(): void;
  setSpaceHeld(held: boolean): void;
  imageSize(): { width: number; height: number } | null;
}

const CONTROL_INPUTS = new Set(['checkbox', 'button', 'submit', 'reset', 'file', 'image', 'color']);

/** The element that took the focus during a pointer press (a click leaves the focus on what it pressed). */
let focusedByPointer: EventTarget | null = null;
let pressing = false;

/**
 * Watches where the focus comes from, so that a control the mouse pressed keeps no keys of its
 * own (focusKind): a focus taken between pointerdown and pointerup came from the pointer; any
 * other (Tab, a script) from the keyboard's side.
 */
export function watchFocusOrigin(): () => void {
  const down = () => {
    pressing = true;
  };
  const up = () => {
    pressing = false;
  };
  const focus = (e: FocusEvent) => {
    focusedByPointer = pressing ? e.target : null;
  };
  window.addEventListener('pointerdown', down, true);
  window.addEventListener('pointerup', up, true);
  window.addEventListener('pointercancel', up, true);
  window.addEventListener('focusin', focus, true);
  return () => {
    window.removeEventListener('pointerdown', down, true);
    window.removeEventListener('pointerup', up, true);
    window.removeEventListener('pointercancel', up, true);
    window.removeEventListener('focusin', focus, true);
  };
}

/**
 * The kind of place `t` is for the keyboard model. Prompt words carry `data-word`. A button (or
 * link, summary, file picker) focused by a mouse click counts as no place at all: the click was
 * its press, and Enter and Space there mean what they mean everywhere (Enter submits, as the
 * hint says); reached by the keyboard, it keeps them.
 */
export function focusKind(t: EventTarget | null): FocusKind {
  if (!(t instanceof HTMLElement)) return 'none';
  if (t.isContentEditable || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return 'text';
  const control = t === focusedByPointer ? 'none' : 'control';
  if (t instanceof HTMLInputElement) {
    if (t.type === 'radio' || t.type === 'range') return 'choice';
    return CONTROL_INPUTS.has(t.type) ? control : 'text';
  }
  if (t.dataset.word !== undefined) return 'word';
  if (t instanceof HTMLButtonElement || t instanceof HTMLAnchorElement || t.tagName === 'SUMMARY') return control;
  // Focusable by Tab but no control: a text or list that scrolls with the keys (the instructions).
  return t.tabIndex >= 0 ? 'scroller' : 'none';
}

/** Carries out one command of the keyboard model on the stores. */
export function runCommand(c: KeyCommand, a: HotkeyActions): void {
  const view = useViewStore.getState();
  const v = view.viewport;
  const stage = view.stageSize;
  const centre = stage ? stagePoint(stage.w / 2, stage.h / 2) : stagePoint(0, 0);
  switch (c.kind) {
    case 'score':
      if (view.scoreFocus) scoreScale(view.scoreFocus, c.value);
      return;
    case 'highlight':
      view.setScoreFocus(stepHighlight(view.scoreFocus, c.step));
      return;
    case 'submit':
      a.submit();
      return;
    case 'tool':
      view.setActiveKind(c.tool);
      return;
    case 'zoom':
      if (v) view.setViewport(zoomAt(v, centre, c.factor));
      return;
    case 'fit': {
      const size = a.imageSize();
      if (size && stage) view.setViewport(fitViewport(size.width, size.height, stage.w, stage.h));
      return;
    }
    case 'cursor':
    case 'place':
      keyboardCursor(c, a);
      return;
    case 'undo':
      undo();
      return;
    case 'redo':
      redo();
      return;
    case 'deletePoint':
      if (view.selectedId) {
        useDraftStore.getState().deletePoint(view.selectedId);
        view.select(null);
      }
      return;
    case 'deselect':
      view.select(null);
      return;
    case 'item':
      a.item(c.step);
      return;
    case 'holdPan':
      a.setSpaceHeld(true);
      return;
  }
}

const at = (p: { x: number; y: number }) => `${Math.round(p.x)}, ${Math.round(p.y)}`;

/**
 * The arrows and P. A hidden cursor first appears at the centre of the view (nothing is placed),
 * so P never puts a point where the annotator has not seen the cursor; P on a point selects it,
 * as a click does (Delete then removes it). The view follows the cursor.
 */
function keyboardCursor(c: Extract<KeyCommand, { kind: 'cursor' | 'place' }>, a: HotkeyActions): void {
  const view = useViewStore.getState();
  const v = view.viewport;
  const stage = view.stageSize;
  const size = a.imageSize();
  if (!v || !stage || !size) return;
  if (view.cursor === null) {
    const p = startCursor(v, stage, size);
    useViewStore.setState({ cursor: p, cursorNote: `Keyboard cursor at ${at(p)} on the image (${size.width} × ${size.height} pixels): arrows move it, P places a point.` });
    return;
  }
  if (c.kind === 'cursor') {
    const p = moveCursor(view.cursor, c.dx, c.dy, v, size);
    const points = useDraftStore.getState().points;
    const hit = hitTest(points, p, discRadius(size.height));
    const over = hit >= 0 ? `, on ${KIND_LABEL[points[hit]!.kind]} point ${hit + 1}` : '';
    useViewStore.setState({ cursor: p, cursorNote: `${at(p)}${over}` });
    const followed = followCursor(v, stage, p);
    if (followed !== v) view.setViewport(followed);
    return;
  }
  const draft = useDraftStore.getState();
  const hit = hitTest(draft.points, view.cursor, discRadius(size.height));
  if (hit >= 0) {
    const p = draft.points[hit]!;
    view.select(p.id);
    useViewStore.setState({ cursorNote: `${KIND_LABEL[p.kind]} point ${hit + 1} selected: Delete removes it.` });
    return;
  }
  const id = draft.addPoint(view.activeKind, view.cursor.x, view.cursor.y);
  view.select(id);
  useViewStore.setState({ cursorNote: `${KIND_LABEL[view.activeKind]} point ${draft.points.length + 1} placed at ${at(view.cursor)}.` });
}

export function handleKeyDown(e: KeyboardEvent, a: HotkeyActions): void {
  const d = decideKey({ key: e.key, ctrl: e.ctrlKey, meta: e.metaKey, shift: e.shiftKey, alt: e.altKey, repeat: e.repeat }, focusKind(e.target));
  if (d.preventDefault) e.preventDefault();
  if (!d.command) return;
  if (d.preventDefault) a.activity();
  runCommand(d.command, a);
}

export function handleKeyUp(e: KeyboardEvent, a: HotkeyActions): void {
  if (e.key === ' ') a.setSpaceHeld(false);
}
