/**
 * Takes the README's screenshot of the annotator workspace (docs/workspace.png) from a
 * production build: `npx tsx scripts/screenshot-workspace.ts`.
 */
import { build, launch, serve } from '../bench/browser.ts';

build();
const server = await serve(4182);
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 820 }, deviceScaleFactor: 1 });
  await page.goto(`${server.url}/?annotator=alice`);
  await page.waitForFunction(() => performance.getEntriesByName('richhf:item-ready').length > 0);
  const click = async (x: number, y: number) => {
    const p = await page.evaluate(
      ([x, y]) => (window as unknown as { __richhf: { imageToClient(x: number, y: number): { x: number; y: number } } }).__richhf.imageToClient(x!, y!),
      [x, y],
    );
    await page.mouse.click(p.x, p.y);
  };
  await page.getByRole('button', { name: 'Misalignment' }).click();
  await click(180, 370);
  await click(350, 375);
  await page.getByRole('group', { name: 'Prompt' }).getByRole('button', { name: 'three', exact: true }).click();
  await page.getByRole('group', { name: 'Prompt' }).getByRole('button', { name: 'red', exact: true }).click();
  for (const [scale, v] of [
    ['Plausibility', 4],
    ['Alignment', 2],
  ] as const) {
    await page
      .getByRole('radiogroup', { name: scale })
      .getByRole('radio', { name: String(v), exact: true })
      .check();
  }
  await page.getByText('Instructions').click();
  await page.mouse.move(520, 200);
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'docs/workspace.png' });
} finally {
  await browser.close();
  server.stop();
}
