/**
 * The lead's review settings: persisted (versioned) in IndexedDB through src/storage, validated
 * here when read back, so a stale or corrupted record falls back to the defaults field by field.
 */
import { z } from 'zod';

export const SETTINGS_VERSION = 1;

const unit = z.number().min(0).max(1);

export const reviewSettingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  /** Overlay opacity of the heatmaps, 0..1. */
  opacity: unit.catch(0.6),
  /** Heatmap cells below this share of 255 are not drawn, 0..1. */
  threshold: unit.catch(0),
  /** Low-agreement flag: any score spread >= this... */
  lowSpread: z.number().int().min(1).max(4).catch(3),
  /** ...or a heatmap agreement (mean Dice) below this. */
  lowHeatmap: unit.catch(0.2),
  /** Dataset heatmap grid, "512" or "WxH" as the command line's --heatmap-size. */
  heatmapSize: z.string().max(20).catch('512'),
  /** Minimum annotators per item; 0 = the pack's annotatorsPerItem. */
  minAnnotators: z.number().int().min(0).max(100).catch(0),
  /** Inpainting masks: heatmap value threshold (share of 255) and dilation radius in grid cells. */
  maskThreshold: unit.catch(0.5),
  maskDilation: z.number().int().min(0).max(64).catch(8),
  /** Subset export: minimum normalized score per scale (0 = no constraint). */
  subset: z
    .object({ plausibility: unit.catch(0), alignment: unit.catch(0), aesthetics: unit.catch(0), overall: unit.catch(0) })
    .catch({ plausibility: 0.75, alignment: 0, aesthetics: 0, overall: 0 }),
});
export type ReviewSettings = z.infer<typeof reviewSettingsSchema>;

export const DEFAULT_SETTINGS: ReviewSettings = {
  version: SETTINGS_VERSION,
  opacity: 0.6,
  threshold: 0,
  lowSpread: 3,
  lowHeatmap: 0.2,
  heatmapSize: '512',
  minAnnotators: 0,
  maskThreshold: 0.5,
  maskDilation: 8,
  subset: { plausibility: 0.75, alignment: 0, aesthetics: 0, overall: 0 },
};

/** Whatever was stored, as valid settings (defaults for anything missing or invalid). */
export function restoreSettings(stored: unknown): ReviewSettings {
  if (typeof stored !== 'object' || stored === null) return DEFAULT_SETTINGS;
  const parsed = reviewSettingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...stored, version: SETTINGS_VERSION });
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

/** "512" -> 512x512, "640x480" -> 640x480 (width x height), like `--heatmap-size`; null if invalid. */
export function parseHeatmapSize(text: string): { width: number; height: number } | null {
  const m = /^\s*(\d{1,5})(?:\s*[xX]\s*(\d{1,5}))?\s*$/.exec(text);
  if (!m) return null;
  const width = Number(m[1]);
  const height = m[2] === undefined ? width : Number(m[2]);
  if (width < 1 || height < 1 || width > 4096 || height > 4096) return null;
  return { width, height };
}
