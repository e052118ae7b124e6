/**
 * One tab at a time may edit an annotator's work on a pack. Two tabs writing the same drafts
 * would overwrite each other silently; instead the second tab is told the work is open
 * elsewhere and may take it over, which turns the first tab read-only (Web Locks `steal`).
 */
export type LockState = 'held' | 'busy' | 'lost';

export interface TabLock {
  release(): void;
}

export async function acquireTabLock(name: string, steal: boolean, onChange: (s: LockState) => void): Promise<TabLock | null> {
  const locks = navigator.locks;
  if (!locks) {
    onChange('held');
    return { release() {} };
  }
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  return new Promise<TabLock | null>((resolve) => {
    const options: LockOptions = steal ? { steal: true } : { ifAvailable: true };
    locks
      .request(`richhf:${name}`, options, async (lock) => {
        if (!lock) {
          onChange('busy');
          resolve(null);
          return;
        }
        onChange('held');
        resolve({ release });
        await held;
      })
      .catch(() => {
        // Another tab stole the lock: this tab must stop writing.
        onChange('lost');
      });
  });
}
