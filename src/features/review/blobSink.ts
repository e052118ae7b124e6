/** Parts are folded into a Blob this often, so they do not pile up in the worker. */
const FLUSH_EVERY = 512;

/**
 * A file made in the review worker, gathered as a Blob made of parts: every FLUSH_EVERY parts
 * become a Blob of their own (which the browser may keep outside the worker's memory), so the
 * worker never holds the whole file, and the page receives a single Blob handle.
 */
export class BlobSink {
  private parts: BlobPart[] = [];
  private blobs: Blob[] = [];
  constructor(private readonly type: string = '') {}
  push(part: Uint8Array<ArrayBuffer>): void {
    this.parts.push(part);
    if (this.parts.length >= FLUSH_EVERY) this.flush();
  }
  private flush(): void {
    if (this.parts.length) this.blobs.push(new Blob(this.parts));
    this.parts = [];
  }
  finish(): Blob {
    this.flush();
    return new Blob(this.blobs, { type: this.type });
  }
}
