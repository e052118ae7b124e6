/**
 * The workspace's keyboard model (README, "Keyboard model"): global keys act on what they name
 * wherever the focus is; the focused control keeps only its own keys (Space on a button or word,
 * Enter on a button that is not a word, arrows in a score); Enter never toggles a word; moving to
 * another item puts the focus on a neutral place; on arriving at an item the highlighted scale is
 * the first one without a score.
 */
import type { Page } from '@playwright/test';
import { expect, forEachViewport, test, type AppState, type Workspace } from './fixtures.ts';
import { demoPack, servePack } from './packs.ts';

const SCALES = ['Plausibility', 'Alignment', 'Aesthetics', 'Overall'] as const;

/** Where the keyboard focus is, in the words of the keyboard model. */
function focusPlace(page: Page): Promise<string> {
  return page.evaluate(() => {
    const a = document.activeElement;
    if (!a || a === document.body) return 'page';
    if (a.closest('[role="group"][aria-label="Prompt"]')) return 'word';
    if (a.closest('[role="radiogroup"]')) return 'score';
    if (a.closest('[aria-label="Image"]')) return 'image';
    return `${a.tagName.toLowerCase()} ${a.getAttribute('aria-label') ?? a.textContent?.trim().slice(0, 40) ?? ''}`;
  });
}
const NEUTRAL = ['image', 'page'];

