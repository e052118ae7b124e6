/**
 * Shared by every end-to-end test: page objects for the annotator workspace and the lead's
 * review page, driven by accessible names, offered as Playwright fixtures (`workspace`,
 * `review`), plus a typed view of the app's test API (the canvas is not in the DOM).
 *
 *   import { test, expect } from './fixtures.ts';
 *   test('…', async ({ workspace, review }) => { … });
 */
import { writeFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import type { RichhfTestApi } from '../../src/app/testApi.ts';

export { expect };

export type AppState = ReturnType<RichhfTestApi['state']>;
type Api = { __richhf: RichhfTestApi };

export class Workspace {
  constructor(readonly page: Page) {}

  async start(annotator: string, query = '') {
    await this.page.goto(`/${query}`);
    await this.page.getByRole('textbox', { name: 'Annotator ID' }).fill(annotator);
    await this.page.getByRole('button', { name: 'Start' }).click();
    await this.waitForImage();
  }

  async waitForImage() {
    await expect(this.page.getByRole('button', { name: 'Submit' })).toBeVisible();
    await expect.poll(async () => (await this.state()).viewport !== null).toBe(true);
  }

  state(): Promise<AppState> {
    return this.page.evaluate(() => (window as unknown as Api).__richhf.state());
  }

  whenSaved(): Promise<void> {
    return this.page.evaluate(() => (window as unknown as Api).__richhf.whenSaved());
  }

  /** Page coordinates of an image pixel at the current zoom/pan. */
  toClient(x: number, y: number): Promise<{ x: number; y: number }> {
    return this.page.evaluate(([x, y]) => (window as unknown as Api).__richhf.imageToClient(x!, y!), [x, y]);
  }

  async clickImage(x: number, y: number) {
    const p = await this.toClient(x, y);
    await this.page.mouse.click(p.x, p.y);
  }

  async dragImage(from: [number, number], to: [number, number]) {
    const a = await this.toClient(...from);
    const b = await this.toClient(...to);
    await this.page.mouse.move(a.x, a.y);
    await this.page.mouse.down();
    await this.page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 4 });
    await this.page.mouse.move(b.x, b.y, { steps: 4 });
    await this.page.mouse.up();
  }

  score(scale: string, value: number) {
    return this.scoreRadio(scale, value).check();
  }

  scoreRadio(scale: string, value: number): Locator {
    return this.page.getByRole('radiogroup', { name: scale }).getByRole('radio', { name: String(value), exact: true });
  }

  token(text: string): Locator {
    return this.page.getByRole('group', { name: 'Prompt' }).getByRole('button', { name: text, exact: true });
  }

  submitButton(): Locator {
    return this.page.getByRole('button', { name: 'Submit' });
  }
}

export class ReviewPage {
  constructor(readonly page: Page) {}

  /** Opens `#/review` with `query` (e.g. `?pack=…`) and waits until stored files are restored. */
  async open(query = '') {
    await this.page.goto(`/${query}#/review`);
    await expect(this.page.getByText(/Pack .+: \d+ items/)).toBeVisible();
    await this.waitForImportReady();
  }

  /** The file input stays disabled while files are read (setInputFiles would not wait). */
  async waitForImportReady() {
    await expect(this.fileInput()).toBeEnabled();
  }

  fileInput(): Locator {
    return this.page.getByLabel('Annotation files');
  }

  async importFiles(paths: string | readonly string[]) {
    await this.waitForImportReady();
    await this.fileInput().setInputFiles(typeof paths === 'string' ? paths : [...paths]);
  }

  importedFiles(): Locator {
    return this.page.getByRole('table', { name: 'Imported files' });
  }

  /** The item table's row of item `id`. */
  row(id: string): Locator {
    return this.page.getByRole('row').filter({ has: this.openButton(id) });
  }

  openButton(id: string): Locator {
    return this.page.getByRole('button', { name: `Open item ${id}`, exact: true });
  }

  async openItem(id: string) {
    await this.openButton(id).click();
    await expect(this.page.getByRole('heading', { name: `Item ${id}` })).toBeVisible();
  }

  /** Clicks an export button and saves the download to `file`; returns the suggested name. */
  async exportTo(button: string, file: string): Promise<string> {
    const download = this.page.waitForEvent('download');
    await this.page.getByRole('button', { name: button }).click();
    const d = await download;
    await d.saveAs(file);
    return d.suggestedFilename();
  }
}

/** Serious and critical axe violations on the page as it is now, one line each (empty = clean). */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  const axe = await new AxeBuilder({ page }).analyze();
  return axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The screens every layout-sensitive test runs on: a phone (touch), a laptop and a desktop. */
export const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844, touch: true },
  { name: 'laptop', width: 1366, height: 768, touch: false },
  { name: 'desktop', width: 1920, height: 1080, touch: false },
] as const;
export type Viewport = (typeof VIEWPORTS)[number];

/** Declares the tests of `body` once per viewport, each in a describe block named after its size. */
export function forEachViewport(body: (vp: Viewport) => void): void {
  for (const vp of VIEWPORTS) {
    test.describe(`${vp.width}×${vp.height}`, () => {
      test.use({ viewport: { width: vp.width, height: vp.height }, hasTouch: vp.touch });
      body(vp);
    });
  }
}

/** A full-page screenshot kept with the test's results (test-results/…/NAME.png) and attached to its report. */
export async function keepScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

/** A picture (PNG bytes) kept with the test's results and attached to its report. */
export async function keepImage(testInfo: TestInfo, name: string, png: Buffer): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  await writeFile(file, png);
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

/**
 * The build leaves out parts of Konva and React that nothing here reaches (vite.config.ts,
 * scripts/reactTrim.ts); a left-out part that is reached after all throws and names itself. Every
 * test of these fixtures fails if a page of its context reported one, even where the page went on.
 */
const LEFT_OUT = 'is left out of richhf-studio';

export const test = base.extend<{ workspace: Workspace; review: ReviewPage; leftOutCode: void }>({
  workspace: async ({ page }, use) => {
    await use(new Workspace(page));
  },
  review: async ({ page }, use) => {
    await use(new ReviewPage(page));
  },
  leftOutCode: [
    async ({ context }, use) => {
      const reached: string[] = [];
      const watch = (p: Page) => {
        p.on('pageerror', (e) => e.message.includes(LEFT_OUT) && reached.push(e.message));
        p.on('console', (m) => m.text().includes(LEFT_OUT) && reached.push(m.text()));
      };
      context.pages().forEach(watch);
      context.on('page', watch);
      await use();
      expect(reached, 'code the build left out was reached').toEqual([]);
    },
    { auto: true },
  ],
});
