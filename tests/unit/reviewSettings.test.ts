import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, restoreSettings } from '../../src/features/review/settings.ts';

describe('review settings', () => {
  it('restores valid fields and replaces invalid ones by their defaults', () => {
    const s = restoreSettings({ version: 0, opacity: 0.3, threshold: 7, lowSpread: 2.5, heatmapSize: '64x32', maskDilation: 3, subset: { plausibility: 0.5, overall: 'x' } });
    expect(s.opacity).toBe(0.3);
    expect(s.threshold).toBe(DEFAULT_SETTINGS.threshold);
    expect(s.lowSpread).toBe(DEFAULT_SETTINGS.lowSpread);
    expect(s.heatmapSize).toBe('64x32');
    expect(s.maskDilation).toBe(3);
    expect(s.subset).toEqual({ plausibility: 0.5, alignment: 0, aesthetics: 0, overall: 0 });
    expect(restoreSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(restoreSettings('junk')).toEqual(DEFAULT_SETTINGS);
    expect(restoreSettings({ opacity: Number.NaN, minAnnotators: Number.POSITIVE_INFINITY, subset: 'x' })).toEqual(DEFAULT_SETTINGS);
  });

  it('quality thresholds: settings stored before them get the defaults; each field falls back on its own', () => {
    expect(restoreSettings({ opacity: 0.3 }).quality).toEqual(DEFAULT_SETTINGS.quality);
    expect(restoreSettings({ quality: { minGoldScore: 0.7, minItems: 2.5, minDiscCC: -2, maxNoPoints: 0.9 } }).quality).toEqual({
      ...DEFAULT_SETTINGS.quality,
      minGoldScore: 0.7,
      maxNoPoints: 0.9,
    });
  });
});
