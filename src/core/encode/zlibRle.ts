/**
 * zlib's deflate with the Z_RLE strategy (zlib.deflateSync(raw, { strategy: Z_RLE }) at any
 * level 1-9), reproduced byte for byte in JavaScript, from runs of equal bytes.
 *
 * Heatmap scanlines are a few long runs per row, so the input is taken as runs (ByteRuns) and
 * the cost is per run, not per byte: Z_RLE's only matches are repeats of the previous byte
 * (distance 1), which a run description gives directly. Every decision zlib makes is followed
 * exactly, so the dataset's PNG bytes are the same in the browser, the command line and the
 * server, and the same as native zlib wrote them before:
 * - tokens (deflate.c deflate_rle): the first byte of a run is a literal; the rest goes in
 *   matches of up to 258 bytes while 3 or more remain, then 0-2 literals;
 * - blocks: a block ends after lit_bufsize - 1 = 16383 symbols (memLevel 8), the last one at
 *   the end of the input;
 * - each block (trees.c _tr_flush_block) is stored, fixed-Huffman or dynamic-Huffman by
 *   zlib's size estimates, with its Huffman trees built by zlib's own heap algorithm (build_tree,
 *   gen_bitlen with its overflow repair, scan_tree/send_tree run-length coding); a stored block
 *   is possible only while the block's start is still inside zlib's 64 KB window, which is
 *   tracked as fill_window slides it;
 * - header 78 01 (Z_RLE sets FLEVEL 0), Adler-32 trailer.
 * tests/unit/zlibRle.test.ts checks all of this against Node's zlib on generated inputs.
 */

/** values[i] repeated lengths[i] times, for i < count; equal neighbours are allowed. */
export interface ByteRuns {
  readonly values: Uint8Array;
  readonly lengths: Int32Array;
  readonly count: number;
}

const MIN_MATCH = 3;
const MAX_MATCH = 258;
const MIN_LOOKAHEAD = MAX_MATCH + MIN_MATCH + 1;
const W_SIZE = 1 << 15;
const WINDOW_SIZE = 2 * W_SIZE;
const MAX_DIST = W_SIZE - MIN_LOOKAHEAD;
/** lit_bufsize - 1 for memLevel 8: symbols per block. */
const SYM_END = (1 << (8 + 6)) - 1;

const LITERALS = 256;
const END_BLOCK = 256;
const L_CODES = LITERALS + 1 + 29;
const D_CODES = 30;
const BL_CODES = 19;
const HEAP_SIZE = 2 * L_CODES + 1;
const MAX_BITS = 15;
const MAX_BL_BITS = 7;
const REP_3_6 = 16;
const REPZ_3_10 = 17;
const REPZ_11_138 = 18;

const EXTRA_LBITS = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const EXTRA_DBITS = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const EXTRA_BLBITS = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7];
const BL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** For match length - 3 (0..255): length code (0..28) and its base (trees.c _length_code, base_length). */
const LENGTH_CODE = new Uint8Array(256);
const BASE_LENGTH = new Int32Array(29);
{
  let length = 0;
  for (let code = 0; code < 28; code++) {
    BASE_LENGTH[code] = length;
    for (let n = 0; n < 1 << EXTRA_LBITS[code]!; n++) LENGTH_CODE[length++] = code;
  }
  // Length 258 (255) gets code 28, overwriting the last entry of code 27, as trees.c does.
  LENGTH_CODE[length - 1] = 28;
  BASE_LENGTH[28] = 255;
}

function reverseBits(code: number, len: number): number {
  let res = 0;
  do {
    res |= code & 1;
    code >>>= 1;
    res <<= 1;
  } while (--len > 0);
  return res >>> 1;
}

/** Canonical codes for the lengths (trees.c gen_codes), bit-reversed for LSB-first output. */
function genCodes(len: ArrayLike<number>, maxCode: number, blCount: ArrayLike<number>, code: Uint16Array): void {
  const next = new Uint16Array(MAX_BITS + 1);
  let c = 0;
  for (let bits = 1; bits <= MAX_BITS; bits++) {
    c = (c + blCount[bits - 1]!) << 1;
    next[bits] = c;
  }
  for (let n = 0; n <= maxCode; n++) {
    const l = len[n]!;
    if (l !== 0) code[n] = reverseBits(next[l]!++, l);
  }
}

