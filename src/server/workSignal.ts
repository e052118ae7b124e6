/**
 * Tells annotators waiting for work that items came free on this server (a revoke, a
 * rejection, an expired lease's sweep): `GET /next?wait=S` waits on it, up to S seconds, instead
 * of the client sleeping until the lease's Retry-After. Other servers on a shared PostgreSQL
 * do not signal here; the wait's cap bounds how late their freed items are seen.
 */
export class WorkSignal {
  private waiters = new Set<() => void>();

  /** Items may be free: wake every waiter (each asks the lease rule again). */
  freed(): void {
    const waiting = this.waiters;
    this.waiters = new Set();
    for (const wake of waiting) wake();
  }

  /** Resolves at the next `freed()`, after `ms`, or when `stop` fires, whichever comes first. */
  wait(ms: number, stop: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        stop.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
      stop.addEventListener('abort', done, { once: true });
    });
  }

  get waiting(): number {
    return this.waiters.size;
  }
}
