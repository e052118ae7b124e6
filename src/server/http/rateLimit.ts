/**
 * Token buckets by key (a study, a client address), in bounded memory: each key may spend
 * `burst` at once and gets `perMinute` back over a minute. At most `maxKeys` buckets are kept;
 * when full, buckets that have refilled completely (they remember nothing) are dropped first,
 * then the oldest. A flood of distinct keys therefore costs at most maxKeys small entries.
 */
export interface RateLimits {
  readonly burst: number;
  readonly perMinute: number;
}

const MINUTE_MS = 60_000;

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limits: RateLimits,
    private readonly maxKeys = 10_000,
  ) {}

  /** Spends one for `key` at `now` (ms): 0 when allowed, else the milliseconds until one is back. */
  take(key: string, now: number): number {
    const { burst, perMinute } = this.limits;
    const b = this.buckets.get(key);
    let tokens = burst;
    if (b) tokens = Math.min(burst, b.tokens + ((now - b.at) * perMinute) / MINUTE_MS);
    if (!b && this.buckets.size >= this.maxKeys) this.evict(now);
    // Re-inserted, refused or not: the most recently used key is the last one evicted, so a
    // key that keeps knocking stays limited.
    this.buckets.delete(key);
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return Math.ceil(((1 - tokens) * MINUTE_MS) / perMinute);
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    return 0;
  }

  get size(): number {
    return this.buckets.size;
  }

  private evict(now: number): void {
    const { burst, perMinute } = this.limits;
    for (const [key, b] of this.buckets) if (b.tokens + ((now - b.at) * perMinute) / MINUTE_MS >= burst) this.buckets.delete(key);
    // Map order is insertion order, and take() re-inserts: the first key is the least recently used.
    while (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
  }
}