/** Fixed-Huffman lengths and codes (RFC 1951 3.2.6). */
const STATIC_LLEN = new Uint8Array(L_CODES + 2);
const STATIC_LCODE = new Uint16Array(L_CODES + 2);
const STATIC_DLEN = new Uint8Array(D_CODES).fill(5);
const STATIC_DCODE = new Uint16Array(D_CODES);
{
  const count = new Uint16Array(MAX_BITS + 1);
  for (let n = 0; n < L_CODES + 2; n++) {
    const l = n < 144 ? 8 : n < 256 ? 9 : n < 280 ? 7 : 8;
    STATIC_LLEN[n] = l;
    count[l]!++;
  }
  genCodes(STATIC_LLEN, L_CODES + 1, count, STATIC_LCODE);
  for (let n = 0; n < D_CODES; n++) STATIC_DCODE[n] = reverseBits(n, 5);
}

interface Tree {
  readonly freq: Uint16Array;
  readonly len: Uint16Array;
  readonly dad: Uint16Array;
  readonly code: Uint16Array;
  readonly elems: number;
  readonly staticLen: Uint8Array | null;
  readonly extra: readonly number[];
  readonly extraBase: number;
  readonly maxLength: number;
  maxCode: number;
}

function tree(elems: number, staticLen: Uint8Array | null, extra: readonly number[], extraBase: number, maxLength: number): Tree {
  return {
    freq: new Uint16Array(HEAP_SIZE),
    len: new Uint16Array(HEAP_SIZE),
    dad: new Uint16Array(HEAP_SIZE),
    code: new Uint16Array(HEAP_SIZE),
    elems,
    staticLen,
    extra,
    extraBase,
    maxLength,
    maxCode: 0,
  };
}

/** One deflate stream's state: zlib's deflate_state, for the parts Z_RLE uses. */
class Deflater {
  // Output and bit buffer (LSB first, as deflate packs bits).
  out = new Uint8Array(1 << 12);
  pos = 0;
  private bitBuf = 0;
  private bitCount = 0;

  // The block being gathered, as runs of equal symbols: syms[i] repeated reps[i] times, where a
  // symbol is a literal byte (0..255) or 256 + match length - 3. nsym counts single symbols.
  private readonly syms = new Uint16Array(SYM_END);
  private readonly reps = new Int32Array(SYM_END);
  private entries = 0;
  private nsym = 0;
  /** Set while singleBlock() writes its block: the symbols come from these runs, not from syms. */
  private runs: ByteRuns | null = null;
  // Per match length - 3: the whole code (length code, extra bits, distance code) and its bit count.
  private readonly matchCode = new Int32Array(256);
  private readonly matchBits = new Uint8Array(256);
  private blockStart = 0;
  private readonly ltree = tree(L_CODES, STATIC_LLEN, EXTRA_LBITS, LITERALS + 1, MAX_BITS);
  private readonly dtree = tree(D_CODES, STATIC_DLEN, EXTRA_DBITS, 0, MAX_BITS);
  private readonly bltree = tree(BL_CODES, null, EXTRA_BLBITS, 0, MAX_BL_BITS);
  private optLen = 0;
  private staticLen = 0;

  // Heap for tree building, shared by the three trees (trees.c heap, depth, bl_count).
  private readonly heap = new Int32Array(HEAP_SIZE);
  private heapLen = 0;
  private heapMax = 0;
  private readonly depth = new Uint8Array(HEAP_SIZE);
  private readonly blCount = new Uint16Array(MAX_BITS + 1);

  // zlib's window, in input positions: [windowBase, loaded) is in it; stored blocks need blockStart >= windowBase.
  private windowBase = 0;
  private loaded = 0;

  private total = 0;
  /** The input bytes [from, to), for a stored block (only ever needed for incompressible data). */
  private bytes: (from: number, to: number) => Uint8Array = () => new Uint8Array(0);

