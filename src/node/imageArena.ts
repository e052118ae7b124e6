/**
 * Memory for the image files the Parquet writer thread reads (parquetWorker.ts), reused from row
 * group to row group instead of a fresh buffer per image.
 *
 * Why: every fresh buffer is memory outside V8's heap, and V8 answers each 64 MB or so of it
 * with a full collection of the heap that allocated it. At about 130 KB an image, the writer
 * thread's heap was collected some 25 times for 5,000 items (about 0.4 s of CPU of a run whose
 * export costs 2.5 s, `--trace-gc`), for memory that is garbage as soon as its row group is in
 * the file. Here images are cut from slabs of `slabBytes`, and a slab is used again once every
 * image in it has been released (ParquetExport's `released`: its row group is written).
 *
 * A split's images stay in the export until that split's row group is written, so each key (the
 * split) fills slabs of its own: the few validation images among the training ones do not hold
 * the training slabs. An image larger than a quarter of a slab gets a buffer of its own.
 */
interface Slab {
  readonly buffer: ArrayBuffer;
  /** Bytes handed out from its start. */
  used: number;
  /** Images handed out and not yet released. */
  live: number;
  /** No longer the slab its key cuts from: free once nothing in it is live. */
  retired: boolean;
}

export class ImageArena {
  private readonly current = new Map<string, Slab>();
  /** Slabs with live images or still cut from, by their buffer. */
  private readonly slabs = new Map<ArrayBuffer, Slab>();
  private readonly spare: ArrayBuffer[] = [];

  /**
   * @param slabBytes the size of a slab
   * @param spareSlabs free slabs kept for reuse at most (the others are left to the collector)
   */
  constructor(
    private readonly slabBytes = 16 << 20,
    private readonly spareSlabs = 4,
  ) {}

  /** `size` bytes (not zeroed: a reused slab holds earlier images) for an image of `key`. */
  allocate(size: number, key: string): Uint8Array<ArrayBuffer> {
    if (size > this.slabBytes / 4) return new Uint8Array(size);
    let slab = this.current.get(key);
    if (!slab || slab.used + size > this.slabBytes) {
      if (slab) {
        slab.retired = true;
        this.free(slab);
      }
      slab = { buffer: this.spare.pop() ?? new ArrayBuffer(this.slabBytes), used: 0, live: 0, retired: false };
      this.slabs.set(slab.buffer, slab);
      this.current.set(key, slab);
    }
    const bytes = new Uint8Array(slab.buffer, slab.used, size);
    slab.used += size;
    slab.live++;
    return bytes;
  }

  /** Bytes from allocate() (or a part of them) that nothing reads any more; others are ignored. */
  release(bytes: Uint8Array): void {
    const slab = this.slabs.get(bytes.buffer as ArrayBuffer);
    if (!slab) return;
    slab.live--;
    this.free(slab);
  }

  /** Slabs in use (live images or cut from) and kept spare: for tests. */
  get counts(): { readonly inUse: number; readonly spare: number } {
    return { inUse: this.slabs.size, spare: this.spare.length };
  }

  private free(slab: Slab): void {
    if (slab.live > 0) return;
    if (!slab.retired) {
      slab.used = 0; // still its key's slab, and empty: cut from its start again
      return;
    }
    this.slabs.delete(slab.buffer);
    if (this.spare.length < this.spareSlabs) this.spare.push(slab.buffer);
  }
}