forEachViewport((vp) => {
  test('Enter never toggles a word: it submits, and after a submit the focus is off the words', async ({ page, workspace: ws }) => {
    await ws.start(`enzo-${vp.name}`);
    await ws.token('three').click();
    await expect(ws.token('three')).toHaveAttribute('aria-pressed', 'true');
    // Enter on the focused word submits; the scores are missing, so nothing happens at all.
    await page.keyboard.press('Enter');
    await expect(ws.token('three')).toHaveAttribute('aria-pressed', 'true');
    for (const k of '3333') await page.keyboard.press(k);
    await page.keyboard.press('Control+Enter');
    await expect.poll(async () => (await ws.state()).itemId).toBe('0002');
    expect(NEUTRAL).toContain(await focusPlace(page));
    for (const k of '4444') await page.keyboard.press(k);
    await page.keyboard.press('Enter');
    await expect(page.getByText('2 / 8 done')).toBeVisible();
    expect((await ws.state()).itemId).toBe('0003');
    await page.getByRole('button', { name: 'Previous item' }).click();
    const s = await ws.state();
    expect(s.itemId).toBe('0002');
    expect(s.misalignedTokens).toEqual([]);
    expect(s.scores).toEqual({ plausibility: 4, alignment: 4, aesthetics: 4, overall: 4 });
    await page.getByRole('button', { name: 'Previous item' }).click();
    expect((await ws.state()).misalignedTokens).toEqual([0]);
  });

  test('after scoring with the mouse, Enter submits', async ({ page, workspace: ws }) => {
    await ws.start(`mona-${vp.name}`);
    for (const s of SCALES) await ws.score(s, 4);
    await page.keyboard.press('Enter');
    await expect(page.getByText('1 / 8 done')).toBeVisible();
    expect((await ws.state()).itemId).toBe('0002');
  });

  test('on arriving at an item the highlighted scale is the first unscored one: after a reload, and on going back', async ({ page, workspace: ws }) => {
    await ws.start(`hana-${vp.name}`);
    await ws.score('Plausibility', 2);
    await ws.score('Alignment', 4);
    await ws.whenSaved();
    await page.reload();
    await ws.waitForImage();
    expect((await ws.state()).scoreFocus).toBe('aesthetics');
    await page.keyboard.press('5');
    expect((await ws.state()).scores).toEqual({ plausibility: 2, alignment: 4, aesthetics: 5 });
    await page.keyboard.press('1');
    await page.keyboard.press('Enter');
    await expect(page.getByText('1 / 8 done')).toBeVisible();
    // A partly scored item left and found again.
    await ws.score('Alignment', 3);
    await page.getByRole('button', { name: 'Next item' }).click();
    await page.getByRole('button', { name: 'Previous item' }).click();
    expect((await ws.state()).scoreFocus).toBe('plausibility');
    // Back on the submitted item every scale has a score: none is highlighted, and a digit changes nothing.
    await page.getByRole('button', { name: 'Previous item' }).click();
    let s = await ws.state();
    expect(s.itemId).toBe('0001');
    expect(s.scoreFocus).toBeNull();
    await page.keyboard.press('3');
    expect((await ws.state()).scores).toEqual({ plausibility: 2, alignment: 4, aesthetics: 5, overall: 1 });
    // The annotator picks the scale to change.
    await page.keyboard.press(']');
    await page.keyboard.press('3');
    s = await ws.state();
    expect(s.scores).toEqual({ plausibility: 3, alignment: 4, aesthetics: 5, overall: 1 });
    expect(s.scoreFocus).toBeNull();
  });

  test('moving to another item puts the focus on a neutral place; Previous and Next item keep theirs', async ({ page, workspace: ws }) => {
    await ws.start(`nico-${vp.name}`);
    await ws.token('red').focus();
    await page.keyboard.press('PageDown');
    await expect.poll(async () => (await ws.state()).itemId).toBe('0002');
    expect(NEUTRAL).toContain(await focusPlace(page));
    await ws.scoreRadio('Alignment', 2).focus();
    await page.keyboard.press('PageUp');
    await expect.poll(async () => (await ws.state()).itemId).toBe('0001');
    expect(NEUTRAL).toContain(await focusPlace(page));
    // Space on the neutral place holds the pan; it marks no word.
    await page.keyboard.press(' ');
    expect((await ws.state()).misalignedTokens).toEqual([]);
    const next = page.getByRole('button', { name: 'Next item' });
    await next.focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await ws.state()).itemId).toBe('0002');
    await expect(next).toBeFocused();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await ws.state()).itemId).toBe('0003');
  });

  test('Enter submits, as the hint says, wherever a mouse click left the focus; a button reached by keyboard keeps Enter; no old notice stays over the finished screen', async ({
    page,
    workspace: ws,
  }) => {
    await ws.start(`click-${vp.name}`, await servePack(page, demoPack(4, 'four-items')));
    const downloads: string[] = [];
    page.on('download', (d) => downloads.push(d.suggestedFilename()));
    const exportButton = page.getByRole('button', { name: 'Export annotations' });
    for (const s of SCALES) await ws.score(s, 3);
    await exportButton.click();
    await expect(page.getByText('Exported 0 submitted item(s).')).toBeVisible();
    await expect.poll(() => downloads.length).toBe(1);
    await expect(page.getByText('Enter to submit.')).toBeVisible();
    await expect(exportButton).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByText('1 / 4 done')).toBeVisible();
    expect(downloads).toHaveLength(1);

    // A button reached by the keyboard (Tab, or focus() here) is pressed by Enter, as always.
    for (const s of SCALES) await ws.score(s, 4);
    await exportButton.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => downloads.length).toBe(2);
    await expect(page.getByText('Exported 1 submitted item(s).')).toBeVisible();
    // After clicks on Next item and Previous item (which keep the focus), Enter submits.
    await page.getByRole('button', { name: 'Next item' }).click();
    await page.getByRole('button', { name: 'Previous item' }).click();
    expect((await ws.state()).itemId).toBe('0002');
    await expect(page.getByRole('button', { name: 'Previous item' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByText('2 / 4 done')).toBeVisible();
    for (const item of ['0003', '0004']) {
      expect((await ws.state()).itemId).toBe(item);
      for (const k of '5555') await page.keyboard.press(k);
      await page.keyboard.press('Enter');
    }
    const finished = page.getByRole('heading', { name: 'All 4 items are done' });
    await expect(finished).toBeVisible();
    // The export notice belonged to the item screen.
    await expect(page.getByText(/^Exported \d+ submitted item/)).toHaveCount(0);
    expect(downloads).toHaveLength(2);
  });

  test('a keyboard-only annotator places, selects and deletes points at the keyboard cursor; the view follows it; screen readers hear it', async ({ page, workspace: ws }) => {
    await ws.start(`cursor-${vp.name}`);
    const heard = page.locator('.sr-only[aria-live="polite"]');
    // The first arrow shows the cursor at the centre of the view and places nothing.
    await page.keyboard.press('ArrowRight');
    let s = await ws.state();
    const start = s.cursor!;
    expect(start).not.toBeNull();
    expect(s.points).toEqual([]);
    await expect(heard).toHaveText(`Keyboard cursor at ${Math.round(start.x)}, ${Math.round(start.y)} on the image (512 × 512 pixels): arrows move it, P places a point.`);
    const scale = s.viewport!.scale;
    // 10 screen pixels a press, 50 with Shift, in image pixels at this zoom.
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowDown');
    s = await ws.state();
    expect(s.cursor!.x).toBeCloseTo(start.x + 50 / scale, 6);
    expect(s.cursor!.y).toBeCloseTo(start.y + 50 / scale, 6);
    await page.keyboard.press('p');
    s = await ws.state();
    expect(s.points).toEqual([{ kind: 'artifact', x: s.cursor!.x, y: s.cursor!.y }]);
    await expect(heard).toHaveText(`Artifact point 1 placed at ${Math.round(s.cursor!.x)}, ${Math.round(s.cursor!.y)}.`);
    // The other tool, elsewhere.
    await page.keyboard.press('m');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.press('p');
    s = await ws.state();
    expect(s.points.map((p) => p.kind)).toEqual(['artifact', 'misalignment']);
    // Back onto the first point: P selects it (as a click would) and Delete removes it.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
    await expect(heard).toHaveText(/, on Artifact point 1$/);
    await page.keyboard.press('p');
    await expect(heard).toHaveText('Artifact point 1 selected: Delete removes it.');
    expect((await ws.state()).points).toHaveLength(2);
    await page.keyboard.press('Delete');
    expect((await ws.state()).points.map((p) => p.kind)).toEqual(['misalignment']);

    // Zoomed in, the view follows the cursor to the image's edge, keeping it on the canvas.
    for (let i = 0; i < 4; i++) await page.keyboard.press('+');
    for (let i = 0; i < 30; i++) await page.keyboard.press('Shift+ArrowRight');
    s = await ws.state();
    expect(s.cursor!.x).toBe(512);
    const box = (await page.getByRole('img', { name: /^Image to annotate/ }).boundingBox())!;
    const at = await ws.toClient(s.cursor!.x, s.cursor!.y);
    expect(at.x).toBeGreaterThan(box.x);
    expect(at.x).toBeLessThan(box.x + box.width);
    expect(at.y).toBeGreaterThan(box.y);
    expect(at.y).toBeLessThan(box.y + box.height);

    // Scores and Submit by keys too: the record holds the point placed by keyboard.
    const placed = (await ws.state()).points;
    for (const k of '4444') await page.keyboard.press(k);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await ws.state()).itemId).toBe('0002');
    expect((await ws.state()).cursor).toBeNull();
    await page.getByRole('button', { name: 'Previous item' }).click();
    expect((await ws.state()).points).toEqual(placed);
  });

  /**
   * The table test: every global key, pressed with the focus on each kind of place, changes only
   * what it names. After each key the state is checked against the state before it: a digit may
   * change only the score highlighted before it (to that digit), Delete/Backspace only remove the
   * point selected before them, undo/redo step through the history, and no other key changes any
   * word, score or point.
   */
  const PLACES: { name: string; own: readonly string[]; focus(ws: Workspace): Promise<void> }[] = [
    { name: 'a prompt word', own: [' '], focus: (ws) => ws.token('balls').focus() },
    { name: 'a score radio', own: [' ', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'], focus: (ws) => ws.scoreRadio('Aesthetics', 1).focus() },
    { name: 'the image', own: [], focus: (ws) => ws.page.getByRole('img', { name: /^Image to annotate/ }).focus() },
    { name: 'the page', own: [], focus: (ws) => ws.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur()) },
    { name: 'a toolbar button', own: [' ', 'Enter'], focus: (ws) => ws.page.getByRole('button', { name: 'Fit' }).focus() },
    {
      name: "a point's Delete button",
      own: [' ', 'Enter'],
      focus: async (ws) => {
        await ws.page.getByText(/^Points \(\d+\)$/).click();
        await ws.page.getByRole('button', { name: 'Delete Artifact point 1' }).focus();
      },
    },
    {
      name: 'the instructions text',
      own: [' ', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'PageUp', 'PageDown'],
      focus: (ws) => ws.page.getByText(/^Look at the image/).focus(),
    },
  ];
  const SEQUENCE = [
    'Enter',
    '2',
    ']',
    '5',
    'm',
    '[',
    '[',
    'Delete',
    'a',
    'Control+z',
    '+',
    'ArrowLeft',
    'p',
    'ArrowDown',
    '-',
    '0',
    'Escape',
    'p',
    'Control+Shift+z',
    'Backspace',
    '4',
    'Control+y',
    'Control+z',
    'f',
    ' ',
    '1',
  ];

  type Content = Pick<AppState, 'points' | 'misalignedTokens' | 'scores'>;
  const content = (s: AppState): Content => ({ points: s.points, misalignedTokens: s.misalignedTokens, scores: s.scores });

  for (const [i, place] of PLACES.entries()) {
    test(`global keys with the focus on ${place.name} change only what they name`, async ({ page, workspace: ws }) => {
      await ws.start(`keys-${vp.name}-${i}`);
      // The undo history the checker mirrors: every content the draft had, oldest first.
      const past: Content[] = [content(await ws.state())];
      const future: Content[] = [];
      const edit = async (act: () => Promise<unknown>) => {
        await act();
        past.push(content(await ws.state()));
      };
      await edit(() => ws.clickImage(100, 120));
      await page.getByRole('button', { name: 'Misalignment' }).click();
      await edit(() => ws.clickImage(300, 300));
      await edit(() => ws.token('three').click());
      await edit(() => ws.score('Plausibility', 4));
      await place.focus(ws);

      const keys = SEQUENCE.filter((k) => !place.own.includes(k));
      for (const key of keys) {
        const before = await ws.state();
        await page.keyboard.press(key);
        if (key === ' ') await page.keyboard.up(' ');
        const after = await ws.state();
        const why = `${key} with the focus on ${place.name}`;
        expect(after.itemId, why).toBe(before.itemId);
        if (key === 'Control+z' || key === 'Control+Shift+z' || key === 'Control+y') {
          if (key === 'Control+z' && past.length > 1) future.push(past.pop()!);
          if (key !== 'Control+z' && future.length > 0) past.push(future.pop()!);
          expect(content(after), why).toEqual(past[past.length - 1]);
          continue;
        }
        let expected: Content = content(before);
        if (/^[1-5]$/.test(key) && before.scoreFocus !== null) expected = { ...expected, scores: { ...expected.scores, [before.scoreFocus]: Number(key) } };
        if ((key === 'Delete' || key === 'Backspace') && before.selectedIndex !== null)
          expected = { ...expected, points: expected.points.filter((_, j) => j !== before.selectedIndex) };
        // P: a point of the chosen tool at the keyboard cursor, if it is shown and not on a point (then it selects it).
        const r = (before.imageSize?.height ?? 0) / 20;
        const c = before.cursor;
        if (key === 'p' && c !== null && !before.points.some((q) => Math.hypot(q.x - c.x, q.y - c.y) <= r))
          expected = { ...expected, points: [...expected.points, { kind: before.activeKind, x: c.x, y: c.y }] };
        expect(content(after), why).toEqual(expected);
        if (JSON.stringify(expected) !== JSON.stringify(content(before))) {
          past.push(expected);
          future.length = 0;
        }
      }
      // Fill the scales left empty, choosing each with ] where no empty one is highlighted, then submit.
      for (let n = 0; n < 12; n++) {
        const s = await ws.state();
        if (Object.values(s.scores).filter((v) => v !== undefined).length === 4) break;
        const highlighted = s.scoreFocus;
        await page.keyboard.press(highlighted !== null && s.scores[highlighted] === undefined ? '3' : ']');
      }
      const before = await ws.state();
      await page.keyboard.press(place.own.includes('Enter') ? 'Control+Enter' : 'Enter');
      await expect.poll(async () => (await ws.state()).itemId).toBe('0002');
      expect(NEUTRAL).toContain(await focusPlace(page));
      expect((await ws.state()).misalignedTokens).toEqual([]);
      // The submitted record is what the draft held.
      await page.getByRole('button', { name: 'Previous item' }).click();
      expect(content(await ws.state())).toEqual(content(before));
    });
  }
});
