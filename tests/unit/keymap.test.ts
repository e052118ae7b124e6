/**
 * The keyboard model (src/features/annotate/keymap.ts) and its commands on the real stores
 * (hotkeys.ts runCommand, draftStore with its undo history, viewStore): a table of hand-checked
 * decisions, then a property over random key sequences pressed with the focus on each kind of
 * place, proving that no global key changes a word, a score or a point other than the one it
 * names, and that Enter never reaches a focused word.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { SCORE_NAMES, type LikertScores, type ScoreName } from '../../src/core/formats/index.ts';
import { loadDraft, useDraftStore, type DraftContent } from '../../src/features/annotate/draftStore.ts';
import { discRadius, hitTest } from '../../src/core/annotate/geometry.ts';
import { runCommand, type HotkeyActions } from '../../src/features/annotate/hotkeys.ts';
import { decideKey, firstUnscored, HOTKEYS, nextUnscored, stepHighlight, type FocusKind, type KeyPress } from '../../src/features/annotate/keymap.ts';
import { useViewStore } from '../../src/features/annotate/viewStore.ts';

const FOCUS: FocusKind[] = ['none', 'word', 'choice', 'control', 'scroller', 'text'];

describe('decideKey: a table of hand-checked cases', () => {
  const cases: [KeyPress, FocusKind, ReturnType<typeof decideKey>][] = [
    [{ key: 'Enter' }, 'word', { command: { kind: 'submit' }, preventDefault: true }],
    [{ key: 'Enter' }, 'choice', { command: { kind: 'submit' }, preventDefault: true }],
    [{ key: 'Enter' }, 'none', { command: { kind: 'submit' }, preventDefault: true }],
    [{ key: 'Enter' }, 'scroller', { command: { kind: 'submit' }, preventDefault: true }],
    [{ key: 'Enter' }, 'control', { command: null, preventDefault: false }],
    [{ key: 'Enter', ctrl: true }, 'control', { command: { kind: 'submit' }, preventDefault: true }],
    [{ key: 'Enter', meta: true }, 'word', { command: { kind: 'submit' }, preventDefault: true }],
    [{ key: 'Enter' }, 'text', { command: null, preventDefault: false }],
    [{ key: ' ' }, 'word', { command: null, preventDefault: false }],
    [{ key: ' ' }, 'none', { command: { kind: 'holdPan' }, preventDefault: true }],
    [{ key: ' ', repeat: true }, 'none', { command: null, preventDefault: true }],
    [{ key: '3' }, 'word', { command: { kind: 'score', value: 3 }, preventDefault: true }],
    [{ key: '3' }, 'choice', { command: { kind: 'score', value: 3 }, preventDefault: true }],
    [{ key: '3' }, 'text', { command: null, preventDefault: false }],
    [{ key: '6' }, 'none', { command: null, preventDefault: false }],
    [{ key: '0' }, 'none', { command: { kind: 'fit' }, preventDefault: true }],
    [{ key: 'ArrowLeft' }, 'choice', { command: null, preventDefault: false }],
    [{ key: 'ArrowLeft' }, 'word', { command: { kind: 'cursor', dx: -10, dy: 0 }, preventDefault: true }],
    [{ key: 'ArrowUp', shift: true }, 'none', { command: { kind: 'cursor', dx: 0, dy: -50 }, preventDefault: true }],
    [{ key: 'ArrowDown' }, 'scroller', { command: null, preventDefault: false }],
    [{ key: 'p' }, 'word', { command: { kind: 'place' }, preventDefault: true }],
    [{ key: 'P' }, 'control', { command: { kind: 'place' }, preventDefault: true }],
    [{ key: 'p' }, 'text', { command: null, preventDefault: false }],
    [{ key: 'p', ctrl: true }, 'none', { command: null, preventDefault: false }],
    [{ key: 'PageDown' }, 'scroller', { command: null, preventDefault: false }],
    [{ key: 'PageDown' }, 'control', { command: { kind: 'item', step: 1 }, preventDefault: true }],
    [{ key: 'z', ctrl: true }, 'word', { command: { kind: 'undo' }, preventDefault: true }],
    [{ key: 'Z', ctrl: true, shift: true }, 'none', { command: { kind: 'redo' }, preventDefault: true }],
    [{ key: 'y', meta: true }, 'none', { command: { kind: 'redo' }, preventDefault: true }],
    [{ key: 'r', ctrl: true }, 'none', { command: null, preventDefault: false }],
    [{ key: 'a', alt: true }, 'none', { command: null, preventDefault: false }],
    [{ key: 'M' }, 'control', { command: { kind: 'tool', tool: 'misalignment' }, preventDefault: true }],
    [{ key: ']' }, 'choice', { command: { kind: 'highlight', step: 1 }, preventDefault: true }],
    [{ key: 'Escape' }, 'none', { command: { kind: 'deselect' }, preventDefault: false }],
  ];
  for (const [k, focus, want] of cases) {
    it(`${JSON.stringify(k)} on ${focus}`, () => expect(decideKey(k, focus)).toEqual(want));
  }
});

describe('the highlighted scale', () => {
  it('is the first scale without a score on arrival, or none', () => {
    expect(firstUnscored({})).toBe('plausibility');
    expect(firstUnscored({ plausibility: 2, alignment: 4 })).toBe('aesthetics');
    expect(firstUnscored({ alignment: 4 })).toBe('plausibility');
    expect(firstUnscored({ plausibility: 1, alignment: 1, aesthetics: 1, overall: 1 })).toBeNull();
  });
  it('moves after a score to the next scale without one, wrapping, or to none', () => {
    expect(nextUnscored({ plausibility: 3 }, 'plausibility')).toBe('alignment');
    expect(nextUnscored({ plausibility: 3, overall: 2 }, 'overall')).toBe('alignment');
    expect(nextUnscored({ plausibility: 3, alignment: 3, aesthetics: 3, overall: 3 }, 'alignment')).toBeNull();
  });
  it('[ and ] step through the scales, wrapping; from none they start at an end', () => {
    expect(stepHighlight('overall', 1)).toBe('plausibility');
    expect(stepHighlight('plausibility', -1)).toBe('overall');
    expect(stepHighlight(null, 1)).toBe('plausibility');
    expect(stepHighlight(null, -1)).toBe('overall');
  });
});

// ---- The property: key sequences × focus kinds on the real stores ----

const KEYS: KeyPress[] = [
  ...[
    '1',
    '2',
    '3',
    '4',
    '5',
    'Enter',
    ' ',
    'a',
    'M',
    '[',
    ']',
    '+',
    '-',
    '0',
    'f',
    'Delete',
    'Backspace',
    'Escape',
    'PageUp',
    'PageDown',
    'ArrowLeft',
    'ArrowDown',
    'p',
    'P',
    'x',
    'Tab',
  ].map((key) => ({ key })),
  { key: 'Enter', ctrl: true },
  { key: 'z', ctrl: true },
  { key: 'z', ctrl: true, shift: true },
  { key: 'y', ctrl: true },
  { key: '3', alt: true },
];

interface Snapshot {
  points: string;
  words: string;
  scores: Partial<LikertScores>;
}
const snapshot = (): Snapshot => {
  const d = useDraftStore.getState();
  return { points: JSON.stringify(d.points), words: JSON.stringify(d.misalignedTokens), scores: { ...d.scores } };
};

const scoresArb = fc.record(Object.fromEntries(SCORE_NAMES.map((n) => [n, fc.integer({ min: 1, max: 5 })])) as Record<ScoreName, fc.Arbitrary<number>>, { requiredKeys: [] });

describe('no sequence of global keys changes anything but what each key names', () => {
  const seen = { scored: 0, deleted: 0, undone: 0, enterOnWord: 0, submitted: 0, spaceOnWord: 0, placed: 0, selectedByP: 0, cursorShown: 0 };
  beforeEach(() => useViewStore.setState({ viewport: { scale: 1, x: 0, y: 0 }, stageSize: { w: 800, h: 600 }, selectedId: null, cursor: null }));

  it('holds for random drafts, focus kinds and key sequences', () => {
    fc.assert(
      fc.property(
        scoresArb,
        fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { maxLength: 4 }),
        fc.integer({ min: 0, max: 4 }),
        fc.array(fc.tuple(fc.constantFrom(...FOCUS), fc.constantFrom(...KEYS)), { minLength: 1, maxLength: 30 }),
        (scores, words, pointCount, presses) => {
          const content: DraftContent = {
            itemId: 'item',
            points: Array.from({ length: pointCount }, (_, i) => ({ id: `p${i}`, kind: i % 2 ? 'misalignment' : 'artifact', x: 10 * i, y: 5 * i })),
            misalignedTokens: [...words].sort((a, b) => a - b),
            scores,
          };
          loadDraft(content, 0);
          useViewStore.setState({ scoreFocus: firstUnscored(scores), selectedId: pointCount > 0 ? `p${pointCount - 1}` : null, cursor: null });
          // The history the draft store must follow: each state the content had, oldest first.
          const past: Snapshot[] = [snapshot()];
          const future: Snapshot[] = [];
          let submits = 0;
          const actions: HotkeyActions = { submit: () => submits++, item: () => {}, activity: () => {}, setSpaceHeld: () => {}, imageSize: () => ({ width: 512, height: 512 }) };

          for (const [focus, key] of presses) {
            const before = snapshot();
            const highlight = useViewStore.getState().scoreFocus;
            const selected = useViewStore.getState().selectedId;
            const pointsBefore = useDraftStore.getState().points;
            const cursorBefore = useViewStore.getState().cursor;
            const tool = useViewStore.getState().activeKind;
            const d = decideKey(key, focus);
            if (focus === 'word' && key.key === 'Enter') {
              // The browser would press the focused word on Enter unless the key is stopped.
              expect(d.preventDefault).toBe(true);
              seen.enterOnWord++;
            }
            if (focus === 'word' && key.key === ' ' && !key.ctrl) {
              // Space is the word's own key: the model leaves it to the word (the annotator's choice).
              expect(d.command).toBeNull();
              expect(d.preventDefault).toBe(false);
              seen.spaceOnWord++;
            }
            const submitsBefore = submits;
            if (d.command) runCommand(d.command, actions);
            const after = snapshot();

            // No key changes a word: words change only by undo/redo of earlier word edits (none here).
            expect(after.words).toBe(before.words);
            if (d.command?.kind === 'undo' || d.command?.kind === 'redo') {
              if (d.command.kind === 'undo' && past.length > 1) future.push(past.pop()!);
              if (d.command.kind === 'redo' && future.length > 0) past.push(future.pop()!);
              expect(after).toEqual(past[past.length - 1]);
              if (JSON.stringify(after) !== JSON.stringify(before)) seen.undone++;
              continue;
            }
            let expected = before;
            if (d.command?.kind === 'score' && highlight !== null) {
              expected = { ...before, scores: { ...before.scores, [highlight]: d.command.value } };
              seen.scored++;
            }
            if (d.command?.kind === 'deletePoint' && selected !== null) {
              expected = { ...before, points: JSON.stringify(pointsBefore.filter((p) => p.id !== selected)) };
              seen.deleted++;
            }
            // P places a point of the chosen tool at the cursor the annotator has seen: never where
            // the cursor was hidden (it only appears), never over a point (which it selects).
            if (d.command?.kind === 'place') {
              if (cursorBefore === null) {
                expect(useViewStore.getState().cursor).not.toBeNull();
                seen.cursorShown++;
              } else if (hitTest(pointsBefore, cursorBefore, discRadius(512)) >= 0) {
                expect(useViewStore.getState().selectedId).toBe(pointsBefore[hitTest(pointsBefore, cursorBefore, discRadius(512))]!.id);
                seen.selectedByP++;
              } else {
                const added = useDraftStore.getState().points.at(-1)!;
                expect([added.kind, added.x, added.y]).toEqual([tool, cursorBefore.x, cursorBefore.y]);
                expected = { ...before, points: JSON.stringify([...pointsBefore, added]) };
                seen.placed++;
              }
            }
            expect(after).toEqual(expected);
            if (JSON.stringify(after) !== JSON.stringify(before)) {
              past.push(after);
              future.length = 0;
            }
            // Only Enter (not on a control) and Ctrl/⌘+Enter submit, never from a text field.
            const isSubmit = key.key === 'Enter' && !key.alt && focus !== 'text' && (key.ctrl || key.meta || focus !== 'control');
            expect(submits - submitsBefore).toBe(isSubmit ? 1 : 0);
            if (isSubmit) seen.submitted++;
            // The highlight is a scale without a score, or none, after every score.
            if (d.command?.kind === 'score' && highlight !== null) {
              const h = useViewStore.getState().scoreFocus;
              expect(h === null || after.scores[h] === undefined).toBe(true);
            }
          }
        },
      ),
      {
        numRuns: 400,
        examples: [
          // Found by CI (seed 1917973015): Delete under a selection an undo had removed cleared the redo branch.
          [
            {},
            [],
            0,
            [
              ['none', { key: 'ArrowDown' }],
              ['none', { key: 'P' }],
              ['none', { key: 'z', ctrl: true }],
              ['none', { key: 'Delete' }],
              ['none', { key: 'z', ctrl: true, shift: true }],
            ],
          ],
        ],
      },
    );
    // The interesting branches ran.
    for (const [what, n] of Object.entries(seen)) expect(n, what).toBeGreaterThan(0);
  });
});

describe('the README', () => {
  it('lists the same shortcuts as the app', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('| Keys | Action |'));
    const rows = table
      .slice(0, table.indexOf('\n\n'))
      .split('\n')
      .slice(2)
      .map((line) => line.split(' | ').map((c) => c.replace(/^\| |\s\|$/g, '').trim()));
    expect(rows).toEqual(HOTKEYS.map(([k, v]) => [k, v]));
  });
});
