/**
 * Task packs for the workspace tests, served at fake same-origin URLs through page.route
 * (nothing is copied into public/): the real long prompts of fixtures/workspace/prompts.json
 * with long item ids, and plain backgrounds (light, dark, sky, busy) drawn as SVG, as the demo
 * pack's own scenes are. Images not generated here are the demo pack's.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { mulberry32 } from '../../src/core/metrics/jitter.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export const REAL_PROMPTS = (JSON.parse(readFileSync(path.join(ROOT, 'fixtures/workspace/prompts.json'), 'utf8')) as { prompts: { id: string; prompt: string }[] }).prompts;
const DEMO = JSON.parse(readFileSync(path.join(ROOT, 'public/demo/pack.json'), 'utf8')) as { instructions: string; items: PackItem[] };

export interface PackItem {
  id: string;
  image: string;
  prompt: string;
  width?: number;
  height?: number;
}

/** Long ids as a real collection names its images (source part, prompt id, seed). */
export const longId = (promptId: string, i: number) => `diffusiondb-part-000${137 + i}/${promptId}-seed-${(3_812_734_621 + i * 7919) % 4_294_967_296}`;

/** An id longer than any screen shows in a table cell: a storage path, as some collections use. */
export const VERY_LONG_ID = 's3://rich-feedback-collections/2024-q3/diffusiondb-large/part-000137/images/010455-0080/seed-3812734621/sample-0003.webp';

/**
 * The real prompts (the longest first: 927 characters, 134 words) with long ids, on demo
 * images; the first item's id is VERY_LONG_ID.
 */
export function longPromptPack(): { name: string; instructions: string; items: PackItem[] } {
  return {
    name: 'long-prompts',
    instructions: DEMO.instructions,
    items: REAL_PROMPTS.map((p, i) => ({ id: i === 0 ? VERY_LONG_ID : longId(p.id, i), image: `images/000${(i % 4) + 1}.png`, prompt: p.prompt, width: 512, height: 512 })),
  };
}

/** The first `n` demo items, as a pack of their own. */
export function demoPack(n: number, name = `demo-${n}`): { name: string; instructions: string; items: PackItem[] } {
  return { name, instructions: DEMO.instructions, items: DEMO.items.slice(0, n) };
}

export type Background = 'light' | 'dark' | 'sky' | 'busy';

/** A 512×512 test image: one flat colour, a sky gradient, or many random coloured rectangles. */
export function backgroundSvg(kind: Background, w = 512, h = 512): string {
  let body: string;
  if (kind === 'light') body = `<rect width="${w}" height="${h}" fill="#f4f3ee"/>`;
  else if (kind === 'dark') body = `<rect width="${w}" height="${h}" fill="#121418"/>`;
  else if (kind === 'sky')
    body = `<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3d8fd6"/><stop offset="1" stop-color="#a9d8f5"/></linearGradient></defs><rect width="${w}" height="${h}" fill="url(#g)"/>`;
  else {
    const rnd = mulberry32(7);
    const hex = () =>
      `#${Math.floor(rnd() * 0xffffff)
        .toString(16)
        .padStart(6, '0')}`;
    const rects: string[] = [];
    for (let i = 0; i < 900; i++) {
      const s = 4 + rnd() * 28;
      rects.push(`<rect x="${(rnd() * w).toFixed(1)}" y="${(rnd() * h).toFixed(1)}" width="${s.toFixed(1)}" height="${s.toFixed(1)}" fill="${hex()}"/>`);
    }
    body = `<rect width="${w}" height="${h}" fill="${hex()}"/>${rects.join('')}`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${body}</svg>`;
}

/**
 * Serves `pack` at /__fixtures__/NAME/pack.json and its images: `images/KIND.svg` as a
 * generated background, anything else under images/ from the demo pack. Returns the query
 * string that opens it (`?pack=…`).
 */
export async function servePack(page: Page, pack: { name: string; instructions?: string; items: PackItem[]; annotatorsPerItem?: number }): Promise<string> {
  const prefix = `/__fixtures__/${encodeURIComponent(pack.name)}/`;
  const body = JSON.stringify({ format: 'richhf-taskpack', version: 1, annotatorsPerItem: 3, ...pack });
  await page.route(`**${prefix}**`, async (route) => {
    const rel = decodeURIComponent(new URL(route.request().url()).pathname.slice(prefix.length));
    if (rel === 'pack.json') return route.fulfill({ contentType: 'application/json', body });
    const svg = /^images\/(light|dark|sky|busy)(?:-(\d+)x(\d+))?\.svg$/.exec(rel);
    if (svg) return route.fulfill({ contentType: 'image/svg+xml', body: backgroundSvg(svg[1] as Background, Number(svg[2] ?? 512), Number(svg[3] ?? 512)) });
    const demo = /^images\/(\d{4})\.png$/.exec(rel);
    if (demo) return route.fulfill({ contentType: 'image/png', body: readFileSync(path.join(ROOT, 'public/demo/images', `${demo[1]}.png`)) });
    return route.fulfill({ status: 404, body: 'not found' });
  });
  return `?pack=${encodeURIComponent(`${prefix}pack.json`)}`;
}
