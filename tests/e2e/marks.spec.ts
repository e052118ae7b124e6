/**
 * Artifact and misalignment points differ in more than hue, and every point stays visible on
 * light, dark, sky and busy images; in the review page's item view every annotator's outline
 * stays visible on sky. Checked on the pixels drawn: a screenshot with the marks against one
 * without them (tests/e2e/pixels.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, forEachViewport, keepImage, keepScreenshot, test } from './fixtures.ts';
import { servePack, type Background } from './packs.ts';
import { decodeScreenshot, grayDifference, ringVisibility } from './pixels.ts';

const FIX = path.resolve(import.meta.dirname, '../../fixtures/consolidate');
const BACKGROUNDS: Background[] = ['light', 'dark', 'sky', 'busy'];
const settle = (page: Page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

forEachViewport((vp) => {
  test('artifact and misalignment points differ in more than hue and stay visible on light, dark, sky and busy images', async ({ page, workspace: ws }, testInfo) => {
    const items = BACKGROUNDS.map((b) => ({ id: b, image: `images/${b}.svg`, prompt: `a ${b} test image`, width: 512, height: 512 }));
    await ws.start(`mark-${vp.name}`, await servePack(page, { name: 'backgrounds', items }));
    const canvas = page.getByRole('img', { name: /^Image to annotate/ });
    for (const [i, bg] of BACKGROUNDS.entries()) {
      await expect.poll(async () => (await ws.state()).itemId).toBe(bg);
      await expect.poll(() => page.evaluate(() => performance.getEntriesByName('richhf:item-ready').length)).toBeGreaterThan(i);
      await page.getByRole('button', { name: 'Artifact' }).click();
      await ws.clickImage(150, 256);
      await page.getByRole('button', { name: 'Misalignment' }).click();
      await ws.clickImage(362, 256);
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Fit' }).hover(); // the cursor's disc leaves the image
      await settle(page);
      const box = (await canvas.boundingBox())!;
      const at = async (x: number, y: number) => {
        const p = await ws.toClient(x, y);
        return { x: p.x - box.x, y: p.y - box.y };
      };
      const artifact = await at(150, 256);
      const misalignment = await at(362, 256);
      const r = (await at(150, 256 + 512 / 20)).y - artifact.y;
      const drawn = await canvas.screenshot();
      await keepImage(testInfo, `points-on-${bg}-${vp.width}`, drawn);
      await page.keyboard.press('Control+z');
      await page.keyboard.press('Control+z');
      await expect.poll(async () => (await ws.state()).points.length).toBe(0);
      await settle(page);
      const under = decodeScreenshot(await canvas.screenshot());
      const img = decodeScreenshot(drawn);
      for (const [kind, p] of [
        ['artifact', artifact],
        ['misalignment', misalignment],
      ] as const) {
        const v = ringVisibility(img, under, p.x, p.y, r);
        expect(v.visible, `the ${kind} point's outline on ${bg} (${v.visible} of ${v.of} directions)`).toBeGreaterThanOrEqual(v.of - 1);
      }
      if (bg !== 'busy') {
        // Same background under both: what tells them apart once hue is gone is their shape.
        const d = grayDifference(img, artifact, misalignment, Math.round(r + 3));
        expect(d, `the two kinds differ in gray on ${bg}`).toBeGreaterThan(0.04);
      }
      if (bg !== 'busy') await page.getByRole('button', { name: 'Next item' }).click();
    }
    await keepScreenshot(page, testInfo, `points-${vp.width}`);
  });

  test("in the review item view every annotator's outline stays visible on sky", async ({ page, review }, testInfo) => {
    const pack = JSON.parse(readFileSync(path.join(FIX, 'pack.json'), 'utf8')) as { items: { image: string; width: number; height: number }[] };
    pack.items = pack.items.map((it) => ({ ...it, image: `images/sky-${it.width}x${it.height}.svg` }));
    await review.open(await servePack(page, pack as never));
    await review.importFiles(['alice', 'bob', 'carol'].map((a) => path.join(FIX, `${a}.json`)));
    await expect(review.importedFiles().getByRole('row')).toHaveCount(4);
    await review.openItem('0001');
    await page.getByRole('checkbox', { name: 'Artifact heatmap' }).uncheck();
    await page.getByRole('checkbox', { name: 'Misalignment heatmap' }).uncheck();
    const image = page.getByRole('img', { name: 'Item 0001' });
    await image.scrollIntoViewIfNeeded();
    await settle(page);
    const clip = (await image.boundingBox())!;
    const discs = await page.evaluate(() => {
      const svg = document.querySelector<SVGSVGElement>('svg.rv-overlay')!;
      const r = svg.getBoundingClientRect();
      const vb = svg.viewBox.baseVal;
      const s = r.width / vb.width;
      return [...svg.querySelectorAll('g[data-annotator] circle[data-kind]')].map((c) => ({
        annotator: c.closest('g[data-annotator]')!.getAttribute('data-annotator')!,
        x: r.left + Number(c.getAttribute('cx')) * s,
        y: r.top + Number(c.getAttribute('cy')) * s,
        r: Number(c.getAttribute('r')) * s,
      }));
    });
    expect(new Set(discs.map((d) => d.annotator)).size).toBe(3);
    const drawnBuf = await page.screenshot({ clip });
    await keepImage(testInfo, `review-discs-on-sky-${vp.width}`, drawnBuf);
    for (const a of ['alice', 'bob', 'carol']) await page.getByRole('checkbox', { name: a, exact: true }).uncheck();
    await expect(page.locator('g[data-annotator]')).toHaveCount(0);
    await settle(page);
    const under = decodeScreenshot(await page.screenshot({ clip }));
    const drawn = decodeScreenshot(drawnBuf);
    for (const d of discs) {
      const v = ringVisibility(drawn, under, d.x - clip.x, d.y - clip.y, d.r);
      expect(v.visible, `${d.annotator}'s disc at (${d.x.toFixed(0)}, ${d.y.toFixed(0)}): ${v.visible} of ${v.of} directions`).toBeGreaterThanOrEqual(v.of - 2);
    }
    await keepScreenshot(page, testInfo, `review-sky-${vp.width}`);
  });
});