  /** Starts a new stream (the buffers are reused: encoding is synchronous). */
  reset(total: number, bytes: (from: number, to: number) => Uint8Array): void {
    this.total = total;
    this.bytes = bytes;
    this.pos = 0;
    this.bitBuf = 0;
    this.bitCount = 0;
    this.blockStart = 0;
    this.windowBase = 0;
    this.loaded = 0;
    this.initBlock();
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.out.length) return;
    const grown = new Uint8Array(Math.max(this.out.length * 2, this.pos + extra + 1024));
    grown.set(this.out.subarray(0, this.pos));
    this.out = grown;
  }

  byte(b: number): void {
    this.ensure(1);
    this.out[this.pos++] = b;
  }

  private sendBits(value: number, length: number): void {
    this.bitBuf |= value << this.bitCount;
    this.bitCount += length;
    while (this.bitCount >= 8) {
      this.out[this.pos++] = this.bitBuf & 0xff;
      this.bitBuf >>>= 8;
      this.bitCount -= 8;
    }
  }

  private windup(): void {
    if (this.bitCount > 0) this.out[this.pos++] = this.bitBuf & 0xff;
    this.bitBuf = 0;
    this.bitCount = 0;
  }

  private initBlock(): void {
    this.ltree.freq.fill(0, 0, L_CODES);
    this.dtree.freq.fill(0, 0, D_CODES);
    this.bltree.freq.fill(0, 0, BL_CODES);
    this.ltree.freq[END_BLOCK] = 1;
    this.optLen = 0;
    this.staticLen = 0;
    this.nsym = 0;
    this.entries = 0;
  }

  /**
   * deflate.c fill_window, in input positions: called before each symbol while at most
   * MAX_MATCH bytes are loaded ahead of `at`; it slides the window by 32 KB once `at` is
   * MAX_DIST past its upper half, then loads as much input as fits.
   */
  private fillWindow(at: number): void {
    do {
      let more = WINDOW_SIZE - (this.loaded - this.windowBase);
      if (at - this.windowBase >= W_SIZE + MAX_DIST) {
        this.windowBase += W_SIZE;
        more += W_SIZE;
      }
      if (this.loaded === this.total) break;
      this.loaded += Math.min(more, this.total - this.loaded);
    } while (this.loaded - at < MIN_LOOKAHEAD && this.loaded < this.total);
  }

  /** Before the symbol that starts at input position `at`. */
  private beforeSymbol(at: number): void {
    if (this.loaded - at <= MAX_MATCH) this.fillWindow(at);
  }

  /** `count` copies of a symbol, the first at input position `at`, each `size` input bytes long. */
  private tally(sym: number, count: number, size: number, at: number): void {
    const lfreq = this.ltree.freq;
    const code = sym < 256 ? sym : LENGTH_CODE[sym - 256]! + LITERALS + 1;
    if (count === 1) {
      // The common case, without the batching arithmetic below.
      this.beforeSymbol(at);
      const last = this.entries - 1;
      if (last >= 0 && this.syms[last] === sym) this.reps[last]!++;
      else {
        this.syms[this.entries] = sym;
        this.reps[this.entries++] = 1;
      }
      lfreq[code]!++;
      if (sym >= 256) this.dtree.freq[0]!++;
      if (++this.nsym === SYM_END) this.flushBlock(at + size, false);
      return;
    }
    while (count > 0) {
      this.beforeSymbol(at);
      // The copies that start before loaded - MAX_MATCH need no fill_window: take them at once.
      const ahead = this.loaded - MAX_MATCH - at;
      let n = ahead > 0 ? Math.ceil(ahead / size) : 1;
      if (n > count) n = count;
      if (n > SYM_END - this.nsym) n = SYM_END - this.nsym;
      const last = this.entries - 1;
      if (last >= 0 && this.syms[last] === sym) this.reps[last]! += n;
      else {
        this.syms[this.entries] = sym;
        this.reps[this.entries++] = n;
      }
      this.nsym += n;
      lfreq[code]! += n;
      if (sym >= 256) this.dtree.freq[0]! += n; // distance 1: d_code(0) = 0
      at += n * size;
      count -= n;
      if (this.nsym === SYM_END) this.flushBlock(at, false);
    }
  }

  /** `count` literals of `value`, starting at `at`. */
  literals(value: number, count: number, at: number): void {
    this.tally(value, count, 1, at);
  }

  /** `count` repeats of the previous byte, each `length` (3..258) long, the first at `at`. */
  matches(length: number, count: number, at: number): void {
    this.tally(256 + length - MIN_MATCH, count, length, at);
  }

  /** The Adler-32 trailer (big-endian); the finished stream. */
  finishStream(check: number): Uint8Array {
    this.byte(check >>> 24);
    this.byte((check >>> 16) & 0xff);
    this.byte((check >>> 8) & 0xff);
    this.byte(check & 0xff);
    return this.out.slice(0, this.pos);
  }

  /** deflate.c's end of input with Z_FINISH: the last block, then the bits padded to a byte. */
  finish(end: number): void {
    this.beforeSymbol(end); // zlib calls fill_window once more before it sees the input end
    this.flushBlock(end, true);
  }

  private smaller(t: Tree, n: number, m: number): boolean {
    const f = t.freq;
    return f[n]! < f[m]! || (f[n] === f[m] && this.depth[n]! <= this.depth[m]!);
  }

  private pqdownheap(t: Tree, k: number): void {
    const heap = this.heap;
    const v = heap[k]!;
    let j = k << 1;
    while (j <= this.heapLen) {
      if (j < this.heapLen && this.smaller(t, heap[j + 1]!, heap[j]!)) j++;
      if (this.smaller(t, v, heap[j]!)) break;
      heap[k] = heap[j]!;
      k = j;
      j <<= 1;
    }
    heap[k] = v;
  }

  /** trees.c gen_bitlen: code lengths from the tree, limited to maxLength; updates optLen/staticLen. */
  private genBitlen(t: Tree): void {
    const { freq, len, dad, staticLen: stree, extra, extraBase, maxLength, maxCode } = t;
    const heap = this.heap;
    const blCount = this.blCount;
    blCount.fill(0);
    len[heap[this.heapMax]!] = 0; // root
    let overflow = 0;
    let h: number;
    for (h = this.heapMax + 1; h < HEAP_SIZE; h++) {
      const n = heap[h]!;
      let bits = len[dad[n]!]! + 1;
      if (bits > maxLength) {
        bits = maxLength;
        overflow++;
      }
      len[n] = bits;
      if (n > maxCode) continue; // not a leaf
      blCount[bits]!++;
      const xbits = n >= extraBase ? extra[n - extraBase]! : 0;
      const f = freq[n]!;
      this.optLen += f * (bits + xbits);
      if (stree) this.staticLen += f * (stree[n]! + xbits);
    }
    if (overflow === 0) return;
    do {
      let bits = maxLength - 1;
      while (blCount[bits] === 0) bits--;
      blCount[bits]!--;
      blCount[bits + 1]! += 2;
      blCount[maxLength]!--;
      overflow -= 2;
    } while (overflow > 0);
    for (let bits = maxLength; bits !== 0; bits--) {
      let n = blCount[bits]!;
      while (n !== 0) {
        const m = heap[--h]!;
        if (m > maxCode) continue;
        if (len[m] !== bits) {
          this.optLen += (bits - len[m]!) * freq[m]!;
          len[m] = bits;
        }
        n--;
      }
    }
  }

  /** trees.c build_tree. */
  private buildTree(t: Tree): void {
    const { freq, len, dad, elems, staticLen: stree } = t;
    const heap = this.heap;
    const depth = this.depth;
    this.heapLen = 0;
    this.heapMax = HEAP_SIZE;
    let maxCode = -1;
    for (let n = 0; n < elems; n++) {
      if (freq[n] !== 0) {
        heap[++this.heapLen] = maxCode = n;
        depth[n] = 0;
      } else len[n] = 0;
    }
    // At least two codes, so that each code has at least one bit.
    while (this.heapLen < 2) {
      const node = (heap[++this.heapLen] = maxCode < 2 ? ++maxCode : 0);
      freq[node] = 1;
      depth[node] = 0;
      this.optLen--;
      if (stree) this.staticLen -= stree[node]!;
    }
    t.maxCode = maxCode;
    for (let n = this.heapLen >> 1; n >= 1; n--) this.pqdownheap(t, n);
    let node = elems;
    do {
      const n = heap[1]!;
      heap[1] = heap[this.heapLen--]!;
      this.pqdownheap(t, 1);
      const m = heap[1]!;
      heap[--this.heapMax] = n;
      heap[--this.heapMax] = m;
      freq[node] = freq[n]! + freq[m]!;
      depth[node] = (depth[n]! >= depth[m]! ? depth[n]! : depth[m]!) + 1;
      dad[n] = dad[m] = node;
      heap[1] = node++;
      this.pqdownheap(t, 1);
    } while (this.heapLen >= 2);
    heap[--this.heapMax] = heap[1]!;
    this.genBitlen(t);
    genCodes(len, maxCode, this.blCount, t.code);
  }

  /** trees.c scan_tree (count = true) and send_tree (count = false): run-length coded code lengths. */
  private walkTree(t: Tree, count: boolean): void {
    const { len, maxCode } = t;
    const bl = this.bltree;
    let prevlen = -1;
    let nextlen = len[0]!;
    let n = 0;
    let repeat = 0;
    let maxCount = 7;
    let minCount = 4;
    if (nextlen === 0) {
      maxCount = 138;
      minCount = 3;
    }
    const send = (c: number) => this.sendBits(bl.code[c]!, bl.len[c]!);
    for (; n <= maxCode; n++) {
      const curlen = nextlen;
      nextlen = n + 1 <= maxCode ? len[n + 1]! : 0xffff; // trees.c's guard after max_code
      if (++repeat < maxCount && curlen === nextlen) continue;
      if (repeat < minCount) {
        if (count) bl.freq[curlen]! += repeat;
        else
          do send(curlen);
          while (--repeat !== 0);
      } else if (curlen !== 0) {
        if (count) {
          if (curlen !== prevlen) bl.freq[curlen]!++;
          bl.freq[REP_3_6]!++;
        } else {
          if (curlen !== prevlen) {
            send(curlen);
            repeat--;
          }
          send(REP_3_6);
          this.sendBits(repeat - 3, 2);
        }
      } else if (repeat <= 10) {
        if (count) bl.freq[REPZ_3_10]!++;
        else {
          send(REPZ_3_10);
          this.sendBits(repeat - 3, 3);
        }
      } else if (count) bl.freq[REPZ_11_138]!++;
      else {
        send(REPZ_11_138);
        this.sendBits(repeat - 11, 7);
      }
      repeat = 0;
      prevlen = curlen;
      if (nextlen === 0) {
        maxCount = 138;
        minCount = 3;
      } else if (curlen === nextlen) {
        maxCount = 6;
        minCount = 3;
      } else {
        maxCount = 7;
        minCount = 4;
      }
    }
  }

  /** trees.c build_bl_tree: returns the index in BL_ORDER of the last code length code to send. */
  private buildBlTree(): number {
    this.walkTree(this.ltree, true);
    this.walkTree(this.dtree, true);
    this.buildTree(this.bltree);
    let maxBlindex: number;
    for (maxBlindex = BL_CODES - 1; maxBlindex >= 3; maxBlindex--) if (this.bltree.len[BL_ORDER[maxBlindex]!] !== 0) break;
    this.optLen += 3 * (maxBlindex + 1) + 5 + 5 + 4;
    return maxBlindex;
  }

  private compressBlock(llen: ArrayLike<number>, lcode: ArrayLike<number>, dlen: ArrayLike<number>, dcode: ArrayLike<number>): void {
    const matchCode = this.matchCode;
    const matchBits = this.matchBits;
    for (let lc = 0; lc < 256; lc++) {
      const code = LENGTH_CODE[lc]!;
      const sym = code + LITERALS + 1;
      const l = llen[sym]!;
      const extra = EXTRA_LBITS[code]!;
      matchCode[lc] = lcode[sym]! | ((lc - BASE_LENGTH[code]!) << l) | (dcode[0]! << (l + extra)); // distance 1, no extra bits
      matchBits[lc] = l + extra + dlen[0]!;
    }
    if (this.runs) this.emitRuns(this.runs, llen, lcode);
    else this.emitEntries(llen, lcode);
    this.sendBits(lcode[END_BLOCK]!, llen[END_BLOCK]!);
  }

  private emitEntries(llen: ArrayLike<number>, lcode: ArrayLike<number>): void {
    const { syms, reps, out, matchCode, matchBits } = this;
    let buf = this.bitBuf;
    let count = this.bitCount;
    let pos = this.pos;
    for (let i = 0; i < this.entries; i++) {
      const s = syms[i]!;
      // At most 15 + 5 + 15 bits a symbol, and fewer than 8 pending: fits the 32-bit buffer.
      const code = s < 256 ? lcode[s]! : matchCode[s - 256]!;
      const bits = s < 256 ? llen[s]! : matchBits[s - 256]!;
      for (let r = reps[i]!; r > 0; r--) {
        buf |= code << count;
        count += bits;
        while (count >= 8) {
          out[pos++] = buf & 0xff;
          buf >>>= 8;
          count -= 8;
        }
      }
    }
    this.bitBuf = buf;
    this.bitCount = count;
    this.pos = pos;
  }

  /** The symbols of `runs` (the one block of singleBlock()), straight from the runs. */
  private emitRuns(runs: ByteRuns, llen: ArrayLike<number>, lcode: ArrayLike<number>): void {
    const { values, lengths } = runs;
    const { out, matchCode, matchBits } = this;
    const longCode = matchCode[MAX_MATCH - MIN_MATCH]!;
    const longBits = matchBits[MAX_MATCH - MIN_MATCH]!;
    // Long zero stretches are hundreds of 258-byte matches in a row: write them `per` at a time.
    const per = Math.floor(24 / longBits);
    let packCode = 0;
    for (let k = 0; k < per; k++) packCode |= longCode << (k * longBits);
    const packBits = per * longBits;
    let buf = this.bitBuf;
    let count = this.bitCount;
    let pos = this.pos;
    for (let i = 0; i < runs.count;) {
      const v = values[i]!;
      let len = lengths[i++]!;
      while (i < runs.count && values[i] === v) len += lengths[i++]!;
      if (len === 0) continue;
      const code = lcode[v]!;
      const bits = llen[v]!;
      // As in zlibRleRuns: a literal, matches of 258, then a match of the tail or its literals.
      buf |= code << count;
      count += bits;
      while (count >= 8) {
        out[pos++] = buf & 0xff;
        buf >>>= 8;
        count -= 8;
      }
      const rest = len - 1;
      let full = rest < MAX_MATCH ? 0 : Math.floor(rest / MAX_MATCH);
      let tail = rest - full * MAX_MATCH;
      for (; full >= per; full -= per) {
        buf |= packCode << count;
        count += packBits;
        while (count >= 8) {
          out[pos++] = buf & 0xff;
          buf >>>= 8;
          count -= 8;
        }
      }
      for (; full > 0; full--) {
        buf |= longCode << count;
        count += longBits;
        while (count >= 8) {
          out[pos++] = buf & 0xff;
          buf >>>= 8;
          count -= 8;
        }
      }
      if (tail >= MIN_MATCH) {
        buf |= matchCode[tail - MIN_MATCH]! << count;
        count += matchBits[tail - MIN_MATCH]!;
        tail = 0;
      }
      for (; tail > 0; tail--) {
        while (count >= 8) {
          out[pos++] = buf & 0xff;
          buf >>>= 8;
          count -= 8;
        }
        buf |= code << count;
        count += bits;
      }
      while (count >= 8) {
        out[pos++] = buf & 0xff;
        buf >>>= 8;
        count -= 8;
      }
    }
    this.bitBuf = buf;
    this.bitCount = count;
    this.pos = pos;
  }

  /**
   * The whole input as one block, when it has fewer than SYM_END symbols (heatmaps always do):
   * the symbol frequencies are counted per run, and the block's bits are written straight from
   * the runs (emitRuns), with no per-symbol bookkeeping. Returns false (nothing done) when the
   * input needs more than one block. zlib's window: this block starts at 0, and the window has
   * slid (so no stored block) exactly when the input reaches W_SIZE + MAX_DIST: a shorter input
   * is loaded whole by the first fill_window and no later call reaches the slide position; a
   * longer one triggers the slide at the final fill_window or, beyond 64 KB, at the refill.
   */
  singleBlock(runs: ByteRuns, adler: Adler32): boolean {
    const { values, lengths } = runs;
    const lfreq = this.ltree.freq;
    const dfreq = this.dtree.freq;
    let nsym = 0;
    let total = 0;
    for (let i = 0; i < runs.count;) {
      const v = values[i]!;
      let len = lengths[i++]!;
      while (i < runs.count && values[i] === v) len += lengths[i++]!;
      if (len === 0) continue;
      total += len;
      adler.add(v, len);
      const rest = len - 1;
      const full = rest < MAX_MATCH ? 0 : Math.floor(rest / MAX_MATCH);
      const tail = rest - full * MAX_MATCH;
      lfreq[v]! += 1;
      if (full > 0) lfreq[LENGTH_CODE[MAX_MATCH - MIN_MATCH]! + LITERALS + 1]! += full;
      dfreq[0]! += full;
      nsym += 1 + full;
      if (tail >= MIN_MATCH) {
        lfreq[LENGTH_CODE[tail - MIN_MATCH]! + LITERALS + 1]!++;
        dfreq[0]!++;
        nsym++;
      } else {
        lfreq[v]! += tail;
        nsym += tail;
      }
      if (nsym >= SYM_END) {
        this.initBlock();
        return false;
      }
    }
    this.windowBase = total < W_SIZE + MAX_DIST ? 0 : W_SIZE;
    this.nsym = nsym;
    this.runs = runs;
    try {
      this.flushBlock(total, true);
    } finally {
      this.runs = null;
    }
    return true;
  }

  /** trees.c _tr_flush_block for the block [blockStart, end). */
  private flushBlock(end: number, last: boolean): void {
    this.buildTree(this.ltree);
    this.buildTree(this.dtree);
    const maxBlindex = this.buildBlTree();
    let optLenb = (this.optLen + 3 + 7) >>> 3;
    const staticLenb = (this.staticLen + 3 + 7) >>> 3;
    if (staticLenb <= optLenb) optLenb = staticLenb;
    const storedLen = end - this.blockStart;
    // Worst case: a stored block (5 bytes + data) or every symbol at 15 + 5 + 15 bits, plus trees.
    this.ensure(Math.max(storedLen + 10, ((this.nsym + 1) * 35) >>> 3) + 400);
    const last1 = last ? 1 : 0;
    if (storedLen + 4 <= optLenb && this.blockStart >= this.windowBase) {
      this.sendBits(last1, 3); // STORED_BLOCK
      this.windup();
      this.out[this.pos++] = storedLen & 0xff;
      this.out[this.pos++] = (storedLen >>> 8) & 0xff;
      this.out[this.pos++] = ~storedLen & 0xff;
      this.out[this.pos++] = (~storedLen >>> 8) & 0xff;
      this.out.set(this.bytes(this.blockStart, end), this.pos);
      this.pos += storedLen;
    } else if (staticLenb === optLenb) {
      this.sendBits((1 << 1) + last1, 3); // STATIC_TREES
      this.compressBlock(STATIC_LLEN, STATIC_LCODE, STATIC_DLEN, STATIC_DCODE);
    } else {
      this.sendBits((2 << 1) + last1, 3); // DYN_TREES
      const lcodes = this.ltree.maxCode + 1;
      const dcodes = this.dtree.maxCode + 1;
      const blcodes = maxBlindex + 1;
      this.sendBits(lcodes - 257, 5);
      this.sendBits(dcodes - 1, 5);
      this.sendBits(blcodes - 4, 4);
      for (let rank = 0; rank < blcodes; rank++) this.sendBits(this.bltree.len[BL_ORDER[rank]!]!, 3);
      this.walkTree(this.ltree, false);
      this.walkTree(this.dtree, false);
      this.compressBlock(this.ltree.len, this.ltree.code, this.dtree.len, this.dtree.code);
    }
    this.initBlock();
    this.blockStart = end;
    if (last) this.windup();
  }
}

