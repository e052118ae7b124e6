import type { Progress } from '../core/formats/apiLead.ts';

/**
 * The live progress behind `GET /api/v1/progress/stream`. One read of the database serves every
 * stream: a stream that opens gets the progress the others have (or joins the read under way),
 * and each read's result is sent to all of them, so 500 streams cost what one does. While
 * anyone listens, progress is read again shortly after each write this server makes (at most
 * every `minIntervalMs`) and at least every `pollMs` (to see other servers' writes on a shared
 * PostgreSQL, and leases that expire), and sent only when it changed. Nobody listening: no
 * reads, nothing kept.
 */
export type ProgressListener = (progress: Progress, json: string) => void;

export interface ProgressFeedOptions {
  readonly minIntervalMs?: number;
  readonly pollMs?: number;
}

export class ProgressFeed {
  private readonly listeners = new Set<ProgressListener>();
  /** The last progress read while someone listens; what a new stream gets at once. */
  private latest: { readonly progress: Progress; readonly json: string } | undefined;
  private reading: Promise<void> | undefined;
  /** A change came while a read was under way (it may not show it): read again after it. */
  private stale = false;
  private timer: NodeJS.Timeout | undefined;
  private poller: NodeJS.Timeout | undefined;
  private lastRead = 0;
  private readonly minIntervalMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly read: () => Promise<Progress>,
    options: ProgressFeedOptions = {},
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 500;
    this.pollMs = options.pollMs ?? 2_000;
  }

  /** Sends the current progress to `listener` (at once, or with the read under way), then every change; returns the unsubscribe function. */
  async subscribe(listener: ProgressListener): Promise<() => void> {
    this.listeners.add(listener);
    this.poller ??= setInterval(() => void this.refresh(), this.pollMs).unref();
    if (this.latest) listener(this.latest.progress, this.latest.json);
    else await this.refresh();
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
    if (this.listeners.size === 0) return;
    if (this.reading) {
      this.stale = true;
      return;
    }
    if (this.timer) return;
    const wait = Math.max(0, this.lastRead + this.minIntervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, wait).unref();
  }

  /** Reads progress once for everyone (joining a read under way) and sends it to every listener if it changed. */
  private refresh(): Promise<void> {
    if (this.listeners.size === 0) return Promise.resolve();
    this.reading ??= (async () => {
      this.lastRead = Date.now();
      this.stale = false;
      try {
        const progress = await this.read();
        if (this.listeners.size === 0) return;
        const json = JSON.stringify(progress);
        if (json === this.latest?.json) return;
        this.latest = { progress, json };
        for (const l of this.listeners) l(progress, json);
      } catch {
        // The database is away for a moment; the next change or poll reads again.
      } finally {
        this.reading = undefined;
        if (this.stale) this.changed();
      }
    })();
    return this.reading;
  }

  stop(): void {
    clearTimeout(this.timer);
    clearInterval(this.poller);
    this.timer = undefined;
    this.poller = undefined;
    this.latest = undefined;
    this.stale = false;
  }
}
