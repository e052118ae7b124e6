/**
 * The keyboard cursor on the image: where P places a point for an annotator without a pointer.
 * It lives in image pixels (like points), moves in steps of stage pixels (so a step looks the same
 * at every zoom), stays on the image, and the view pans to keep it in sight.
 */
import { clampToImage, toImage, toStage, stagePoint, type ImagePoint, type Size, type Viewport } from './geometry.ts';

/** Stage pixels the view keeps between the cursor and the stage's edge when it follows it. */
export const FOLLOW_MARGIN = 40;

/** Where the cursor appears: the image point at the stage's centre, brought onto the image. */
export function startCursor(v: Viewport, stage: { w: number; h: number }, image: Size): ImagePoint {
  return clampToImage(toImage(v, stagePoint(stage.w / 2, stage.h / 2)), image.width, image.height);
}

/** The cursor moved by (dx, dy) stage pixels at the view's scale, kept on the image. */
export function moveCursor(p: ImagePoint, dx: number, dy: number, v: Viewport, image: Size): ImagePoint {
  return clampToImage({ x: p.x + dx / v.scale, y: p.y + dy / v.scale }, image.width, image.height);
}

/**
 * The view, panned as little as needed for the cursor to sit at least FOLLOW_MARGIN stage pixels
 * inside the stage (or at its centre, on a stage too small for the margins); unchanged (the same
 * object) when it already does.
 */
export function followCursor(v: Viewport, stage: { w: number; h: number }, p: ImagePoint): Viewport {
  const s = toStage(v, p);
  const axis = (at: number, size: number) => {
    const m = Math.min(FOLLOW_MARGIN, size / 2);
    if (at < m) return m - at;
    if (at > size - m) return size - m - at;
    return 0;
  };
  const dx = axis(s.x, stage.w);
  const dy = axis(s.y, stage.h);
  return dx === 0 && dy === 0 ? v : { scale: v.scale, x: v.x + dx, y: v.y + dy };
}
