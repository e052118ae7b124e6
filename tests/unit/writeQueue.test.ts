import { afterEach, describe, expect, test, vi } from 'vitest';
import { createWriteQueue, whenStorageIdle } from '../../src/storage/writeQueue.ts';

/** A write that records its value in `log` once it runs. */
const writer = (log: string[], value: string) => async () => {
  await Promise.resolve();
  log.push(value);
};

afterEach(() => vi.useRealTimers());

describe('write queue', () => {
  test('writes commit in the order they were issued, and idle() waits for all of them', async () => {
    const q = createWriteQueue();
    const log: string[] = [];
    const slow = async () => {
      for (let i = 0; i < 5; i++) await Promise.resolve();
      log.push('a');
    };
    void q.run(slow);
    void q.run(writer(log, 'b'));
    expect(q.status().pending).toBe(2);
    await q.idle();
    expect(log).toEqual(['a', 'b']);
    expect(q.status().pending).toBe(0);
  });

  test('a failure is returned to its caller, kept in status, and cleared by the next success', async () => {
    const q = createWriteQueue();
    const failed = q.run(() => Promise.reject(new Error('disk full')));
    await expect(failed).rejects.toThrow('disk full');
    await q.idle();
    expect(q.status().error?.message).toBe('disk full');
    await q.run(async () => 1);
    expect(q.status().error).toBeNull();
  });

  test('held-back writes under one key write only the newest value, once the delay passes', async () => {
    vi.useFakeTimers();
    const q = createWriteQueue();
    const log: string[] = [];
    const first = q.later('view', 250, writer(log, 'v1'));
    vi.advanceTimersByTime(200);
    const second = q.later('view', 250, writer(log, 'v2'));
    vi.advanceTimersByTime(200);
    expect(log).toEqual([]);
    expect(q.status().heldBack).toBe(1);
    vi.advanceTimersByTime(50);
    await Promise.all([first, second]);
    expect(log).toEqual(['v2']);
    expect(q.status().heldBack).toBe(0);
  });

  test('idle() starts held-back writes at once instead of waiting for their timer', async () => {
    vi.useFakeTimers();
    const q = createWriteQueue();
    const log: string[] = [];
    const held = q.later('view', 60_000, writer(log, 'view'));
    await q.idle();
    expect(log).toEqual(['view']);
    await held;
  });

  test('a write under the same key replaces a held-back one, which settles with it', async () => {
    vi.useFakeTimers();
    const q = createWriteQueue();
    const log: string[] = [];
    const held = q.later('session', 250, writer(log, 'old view'));
    await q.run(writer(log, 'new item'), 'session');
    await held;
    vi.advanceTimersByTime(1000);
    await q.idle();
    expect(log).toEqual(['new item']);
  });

  test('a held-back write that fails rejects the promise of every call it stood for', async () => {
    const q = createWriteQueue();
    const a = q.later('k', 250, () => Promise.reject(new Error('no')));
    const b = q.later('k', 250, () => Promise.reject(new Error('quota')));
    await q.idle();
    await expect(a).rejects.toThrow('quota');
    await expect(b).rejects.toThrow('quota');
  });

  test('whenStorageIdle() waits for every queue, held-back writes included', async () => {
    vi.useFakeTimers();
    const q1 = createWriteQueue();
    const q2 = createWriteQueue();
    const log: string[] = [];
    void q1.run(writer(log, 'draft'));
    void q2.later('settings', 60_000, writer(log, 'settings'));
    await whenStorageIdle();
    expect(log.sort()).toEqual(['draft', 'settings']);
  });
});