const deflater = new Deflater();

const ADLER_MOD = 65521;

/**
 * Adler-32 (RFC 1950) over runs, in closed form per run: a run of len bytes v adds len * v to
 * a and len * a + v * len * (len + 1) / 2 to b. The sums are reduced mod 65521 only when they
 * could leave the doubles' exact range (2^53), not after every run.
 */
class Adler32 {
  private a = 1;
  private b = 0;
  add(v: number, len: number): void {
    if (len < 65536) {
      this.b += len * this.a + (v * (len * (len + 1))) / 2;
      this.a += len * v;
      if (this.b > 2 ** 50 || this.a > 2 ** 30) this.reduce();
      return;
    }
    this.reduce();
    const l = len % ADLER_MOD;
    const tri = len % 2 === 0 ? ((len / 2) % ADLER_MOD) * ((len + 1) % ADLER_MOD) : l * (((len + 1) / 2) % ADLER_MOD);
    this.b = (this.b + l * this.a + v * (tri % ADLER_MOD)) % ADLER_MOD;
    this.a = (this.a + l * v) % ADLER_MOD;
  }
  private reduce(): void {
    this.a %= ADLER_MOD;
    this.b %= ADLER_MOD;
  }
  value(): number {
    this.reduce();
    return ((this.b << 16) | this.a) >>> 0;
  }
}

