import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// laterChunks.ts keeps whether the first item was shown in module state: a fresh module per test.
async function fresh() {
  vi.resetModules();
  return import('../../src/features/laterChunks.ts');
}

describe('loadLater', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('waits for the first item, then loads when idle; later items change nothing', async () => {
    const { firstItemReady, loadLater } = await fresh();
    const load = vi.fn();
    loadLater(load);
    await vi.advanceTimersByTimeAsync(4000);
    expect(load).not.toHaveBeenCalled();
    firstItemReady();
    expect(load).not.toHaveBeenCalled(); // not in the same task as the first item's drawing
    await vi.advanceTimersByTimeAsync(1);
    expect(load).toHaveBeenCalledTimes(1);
    firstItemReady();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('loads after 5 s when no item shows, and at once (when idle) once one has', async () => {
    const { firstItemReady, loadLater } = await fresh();
    const early = vi.fn();
    loadLater(early);
    await vi.advanceTimersByTimeAsync(4999);
    expect(early).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1); // the 5 s are up: the load waits for the next turn (no requestIdleCallback in Node)
    await vi.advanceTimersByTimeAsync(1);
    expect(early).toHaveBeenCalledTimes(1);
    firstItemReady();
    await vi.advanceTimersByTimeAsync(1);
    expect(early).toHaveBeenCalledTimes(1);
    const late = vi.fn();
    loadLater(late);
    await vi.advanceTimersByTimeAsync(1);
    expect(late).toHaveBeenCalledTimes(1);
  });

  it('a cancelled load never runs', async () => {
    const { firstItemReady, loadLater } = await fresh();
    const before = vi.fn();
    loadLater(before)();
    const after = vi.fn();
    firstItemReady();
    loadLater(after)();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(before).not.toHaveBeenCalled();
    expect(after).not.toHaveBeenCalled();
  });
});
