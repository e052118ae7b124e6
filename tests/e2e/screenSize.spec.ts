/**
 * The view when the screen changes (issue 21): a zoom and pan made on a phone is not reused on a
 * desktop, nor the other way round (the view is fitted again when the layout changes between the
 * narrow one, image above the panel, and the wide one), while a view kept on the same kind of
 * screen comes back as it was; and on a phone, Submit brings the next item's image into view.
 */
import type { Page } from '@playwright/test';
import { expect, test, type Workspace } from './fixtures.ts';

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 768 };
const DESKTOP = { width: 1920, height: 1080 };
const SCALES = ['Plausibility', 'Alignment', 'Aesthetics', 'Overall'] as const;

/** The canvas's size in CSS pixels. */
const stage = async (page: Page) => (await page.getByRole('img', { name: /^Image to annotate/ }).boundingBox())!;

/** Whether the view shows the whole image fitted to the canvas (fitViewport's 8 px margin; the canvas measures itself in whole pixels). */
async function expectFitted(ws: Workspace, why: string) {
  const s = await ws.page.getByRole('img', { name: /^Image to annotate/ }).evaluate((e) => ({ width: e.clientWidth, height: e.clientHeight }));
  const { viewport, imageSize } = await ws.state();
  const scale = Math.min((s.width - 16) / imageSize!.width, (s.height - 16) / imageSize!.height);
  expect(viewport!.scale, why).toBeCloseTo(scale, 4);
  expect(viewport!.x, why).toBeCloseTo((s.width - imageSize!.width * scale) / 2, 2);
  expect(viewport!.y, why).toBeCloseTo((s.height - imageSize!.height * scale) / 2, 2);
}

/** Zoom in twice around the centre and move the view with the keyboard cursor: a view of the annotator's own. */
async function zoomAndPan(ws: Workspace) {
  await ws.page.getByRole('button', { name: 'Zoom in' }).click();
  await ws.page.getByRole('button', { name: 'Zoom in' }).click();
  for (let i = 0; i < 14; i++) await ws.page.keyboard.press('Shift+ArrowRight');
  await ws.whenSaved();
  return (await ws.state()).viewport!;
}

test('a view made on a desktop is fitted again on a phone and back, and kept on the same kind of screen', async ({ page, workspace: ws }) => {
  await page.setViewportSize(LAPTOP);
  await ws.start('vera');
  await expectFitted(ws, 'a new item is fitted');
  const laptopView = await zoomAndPan(ws);

  // The same work opened on a phone: fitted to the phone's canvas, not the laptop's 130 % clipped.
  await page.setViewportSize(PHONE);
  await page.reload();
  await ws.waitForImage();
  await expectFitted(ws, 'the laptop view is not reused on a phone');
  const phoneView = await zoomAndPan(ws);
  expect(phoneView).not.toEqual(laptopView);
  await page.reload();
  await ws.waitForImage();
  expect((await ws.state()).viewport, 'a phone view comes back on a phone').toEqual(phoneView);

  // Turned into a wide window while working: fitted again, not left small in a corner.
  await page.setViewportSize(LAPTOP);
  await expect.poll(async () => (await stage(page)).width).toBeGreaterThan(PHONE.width);
  await expectFitted(ws, 'the phone view is not reused on a laptop');
  const wideView = await zoomAndPan(ws);
  // A larger screen of the same kind keeps the annotator's view, live and after a reload.
  await page.setViewportSize(DESKTOP);
  await expect.poll(async () => (await stage(page)).width).toBeGreaterThan(LAPTOP.width - 500);
  expect((await ws.state()).viewport).toEqual(wideView);
  await page.reload();
  await ws.waitForImage();
  expect((await ws.state()).viewport).toEqual(wideView);
});

test('on a phone, Submit brings the next item’s image into view', async ({ page, workspace: ws }) => {
  await page.setViewportSize(PHONE);
  await ws.start('pia');
  // The scores and Submit are below the image: scoring by touch scrolls the page down.
  for (const s of SCALES) await ws.score(s, 3);
  await ws.submitButton().scrollIntoViewIfNeeded();
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
  await ws.submitButton().click();
  await expect.poll(async () => (await ws.state()).itemId).toBe('0002');
  await ws.waitForImage();
  const image = await stage(page);
  expect(image.y, 'the image starts on screen').toBeGreaterThanOrEqual(0);
  expect(image.y + image.height, 'and ends on it').toBeLessThanOrEqual(PHONE.height);
  await expect(page.getByRole('button', { name: 'Zoom in' })).toBeInViewport();
});
