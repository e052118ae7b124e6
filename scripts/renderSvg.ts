/**
 * Rasterizes SVG scenes in headless Chromium at 1 CSS pixel = 1 image pixel, for the demo packs
 * (make-demo-pack.ts, make-demo-compare-pack.ts). PNGs come back compacted (pngCompact.ts).
 */
import { chromium } from '@playwright/test';
import { compactPng } from './pngCompact.ts';

export interface SvgScene {
  readonly width: number;
  readonly height: number;
  readonly svg: string;
}

/** Calls `each` with every scene's PNG, in order, from one browser. */
export async function renderSvgScenes(scenes: readonly SvgScene[], each: (png: Uint8Array, index: number) => Promise<void>): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    for (const [i, scene] of scenes.entries()) {
      await page.setViewportSize({ width: scene.width, height: scene.height });
      await page.setContent(`<!doctype html><html><body style="margin:0;overflow:hidden">${scene.svg}</body></html>`);
      await page.evaluate(() => document.fonts.ready);
      await each(compactPng(await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: scene.width, height: scene.height } })), i);
    }
  } finally {
    await browser.close();
  }
}
