/**
 * Storage writes run one after the other, in the order they were issued, so a later edit can
 * never be overwritten by an earlier one that committed late.
 *
 * - `run` queues a write and returns its own result (or failure).
 * - `later` holds a write back until `delayMs` pass without another `later` (or `run`) under
 *   the same key: zoom and pan, slider drags. Only the newest value is written.
 * - `idle` starts every held-back write at once and resolves when everything issued so far has
 *   settled: "saved" means saved, whatever is still waiting for a timer. Tests wait on it.
 * - `status` counts queued writes and keeps the last failure until a later write succeeds, for
 *   "Saving…" / "Not saved" indicators.
 *
 * Every queue is registered, so `whenStorageIdle()` waits for all of them (tests, and code that
 * must not leave the page with writes in flight).
 */
export interface WriteStatus {
  /** Writes queued and not yet settled. */
  readonly pending: number;
  /** Writes held back by `later`, not yet queued. */
  readonly heldBack: number;
  /** The last failure, cleared by the next write that succeeds. */
  readonly error: Error | null;
}

export interface WriteQueue {
  run<T>(write: () => Promise<T>, key?: string): Promise<T>;
  later(key: string, delayMs: number, write: () => Promise<unknown>): Promise<void>;
  idle(): Promise<void>;
  status(): WriteStatus;
  subscribe(listener: () => void): () => void;
}

interface HeldBack {
  write: () => Promise<unknown>;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Settles with the write that finally runs in place of every call held back under this key. */
  resolve: () => void;
  reject: (e: unknown) => void;
  promise: Promise<void>;
}

const queues = new Set<WriteQueue>();

/** Resolves when no registered queue has anything queued or held back. */
export async function whenStorageIdle(): Promise<void> {
  // A settled write may queue another (a follow-up write), so look again until all are quiet.
  for (;;) {
    const busy = [...queues].filter((q) => q.status().pending > 0 || q.status().heldBack > 0);
    if (busy.length === 0) return;
    await Promise.all(busy.map((q) => q.idle()));
  }
}

export function createWriteQueue(): WriteQueue {
  let tail: Promise<unknown> = Promise.resolve();
  let pending = 0;
  let error: Error | null = null;
  let status: WriteStatus = { pending, heldBack: 0, error };
  const listeners = new Set<() => void>();
  const held = new Map<string, HeldBack>();

  const changed = () => {
    status = { pending, heldBack: held.size, error };
    for (const l of listeners) l();
  };

  function run<T>(write: () => Promise<T>, key?: string): Promise<T> {
    const superseded = key === undefined ? undefined : take(key);
    pending++;
    const p = tail.then(write);
    // The books are kept before the caller hears of the outcome, so its status is current then.
    tail = p
      .then(
        () => {
          error = null;
        },
        (e: unknown) => {
          error = e instanceof Error ? e : new Error(String(e));
        },
      )
      .finally(() => {
        pending--;
        changed();
      });
    changed();
    const result = tail.then(() => p);
    if (superseded) result.then(() => superseded.resolve(), superseded.reject);
    return result;
  }

  /** Remove the held-back write under `key`, if any, for the caller to settle. */
  function take(key: string): HeldBack | undefined {
    const h = held.get(key);
    if (!h) return undefined;
    clearTimeout(h.timer);
    held.delete(key);
    return h;
  }

  function start(key: string): void {
    const h = take(key);
    if (!h) return;
    run(h.write).then(() => h.resolve(), h.reject);
  }

  const queue: WriteQueue = {
    run,
    later(key, delayMs, write) {
      let h = held.get(key);
      if (!h) {
        let resolve!: () => void;
        let reject!: (e: unknown) => void;
        const promise = new Promise<void>((res, rej) => {
          resolve = res;
          reject = rej;
        });
        h = { write, timer: undefined, resolve, reject, promise };
        held.set(key, h);
      }
      clearTimeout(h.timer);
      h.write = write;
      h.timer = setTimeout(() => start(key), delayMs);
      changed();
      return h.promise;
    },
    async idle() {
      for (const key of [...held.keys()]) start(key);
      await tail;
    },
    status: () => status,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  queues.add(queue);
  return queue;
}