function expand(runs: ByteRuns, total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < runs.count; i++) {
    out.fill(runs.values[i]!, at, at + runs.lengths[i]!);
    at += runs.lengths[i]!;
  }
  return out;
}

/** The zlib stream (RFC 1950) of the bytes the runs describe, as zlib's Z_RLE writes it. */
export function zlibRleRuns(runs: ByteRuns): Uint8Array {
  const { values, lengths, count } = runs;
  let total = 0;
  for (let i = 0; i < count; i++) total += lengths[i]!;
  let raw: Uint8Array | undefined;
  const d = deflater;
  d.reset(total, (from, to) => (raw ??= expand(runs, total)).subarray(from, to));
  d.byte(0x78);
  d.byte(0x01);
  if (total > 0) {
    const fast = new Adler32();
    if (d.singleBlock(runs, fast)) return d.finishStream(fast.value());
  }
  const adler = new Adler32();
  let at = 0;
  let i = 0;
  while (i < count) {
    const v = values[i]!;
    let len = lengths[i++]!;
    while (i < count && values[i] === v) len += lengths[i++]!;
    if (len === 0) continue;
    adler.add(v, len);
    // The run's first byte differs from the one before it (or starts the input): a literal.
    // The rest: matches of 258 while 3 or more remain, the remainder as a match if >= 3, else literals.
    d.literals(v, 1, at);
    at++;
    const rest = len - 1;
    const full = rest < MAX_MATCH ? 0 : Math.floor(rest / MAX_MATCH);
    const tail = rest - full * MAX_MATCH;
    if (full > 0) d.matches(MAX_MATCH, full, at);
    at += full * MAX_MATCH;
    if (tail >= MIN_MATCH) d.matches(tail, 1, at);
    else if (tail > 0) d.literals(v, tail, at);
    at += tail;
  }
  d.finish(at);
  return d.finishStream(adler.value());
}

