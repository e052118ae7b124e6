/**
 * Drawing a point's disc on a 2D canvas whose transform maps image pixels to the screen at
 * `scale` screen pixels per image pixel, centred at the origin. Line widths and marks are given
 * in screen pixels (divided by `scale`), so they stay the same size at every zoom while the disc
 * keeps its true radius in image pixels. Looks: colors.ts.
 */
import type { PointKind } from '../../core/formats/index.ts';
import { HALO, KIND_CENTRE, KIND_COLOR, KIND_DASH, KIND_FILL } from './colors.ts';

const RING = 2.5; // screen px: the coloured ring
const HALO_W = 5; // screen px: the white halo under it
const EDGE = 1.25; // screen px: the dark edge on each side of the halo
const MARK = 5.5; // screen px: half the size of the centre mark

function ring(c: CanvasRenderingContext2D, r: number, width: number, style: string, dash: readonly number[] | null) {
  c.beginPath();
  c.arc(0, 0, r, 0, 2 * Math.PI);
  c.setLineDash(dash ? [...dash] : []);
  c.lineWidth = width;
  c.strokeStyle = style;
  c.stroke();
}

function centreMark(c: CanvasRenderingContext2D, kind: PointKind, s: number) {
  const m = MARK / s;
  c.beginPath();
  if (KIND_CENTRE[kind] === 'cross') {
    c.moveTo(-m, -m);
    c.lineTo(m, m);
    c.moveTo(m, -m);
    c.lineTo(-m, m);
  } else {
    c.moveTo(0, -m * 1.2);
    c.lineTo(m, 0);
    c.lineTo(0, m * 1.2);
    c.lineTo(-m, 0);
    c.closePath();
  }
  c.setLineDash([]);
  c.lineCap = 'round';
  c.lineJoin = 'round';
  c.lineWidth = (RING + HALO_W) / s;
  c.strokeStyle = HALO.dark;
  c.stroke();
  c.lineWidth = (RING + HALO_W - 2 * EDGE) / s;
  c.strokeStyle = HALO.light;
  c.stroke();
  if (KIND_CENTRE[kind] === 'diamond') {
    c.fillStyle = KIND_COLOR[kind];
    c.fill();
  }
  c.lineWidth = RING / s;
  c.strokeStyle = KIND_COLOR[kind];
  c.stroke();
}

/** A placed point: translucent fill, haloed ring (solid or dashed by kind), centre mark; the selected one gets an amber ring outside. */
export function drawPoint(c: CanvasRenderingContext2D, kind: PointKind, radius: number, scale: number, selected: boolean): void {
  const s = scale;
  const dash = KIND_DASH[kind];
  c.beginPath();
  c.arc(0, 0, radius, 0, 2 * Math.PI);
  c.fillStyle = KIND_FILL[kind];
  c.fill();
  ring(c, radius, (HALO_W + 2 * EDGE) / s, HALO.dark, null);
  ring(c, radius, HALO_W / s, HALO.light, null);
  ring(c, radius, RING / s, KIND_COLOR[kind], dash && [dash[0] / s, dash[1] / s]);
  if (selected) {
    ring(c, radius + (HALO_W / 2 + EDGE + 2.5) / s, 3 / s, HALO.dark, null);
    ring(c, radius + (HALO_W / 2 + EDGE + 2.5) / s, 2 / s, HALO.selected, null);
  }
  centreMark(c, kind, s);
}

/**
 * The disc under the cursor: where a click (or P) would put a point of the chosen kind (thin,
 * dashed, haloed). The keyboard cursor also marks its centre with a small haloed cross, since no
 * pointer shows where it is.
 */
export function drawPreview(c: CanvasRenderingContext2D, kind: PointKind, radius: number, scale: number, keyboard = false): void {
  const s = scale;
  ring(c, radius, 3.5 / s, HALO.dark, null);
  ring(c, radius, 1.5 / s, HALO.light, null);
  ring(c, radius, 1.5 / s, KIND_COLOR[kind], [6 / s, 4 / s]);
  if (!keyboard) return;
  const m = 7 / s;
  c.beginPath();
  c.moveTo(-m, 0);
  c.lineTo(m, 0);
  c.moveTo(0, -m);
  c.lineTo(0, m);
  c.setLineDash([]);
  c.lineCap = 'round';
  for (const [width, style] of [
    [4 / s, HALO.dark],
    [2.5 / s, HALO.light],
    [1.25 / s, KIND_COLOR[kind]],
  ] as const) {
    c.lineWidth = width;
    c.strokeStyle = style;
    c.stroke();
  }
}
