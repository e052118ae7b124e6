import type { Progress } from '../core/formats/apiLead.ts';
import { readProgress } from './db/progress.ts';
import type { Db } from './db/database.ts';

/**
 * The live progress behind `GET /api/v1/progress/stream`. While someone listens, progress is
 * read again shortly after each write this server makes (at most every `minIntervalMs`) and at
 * least every `pollMs` (to see other servers' writes on a shared PostgreSQL, and leases that
 * expire), and sent only when it changed. Nobody listening: no work.
 */
export type ProgressListener = (progress: Progress, json: string) => void;

export interface ProgressFeedOptions {
  readonly minIntervalMs?: number;
  readonly pollMs?: number;
}

export class ProgressFeed {
  private readonly listeners = new Set<ProgressListener>();
  private lastJson = '';
  private timer: NodeJS.Timeout | undefined;
  private poller: NodeJS.Timeout | undefined;
  private reading = false;
  private lastRead = 0;
  private readonly minIntervalMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly db: Db,
    private readonly k: number,
    private readonly now: () => number,
    options: ProgressFeedOptions = {},
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 500;
    this.pollMs = options.pollMs ?? 2_000;
  }

  /** Sends the current progress to `listener` at once, then every change; returns the unsubscribe function. */
  async subscribe(listener: ProgressListener): Promise<() => void> {
    const progress = await readProgress(this.db, this.k, this.now());
    const json = JSON.stringify(progress);
    listener(progress, json);
    this.listeners.add(listener);
    this.poller ??= setInterval(() => this.refresh(), this.pollMs).unref();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Something was written: read progress again soon (coalescing bursts of writes). */
  changed(): void {
    if (this.listeners.size === 0 || this.timer) return;
    const wait = Math.max(0, this.lastRead + this.minIntervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, wait).unref();
  }

  private refresh(): void {
    if (this.reading || this.listeners.size === 0) return;
    this.reading = true;
    this.lastRead = Date.now();
    readProgress(this.db, this.k, this.now())
      .then((progress) => {
        const json = JSON.stringify(progress);
        if (json === this.lastJson) return;
        this.lastJson = json;
        for (const l of this.listeners) l(progress, json);
      })
      .catch(() => undefined) // the database is away for a moment; the next poll tries again
      .finally(() => (this.reading = false));
  }

  stop(): void {
    clearTimeout(this.timer);
    clearInterval(this.poller);
    this.timer = undefined;
    this.poller = undefined;
    this.lastJson = '';
  }
}
