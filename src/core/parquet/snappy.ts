/**
 * Snappy compression, byte for byte what hyparquet-writer's snappyCompress (snappy.js, itself
 * snappyjs's compressor) gives, written into one buffer reused from call to call. Theirs
 * appends to a ByteWriter that starts at 1 KiB and doubles, and makes two typed-array views for
 * every literal it copies: for a 20,000-item export, about a sixth of everything the writer
 * thread allocated, for pages of a few KiB. The result is a copy of its own (the writer may keep
 * what it is given). The dataset's shards are written with it (parquetDataset.ts's compressors).
 *
 * tests/unit/parquetSnappy.test.ts holds it to snappyCompress on random and repetitive inputs.
 */
const MAX_HASH_TABLE_BITS = 14;
const MAX_OFFSET = 0xffff;
const INPUT_MARGIN = 15;

const hashTables: Uint32Array[] = [];
let out = new Uint8Array(1 << 16);

export function snappyCompress(input: Uint8Array): Uint8Array<ArrayBuffer> {
  // The worst case: every byte a literal, a tag per 60 of them, and the length's varint.
  const bound = 32 + input.length + Math.ceil(input.length / 6);
  if (out.length < bound) out = new Uint8Array(Math.max(bound, 2 * out.length));
  let o = 0;
  for (let v = input.length; ; v >>>= 7) {
    if ((v & ~0x7f) === 0) {
      out[o++] = v;
      break;
    }
    out[o++] = (v & 0x7f) | 0x80;
  }
  o = compressInput(out, o, input);
  return out.slice(0, o);
}

function hashOf(key: number, shift: number): number {
  return Math.imul(key, 0x1e35a7bd) >>> shift;
}

function load32(a: Uint8Array, p: number): number {
  return a[p]! + (a[p + 1]! << 8) + (a[p + 2]! << 16) + (a[p + 3]! << 24);
}

function equals32(a: Uint8Array, p: number, q: number): boolean {
  return a[p] === a[q] && a[p + 1] === a[q + 1] && a[p + 2] === a[q + 2] && a[p + 3] === a[q + 3];
}

function emitLiteral(out: Uint8Array, o: number, input: Uint8Array, ip: number, len: number): number {
  if (len <= 60) out[o++] = (len - 1) << 2;
  else {
    const value = len - 1;
    const bytes = value < 0x100 ? 1 : value < 0x10000 ? 2 : value < 0x1000000 ? 3 : 4;
    out[o++] = (59 + bytes) << 2;
    for (let i = 0; i < bytes; i++) out[o++] = value >>> (i * 8);
  }
  out.set(input.subarray(ip, ip + len), o);
  return o + len;
}

function emitCopyLessThan64(out: Uint8Array, o: number, offset: number, len: number): number {
  if (len < 12 && offset < 2048) {
    out[o++] = 1 + ((len - 4) << 2) + ((offset >>> 8) << 5);
    out[o++] = offset & 0xff;
  } else {
    out[o++] = 2 + ((len - 1) << 2);
    out[o++] = offset & 0xff;
    out[o++] = offset >>> 8;
  }
  return o;
}

function emitCopy(out: Uint8Array, o: number, offset: number, len: number): number {
  while (len >= 68) {
    o = emitCopyLessThan64(out, o, offset, 64);
    len -= 64;
  }
  if (len > 64) {
    o = emitCopyLessThan64(out, o, offset, 60);
    len -= 60;
  }
  return emitCopyLessThan64(out, o, offset, len);
}

/** snappy.js's compressInput, its control flow kept as it is (so the bytes are the same). */
function compressInput(out: Uint8Array, o: number, input: Uint8Array): number {
  const inputSize = input.length;
  let hashTableBits = 1;
  while (1 << hashTableBits <= inputSize && hashTableBits <= MAX_HASH_TABLE_BITS) hashTableBits++;
  hashTableBits--;
  const shift = 32 - hashTableBits;
  const table = (hashTables[hashTableBits] ??= new Uint32Array(1 << hashTableBits));
  table.fill(0);

  const ipEnd = inputSize;
  let ip = 0;
  let nextEmit = 0;
  if (inputSize >= INPUT_MARGIN) {
    const ipLimit = ipEnd - INPUT_MARGIN;
    ip++;
    let nextHash = hashOf(load32(input, ip), shift);
    let candidate: number;
    outer: for (;;) {
      let skip = 32;
      let nextIp = ip;
      do {
        ip = nextIp;
        const hash = nextHash;
        const step = skip >>> 5;
        skip++;
        nextIp = ip + step;
        if (ip > ipLimit) break outer;
        nextHash = hashOf(load32(input, nextIp), shift);
        candidate = table[hash]!;
        table[hash] = ip;
      } while (ip - candidate > MAX_OFFSET || !equals32(input, ip, candidate));

      o = emitLiteral(out, o, input, nextEmit, ip - nextEmit);
      do {
        const base = ip;
        let matched = 4;
        while (ip + matched < ipEnd && input[ip + matched] === input[candidate + matched]) matched++;
        ip += matched;
        o = emitCopy(out, o, base - candidate, matched);
        nextEmit = ip;
        if (ip >= ipLimit) break outer;
        table[hashOf(load32(input, ip - 1), shift)] = ip - 1;
        const current = hashOf(load32(input, ip), shift);
        candidate = table[current]!;
        table[current] = ip;
      } while (ip - candidate <= MAX_OFFSET && equals32(input, ip, candidate));

      ip++;
      nextHash = hashOf(load32(input, ip), shift);
    }
  }
  if (nextEmit < ipEnd) o = emitLiteral(out, o, input, nextEmit, ipEnd - nextEmit);
  return o;
}
