/**
 * Reading what the screen shows: screenshots decoded to RGBA, relative luminance and the WCAG
 * contrast ratio, and two measures of drawn marks (a ring's visibility against what lies under
 * it, and how much two marks differ once colour is taken away). Coordinates are screenshot pixels.
 */
import { decode } from 'fast-png';

export interface Rgba {
  width: number;
  height: number;
  /** 4 bytes per pixel, row-major. */
  data: Uint8Array;
}

export function decodeScreenshot(buf: Buffer): Rgba {
  const img = decode(buf);
  const n = img.width * img.height;
  const data = new Uint8Array(n * 4);
  const c = img.channels;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) data[i * 4 + k] = Number(img.data[i * c + Math.min(k, c - 1)]);
    data[i * 4 + 3] = c === 4 ? Number(img.data[i * c + 3]) : 255;
  }
  return { width: img.width, height: img.height, data };
}

const linear = (v: number) => {
  const s = v / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};

/** WCAG relative luminance of the pixel at (x, y), or null outside the image. */
export function luminance(img: Rgba, x: number, y: number): number | null {
  const xi = Math.round(x);
  const yi = Math.round(y);
  if (xi < 0 || yi < 0 || xi >= img.width || yi >= img.height) return null;
  const o = (yi * img.width + xi) * 4;
  return 0.2126 * linear(img.data[o]!) + 0.7152 * linear(img.data[o + 1]!) + 0.0722 * linear(img.data[o + 2]!);
}

export const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

/**
 * In how many of 24 directions the ring of radius `r` around (cx, cy) has, within ±`band` px,
 * a pixel whose contrast with the same pixel of `under` (the picture without the mark) is at
 * least `min`; out of the directions whose ring lies inside the picture.
 */
export function ringVisibility(drawn: Rgba, under: Rgba, cx: number, cy: number, r: number, band = 4, min = 3): { visible: number; of: number } {
  let visible = 0;
  let of = 0;
  for (let k = 0; k < 24; k++) {
    const a = (k / 24) * 2 * Math.PI;
    let inside = false;
    let best = 1;
    for (let d = -band; d <= band; d += 0.5) {
      const x = cx + (r + d) * Math.cos(a);
      const y = cy + (r + d) * Math.sin(a);
      const l1 = luminance(drawn, x, y);
      const l2 = luminance(under, x, y);
      if (l1 === null || l2 === null) continue;
      inside = true;
      best = Math.max(best, contrast(l1, l2));
    }
    if (!inside) continue;
    of++;
    if (best >= min) visible++;
  }
  return { visible, of };
}

const gray = (img: Rgba, x: number, y: number) => {
  const o = (Math.round(y) * img.width + Math.round(x)) * 4;
  return 0.299 * img.data[o]! + 0.587 * img.data[o + 1]! + 0.114 * img.data[o + 2]!;
};

/**
 * Share of the pixels within radius `r` of mark `a` that have no pixel within one pixel of the
 * same place around mark `b` whose gray level is within 64 of 255 of theirs (and the other way
 * round; the larger share). Two marks drawn alike but for their hue score near 0, whatever
 * sub-pixel offset their anti-aliasing has.
 */
export function grayDifference(img: Rgba, a: { x: number; y: number }, b: { x: number; y: number }, r: number): number {
  const share = (p: { x: number; y: number }, q: { x: number; y: number }) => {
    let differ = 0;
    let all = 0;
    for (let dy = -r; dy <= r; dy++) {
      for (let dx = -r; dx <= r; dx++) {
        if (dx * dx + dy * dy > r * r) continue;
        all++;
        const g = gray(img, p.x + dx, p.y + dy);
        let near = Infinity;
        for (let ey = -1; ey <= 1; ey++) for (let ex = -1; ex <= 1; ex++) near = Math.min(near, Math.abs(g - gray(img, q.x + dx + ex, q.y + dy + ey)));
        if (near > 64) differ++;
      }
    }
    return differ / all;
  };
  return Math.max(share(a, b), share(b, a));
}
