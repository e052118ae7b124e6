/**
 * The lead's review settings: persisted (versioned) in IndexedDB through src/storage, validated
 * here when read back, so a stale or corrupted record falls back to the defaults field by field.
 */
import { SCORE_NAMES, type ScoreName } from '../../core/formats/index.ts';

export const SETTINGS_VERSION = 1;

export interface ReviewSettings {
  readonly version: typeof SETTINGS_VERSION;
  /** Overlay opacity of the heatmaps, 0..1. */
  readonly opacity: number;
  /** Heatmap cells below this share of 255 are not drawn, 0..1. */
  readonly threshold: number;
  /** Low-agreement flag: any score spread >= this (1..4)... */
  readonly lowSpread: number;
  /** ...or a heatmap agreement (mean Dice) below this (0..1). */
  readonly lowHeatmap: number;
  /** Dataset heatmap grid, "512" or "WxH" as the command line's --heatmap-size (read by core's parseGridSize). */
  readonly heatmapSize: string;
  /** Minimum annotators per item; 0 = the pack's annotatorsPerItem. */
  readonly minAnnotators: number;
  /** Inpainting masks: heatmap level threshold (share of 255) and dilation radius in grid cells. */
  readonly maskThreshold: number;
  readonly maskDilation: number;
  /** Subset export: minimum normalized score per scale, 0..1 (0 = no constraint). */
  readonly subset: Readonly<Record<ScoreName, number>>;
}

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

// Hand-written checks rather than a schema: six numbers and a string do not justify a second
// zod build in the review chunk. Each field falls back to its default on its own.
function num(v: unknown, min: number, max: number, fallback: number, integer = false): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max && (!integer || Number.isInteger(v)) ? v : fallback;
}

/** Whatever was stored, as valid settings (defaults for anything missing or invalid). */
export function restoreSettings(stored: unknown): ReviewSettings {
  if (typeof stored !== 'object' || stored === null) return DEFAULT_SETTINGS;
  const o = stored as Record<string, unknown>;
  const d = DEFAULT_SETTINGS;
  const sub = typeof o.subset === 'object' && o.subset !== null ? (o.subset as Record<string, unknown>) : {};
  return {
    version: SETTINGS_VERSION,
    opacity: num(o.opacity, 0, 1, d.opacity),
    threshold: num(o.threshold, 0, 1, d.threshold),
    lowSpread: num(o.lowSpread, 1, 4, d.lowSpread, true),
    lowHeatmap: num(o.lowHeatmap, 0, 1, d.lowHeatmap),
    heatmapSize: typeof o.heatmapSize === 'string' && o.heatmapSize.length <= 20 ? o.heatmapSize : d.heatmapSize,
    minAnnotators: num(o.minAnnotators, 0, 100, d.minAnnotators, true),
    maskThreshold: num(o.maskThreshold, 0, 1, d.maskThreshold),
    maskDilation: num(o.maskDilation, 0, 64, d.maskDilation, true),
    subset: Object.fromEntries(SCORE_NAMES.map((s) => [s, num(sub[s], 0, 1, d.subset[s])])) as Record<ScoreName, number>,
  };
}
