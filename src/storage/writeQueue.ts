/**
 * Storage writes run one after the other, in the order they were issued, so a later edit can
 * never be overwritten by an earlier one that committed late. `run` returns the write's own
 * result (or failure); `idle` resolves once every write issued so far has settled, which is
 * what tests and "saved" indicators wait for.
 */
export interface WriteQueue {
  run<T>(write: () => Promise<T>): Promise<T>;
  idle(): Promise<void>;
}

export function createWriteQueue(): WriteQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(write) {
      const p = tail.then(write, write);
      tail = p.catch(() => undefined);
      return p;
    },
    idle: () => tail.then(() => undefined),
  };
}
