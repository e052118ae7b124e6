/**
 * Inpainting masks from artifact heatmaps, the RichHF paper's region-inpainting recipe: the
 * heatmap is thresholded into a binary region and dilated so the inpainting model gets some
 * context around each artifact. Everything is in heatmap grid cells (row-major, top-left
 * origin); the radius too, so a mask does not depend on the image's size.
 */

/**
 * 1 where the level (0..255) is > 0 and level / 255 >= threshold (threshold in [0, 1]), else 0.
 * A threshold of 0 therefore keeps every cell any annotator marked, never the whole image.
 */
export function thresholdLevels(gray: Uint8Array, threshold: number): Uint8Array {
  const min = Math.max(1, Math.ceil(threshold * 255 - 1e-9));
  const out = new Uint8Array(gray.length);
  for (let i = 0; i < gray.length; i++) out[i] = gray[i]! >= min ? 1 : 0;
  return out;
}

/** Offsets (dx, dy) of the disc structuring element: dx^2 + dy^2 <= radius^2. */
function discOffsets(radius: number): [number, number][] {
  const out: [number, number][] = [];
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) if (dx * dx + dy * dy <= radius * radius) out.push([dx, dy]);
  }
  return out;
}

/**
 * Binary dilation of a 0/1 mask by a disc of `radius` cells (integer >= 0). Only cells on the
 * region's border (a 4-neighbour outside the region or the grid) stamp the disc: the stamp of an
 * interior cell is covered by the region plus its border cells' stamps, and maps are sparse.
 */
export function dilate(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const out = mask.slice();
  if (radius <= 0) return out;
  const offsets = discOffsets(radius);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      const border = x === 0 || y === 0 || x === width - 1 || y === height - 1 || !mask[i - 1] || !mask[i + 1] || !mask[i - width] || !mask[i + width];
      if (!border) continue;
      for (const [dx, dy] of offsets) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx >= 0 && ny >= 0 && nx < width && ny < height) out[ny * width + nx] = 1;
      }
    }
  }
  return out;
}

/** The inpainting mask of one heatmap as 8-bit gray levels: 255 inside the region, 0 outside. */
export function inpaintMask(gray: Uint8Array, width: number, height: number, threshold: number, radius: number): Uint8Array {
  const mask = dilate(thresholdLevels(gray, threshold), width, height, radius);
  for (let i = 0; i < mask.length; i++) mask[i] = mask[i] ? 255 : 0;
  return mask;
}
