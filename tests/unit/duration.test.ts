import { describe, expect, test } from 'vitest';
import { formatDuration } from '../../src/core/text/duration.ts';

describe('formatDuration: durations as people read them', () => {
  test('seconds under a minute, minutes and seconds under an hour, hours and whole minutes after', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(499)).toBe('0 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(59_499)).toBe('59 s');
    expect(formatDuration(59_500)).toBe('1 min 00 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(3_599_000)).toBe('59 min 59 s');
    expect(formatDuration(3_600_000)).toBe('1 h 00 min');
    expect(formatDuration(4_000_000)).toBe('1 h 06 min');
    expect(formatDuration(36_000_000 + 5 * 60_000)).toBe('10 h 05 min');
  });
});
