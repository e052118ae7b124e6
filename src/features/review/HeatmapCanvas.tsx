import { useEffect, useRef } from 'react';

/**
 * One heatmap drawn over the image: a canvas of grid cells stretched to the image's box. Cells
 * below the threshold (a share of 255) are transparent; the others take the kind's colour with
 * alpha = level, and the whole layer the overlay opacity.
 */
export function HeatmapCanvas({
  gray,
  width,
  height,
  rgb,
  threshold,
  opacity,
  label,
}: {
  gray: Uint8Array;
  width: number;
  height: number;
  rgb: readonly [number, number, number];
  threshold: number;
  opacity: number;
  label: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const img = ctx.createImageData(width, height);
    const min = Math.max(1, Math.ceil(threshold * 255 - 1e-9));
    const d = img.data;
    for (let i = 0; i < gray.length; i++) {
      const v = gray[i]!;
      if (v < min) continue;
      d[4 * i] = rgb[0];
      d[4 * i + 1] = rgb[1];
      d[4 * i + 2] = rgb[2];
      // Alpha from 96 (one annotator of many) to 255 (all), so faint cells stay visible.
      d[4 * i + 3] = 96 + ((v * 159) >> 8);
    }
    ctx.putImageData(img, 0, 0);
  }, [gray, width, height, rgb, threshold]);
  return <canvas ref={ref} width={width} height={height} className="rv-overlay" style={{ opacity }} role="img" aria-label={label} data-testid={label} />;
}
