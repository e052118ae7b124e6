import type { Page, Response } from '@playwright/test';

/**
 * Every answer the page receives from now on that is data (not the app's own code), as text: its
 * URL, headers and body (images included, so a name in an image's metadata is seen too). For
 * blindness checks: search the texts for what the page must never be told.
 */
export function collectResponses(page: Page): Promise<string>[] {
  const seen: Promise<string>[] = [];
  page.on('response', (res: Response) => {
    const type = res.headers()['content-type'] ?? '';
    const code = /javascript|css|font|wasm/.test(type);
    seen.push(
      (async () => {
        const headers = Object.entries(await res.allHeaders())
          .map(([k, v]) => `${k}: ${v}`)
          .join('\n');
        const body = code ? '' : await res.text().catch(() => '');
        return `${res.url()}\n${headers}\n${body}`;
      })(),
    );
  });
  return seen;
}
