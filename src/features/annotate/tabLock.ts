/**
 * One tab at a time may edit an annotator's work on a pack. Two tabs writing the same drafts
 * would overwrite each other silently; instead the second tab is told the work is open
 * elsewhere and may take it over, which turns the first tab read-only (Web Locks `steal`).
 */
export type LockState = 'held' | 'busy' | 'lost';

export interface TabLock {
  release(): void;
}

/**
 * Resolves with the lock once held (`null` when another tab holds it and `steal` is false);
 * rejects when the browser refuses the request itself, so the caller can say so.
 */
export async function acquireTabLock(name: string, steal: boolean, onChange: (s: LockState) => void): Promise<TabLock | null> {
  const locks = navigator.locks;
  if (!locks) {
    onChange('held');
    return { release() {} };
  }
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  return new Promise<TabLock | null>((resolve, reject) => {
    let granted = false;
    const options: LockOptions = steal ? { steal: true } : { ifAvailable: true };
    locks
      .request(`richhf:${name}`, options, async (lock) => {
        if (!lock) {
          onChange('busy');
          resolve(null);
          return;
        }
        granted = true;
        onChange('held');
        resolve({ release });
        await held;
      })
      .catch((e: unknown) => {
        // Once granted, a rejection means another tab stole the lock: this tab must stop writing.
        if (granted) onChange('lost');
        else reject(new Error(`the browser refused the lock that keeps two tabs from editing the same work (${e instanceof Error ? `${e.name}: ${e.message}` : String(e)})`));
      });
  });
}
