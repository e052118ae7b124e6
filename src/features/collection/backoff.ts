/**
 * Waiting before trying again: the outbox sender, the annotator's session (who am I, the next
 * item) and the lead's live stream all back off the same way, with one timer each.
 */

/** Milliseconds before the n-th retry (n from 1): 1 s, 2 s, 4 s, 8 s, then every 15 s; ±20 % so clients spread out. */
export function backoffMs(n: number, random = Math.random): number {
  const base = Math.min(15_000, 1000 * 2 ** Math.max(0, n - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** One pending retry at most: scheduling another replaces it. */
export interface RetryTimer {
  schedule(fn: () => void, ms: number): void;
  cancel(): void;
}

export function createRetryTimer(): RetryTimer {
  let pending: ReturnType<typeof setTimeout> | undefined;
  const cancel = () => {
    clearTimeout(pending);
    pending = undefined;
  };
  return {
    schedule(fn, ms) {
      cancel();
      pending = setTimeout(() => {
        pending = undefined;
        fn();
      }, ms);
    },
    cancel,
  };
}
