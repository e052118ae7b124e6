import CRC32 from 'crc-32';

/**
 * A ZIP archive written as a stream, for exports larger than memory (the server's Parquet
 * dataset: shards of up to 500 MB each, gigabytes in all). Entries are stored, not deflated
 * (Parquet shards and PNGs are compressed already), one after the other, each with its sizes
 * and CRC in a data descriptor after its bytes, so nothing needs to be known in advance or
 * held. Every entry and the end records use ZIP64 (APPNOTE 6.3.x, 4.3.9 and 4.5.3), so entries
 * and archives over 4 GiB are valid; unzip, Python's zipfile, 7-Zip and the OS's archive tools
 * read it.
 */
export interface ZipSink {
  (bytes: Uint8Array<ArrayBuffer>): void | Promise<void>;
}

interface Written {
  readonly name: Uint8Array<ArrayBuffer>;
  readonly offset: number;
  readonly size: number;
  readonly crc: number;
}

const utf8 = new TextEncoder();
const FLAGS = 0x0808; // bit 3: sizes in a data descriptor; bit 11: the name is UTF-8
const VERSION = 45; // ZIP64
/** 1980-01-01 00:00 in MS-DOS time and date: entries carry no time (the same bytes every run). */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

class Bytes {
  readonly buf: Uint8Array<ArrayBuffer>;
  private readonly view: DataView;
  private at = 0;
  constructor(size: number) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }
  u16(v: number): this {
    this.view.setUint16(this.at, v, true);
    this.at += 2;
    return this;
  }
  u32(v: number): this {
    this.view.setUint32(this.at, v >>> 0, true);
    this.at += 4;
    return this;
  }
  u64(v: number): this {
    this.view.setUint32(this.at, v % 2 ** 32, true);
    this.view.setUint32(this.at + 4, Math.floor(v / 2 ** 32), true);
    this.at += 8;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.buf.set(b, this.at);
    this.at += b.length;
    return this;
  }
}

export class ZipStream {
  private readonly entries: Written[] = [];
  private offset = 0;
  private current: { name: Uint8Array<ArrayBuffer>; offset: number; size: number; crc: number } | null = null;

  constructor(private readonly sink: ZipSink) {}

  private async emit(bytes: Uint8Array<ArrayBuffer>): Promise<void> {
    this.offset += bytes.length;
    await this.sink(bytes);
  }

  /** Starts an entry (`name` with `/` separators); the previous one must be ended. */
  async begin(name: string): Promise<void> {
    if (this.current) throw new Error('end the current ZIP entry first');
    const encoded = utf8.encode(name);
    this.current = { name: encoded, offset: this.offset, size: 0, crc: 0 };
    const header = new Bytes(30 + encoded.length + 20)
      .u32(0x04034b50)
      .u16(VERSION)
      .u16(FLAGS)
      .u16(0) // stored
      .u16(DOS_TIME)
      .u16(DOS_DATE)
      .u32(0) // CRC: in the data descriptor
      .u32(0xffffffff) // sizes: in the ZIP64 extra field and the data descriptor
      .u32(0xffffffff)
      .u16(encoded.length)
      .u16(20)
      .bytes(encoded)
      .u16(0x0001) // ZIP64 extended information
      .u16(16)
      .u64(0)
      .u64(0);
    await this.emit(header.buf);
  }

  async write(bytes: Uint8Array<ArrayBuffer>): Promise<void> {
    const c = this.current;
    if (!c) throw new Error('begin a ZIP entry first');
    c.crc = CRC32.buf(bytes, c.crc);
    c.size += bytes.length;
    await this.emit(bytes);
  }

  async end(): Promise<void> {
    const c = this.current;
    if (!c) throw new Error('no ZIP entry to end');
    this.current = null;
    this.entries.push(c);
    await this.emit(new Bytes(24).u32(0x08074b50).u32(c.crc).u64(c.size).u64(c.size).buf);
  }

  /** A whole entry at once. */
  async file(name: string, bytes: Uint8Array<ArrayBuffer>): Promise<void> {
    await this.begin(name);
    await this.write(bytes);
    await this.end();
  }

  /** The central directory and the end records. */
  async finish(): Promise<void> {
    if (this.current) throw new Error('end the current ZIP entry first');
    const start = this.offset;
    for (const e of this.entries) {
      const record = new Bytes(46 + e.name.length + 28)
        .u32(0x02014b50)
        .u16((3 << 8) | VERSION) // made by: Unix
        .u16(VERSION)
        .u16(FLAGS)
        .u16(0)
        .u16(DOS_TIME)
        .u16(DOS_DATE)
        .u32(e.crc)
        .u32(0xffffffff)
        .u32(0xffffffff)
        .u16(e.name.length)
        .u16(28)
        .u16(0) // comment
        .u16(0) // disk
        .u16(0) // internal attributes
        .u32((0o100644 << 16) >>> 0) // a regular file, rw-r--r--
        .u32(0xffffffff) // offset: in the ZIP64 extra field
        .bytes(e.name)
        .u16(0x0001)
        .u16(24)
        .u64(e.size)
        .u64(e.size)
        .u64(e.offset);
      await this.emit(record.buf);
    }
    const size = this.offset - start;
    const end64 = this.offset;
    const n = this.entries.length;
    const tail = new Bytes(56 + 20 + 22)
      .u32(0x06064b50) // ZIP64 end of central directory record
      .u64(44)
      .u16((3 << 8) | VERSION)
      .u16(VERSION)
      .u32(0)
      .u32(0)
      .u64(n)
      .u64(n)
      .u64(size)
      .u64(start)
      .u32(0x07064b50) // its locator
      .u32(0)
      .u64(end64)
      .u32(1)
      .u32(0x06054b50) // end of central directory, its fields saying "see ZIP64"
      .u16(0)
      .u16(0)
      .u16(0xffff)
      .u16(0xffff)
      .u32(0xffffffff)
      .u32(0xffffffff)
      .u16(0);
    await this.emit(tail.buf);
  }
}
