/**
 * Shared helpers for end-to-end tests: a typed view of the app's test API (the canvas is not
 * in the DOM) and a page object for the annotator workspace, driven by accessible names.
 */
import { expect, type Page } from '@playwright/test';
import type { RichhfTestApi } from '../../src/app/testApi.ts';

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
    return this.page
      .getByRole('radiogroup', { name: scale })
      .getByRole('radio', { name: String(value), exact: true })
      .check();
  }

  token(text: string) {
    return this.page.getByRole('group', { name: 'Prompt' }).getByRole('button', { name: text, exact: true });
  }
}