/**
 * A growable ByteRuns, reused from one encoding to the next (encoding is synchronous, so one
 * builder per caller is enough). push() merges a run into the previous one of the same value.
 */
export class RunsBuilder implements ByteRuns {
  values = new Uint8Array(1024);
  lengths = new Int32Array(1024);
  count = 0;

  clear(): void {
    this.count = 0;
  }

  push(value: number, length: number): void {
    if (length <= 0) return;
    const last = this.count - 1;
    if (last >= 0 && this.values[last] === value) {
      this.lengths[last]! += length;
      return;
    }
    if (this.count === this.values.length) {
      const values = new Uint8Array(this.count * 2);
      const lengths = new Int32Array(this.count * 2);
      values.set(this.values);
      lengths.set(this.lengths);
      this.values = values;
      this.lengths = lengths;
    }
    this.values[this.count] = value;
    this.lengths[this.count++] = length;
  }
}

const scanned = new RunsBuilder();

/** The runs of a byte array. */
export function runsOf(raw: Uint8Array, into: RunsBuilder = new RunsBuilder()): RunsBuilder {
  into.clear();
  const n = raw.length;
  let i = 0;
  while (i < n) {
    const v = raw[i]!;
    let j = i + 1;
    while (j < n && raw[j] === v) j++;
    into.push(v, j - i);
    i = j;
  }
  return into;
}

/** zlib.deflateSync(raw, { strategy: Z_RLE }), byte for byte. */
export function zlibRle(raw: Uint8Array): Uint8Array {
  return zlibRleRuns(runsOf(raw, scanned));
}
