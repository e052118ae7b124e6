/**
 * The lead's review settings: persisted (versioned) in IndexedDB through src/storage, validated
 * here with zod when read back, so a stale or corrupted record falls back to the defaults field
 * by field (a bad field costs the lead a default, never their work, so nothing is set aside).
 */
import * as z from 'zod/mini';
import { SCORE_NAMES, type ScoreName } from '../../core/formats/index.ts';
import type { QualityThresholds } from '../../core/formats/quality.ts';
import { DEFAULT_QUALITY_THRESHOLDS } from '../../core/quality/flags.ts';

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
  /** When the quality table flags an annotator (core/quality/flags.ts). */
  readonly quality: QualityThresholds;
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
  quality: DEFAULT_QUALITY_THRESHOLDS,
};

/** A number in [min, max] (an integer if asked), or `fallback` for anything else. */
function num(min: number, max: number, fallback: number, integer = false) {
  const n = z.number().check(z.gte(min), z.lte(max));
  return z.catch(integer ? n.check(z.int()) : n, fallback);
}

const d = DEFAULT_SETTINGS;

/** What storage holds, field by field: a missing or invalid field falls back to its default on its own. */
const storedSettingsSchema = z.catch(
  z.object({
    opacity: num(0, 1, d.opacity),
    threshold: num(0, 1, d.threshold),
    lowSpread: num(1, 4, d.lowSpread, true),
    lowHeatmap: num(0, 1, d.lowHeatmap),
    heatmapSize: z.catch(z.string().check(z.maxLength(20)), d.heatmapSize),
    minAnnotators: num(0, 100, d.minAnnotators, true),
    maskThreshold: num(0, 1, d.maskThreshold),
    maskDilation: num(0, 64, d.maskDilation, true),
    subset: z.catch(z.object(Object.fromEntries(SCORE_NAMES.map((n) => [n, num(0, 1, d.subset[n])])) as Record<ScoreName, ReturnType<typeof num>>), d.subset),
    quality: z.catch(
      z.object({
        minGoldScore: num(0, 1, d.quality.minGoldScore),
        minGoldItems: num(1, 1_000_000, d.quality.minGoldItems, true),
        maxScoreDeviation: num(0, 4, d.quality.maxScoreDeviation),
        minWordAgreement: num(0, 1, d.quality.minWordAgreement),
        minDiscCC: num(-1, 1, d.quality.minDiscCC),
        maxSameScores: num(0, 1, d.quality.maxSameScores),
        maxNoPoints: num(0, 1, d.quality.maxNoPoints),
        minItems: num(1, 1_000_000, d.quality.minItems, true),
        minActiveShare: num(0, 1, d.quality.minActiveShare),
      }),
      d.quality,
    ),
  }),
  d,
);

/** Whatever was stored, as valid settings (defaults for anything missing or invalid). */
export function restoreSettings(stored: unknown): ReviewSettings {
  return { ...storedSettingsSchema.parse(stored), version: SETTINGS_VERSION };
}
