/** File names made from untrusted text, and the one rule for downloads (server and page). */
import { describe, expect, it } from 'vitest';
import { downloadName, safeFileName } from '../../src/core/text/fileName.ts';

describe('file names', () => {
  it('keep A-Z a-z 0-9 . _ - and turn every other run into one _', () => {
    expect(safeFileName('Ocean trial')).toBe('Ocean_trial');
    expect(safeFileName('../../etc/passwd')).toBe('_._.._etc_passwd');
    expect(safeFileName('été 2026 / v2')).toBe('_t_2026_v2');
    expect(safeFileName('')).toBe('file');
  });

  it('downloads: the parts made safe, joined by -, then the extension', () => {
    expect(downloadName(['Ocean trial', 'dataset'], 'json')).toBe('Ocean_trial-dataset.json');
    expect(downloadName(['Ocean trial', 'ana maría'], 'json')).toBe('Ocean_trial-ana_mar_a.json');
    expect(downloadName(['demo', 'erin', 'annotations'], 'json')).toBe('demo-erin-annotations.json');
    expect(downloadName(['demo'], 'tfrecord')).toBe('demo.tfrecord');
  });
});
