import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../src/server/http/rateLimit.ts';

describe('RateLimiter', () => {
  it('allows a burst, then one per 60/perMinute seconds, per key', () => {
    const r = new RateLimiter({ burst: 2, perMinute: 6 });
    expect([r.take('a', 0), r.take('a', 0), r.take('a', 0)]).toEqual([0, 0, 10_000]);
    expect(r.take('b', 0)).toBe(0);
    expect(r.take('a', 5_000)).toBe(5_000);
    expect(r.take('a', 10_000)).toBe(0);
    expect(r.take('a', 10_000)).toBe(10_000);
    // Refills to the burst, not beyond.
    expect([r.take('a', 1e9), r.take('a', 1e9), r.take('a', 1e9)]).toEqual([0, 0, 10_000]);
  });

  it('keeps at most maxKeys buckets under a flood of keys; a limited key stays limited while it is recent', () => {
    const r = new RateLimiter({ burst: 1, perMinute: 1 }, 100);
    expect(r.take('attacker', 0)).toBe(0);
    let evicted = 0;
    for (let i = 0; i < 10_000; i++) {
      r.take(`fake-${i}`, 0);
      expect(r.size).toBeLessThanOrEqual(100);
      if (i >= 99) evicted++;
      // Touching the limited key keeps it the most recently used: it is not evicted.
      if (i % 50 === 0) expect(r.take('attacker', 0)).toBeGreaterThan(0);
    }
    expect(evicted).toBeGreaterThan(0);
    // Refilled buckets are dropped first: after a minute the fakes are all forgettable.
    expect(r.take('late', 60_000)).toBe(0);
    expect(r.size).toBeLessThanOrEqual(2);
  });
});
