import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachElementRun, lineColumn, scanJson } from '../../src/core/formats/jsonScan.ts';
import { decodeUtf8 } from '../../src/core/formats/textEncoding.ts';
import { utf8Start } from '../../src/core/formats/textStart.ts';

const enc = new TextEncoder();
const accepts = (bytes: Uint8Array) => scanJson(bytes, 0, () => true).ok;
function jsonParseAccepts(bytes: Uint8Array): boolean {
  try {
    JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes));
    return true;
  } catch {
    return false;
  }
}

describe('scanJson accepts exactly what JSON.parse accepts', () => {
  it('literal cases', () => {
    for (const ok of ['0', '-0.5e+3', ' [ ] ', '{"a":[1,{"b":null}],"c":"\\u00e9\\n"}', '"é"', 'true', '[[[[]]]]']) expect(accepts(enc.encode(ok)), ok).toBe(true);
    for (const bad of ['', ' ', '01', '1.', '.5', '-', '+1', '[1,]', '{"a":1,}', '{a:1}', "'x'", '"\t"', '"\\x"', '"\\u12"', 'tru', 'nul', '[1] 2', '{"a" 1}', '\u00a0 1'])
      expect(accepts(enc.encode(bad)), JSON.stringify(bad)).toBe(false);
  });

  it('property: on random text, mutated JSON and random bytes it agrees with JSON.parse', () => {
    let rejected = 0;
    let accepted = 0;
    const check = (bytes: Uint8Array) => {
      const ours = accepts(bytes);
      expect(ours).toBe(jsonParseAccepts(bytes));
      if (ours) accepted++;
      else rejected++;
    };
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string(), fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '1', '-', '.', 'e', ' ', '\\', 'u', 't', 'n') })), (text) =>
        check(enc.encode(text)),
      ),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.integer({ min: 0, max: 255 }), (text, at, byte) => {
        const bytes = enc.encode(text);
        if (bytes.length > 0) bytes[at % bytes.length] = byte;
        check(bytes);
      }),
      { numRuns: 2000 },
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 12 }), check), { numRuns: 2000 });
    expect(rejected).toBeGreaterThan(100);
    expect(accepted).toBeGreaterThan(100);
  });

  it('deep nesting needs no stack', () => {
    const depth = 200_000;
    expect(accepts(enc.encode('['.repeat(depth) + ']'.repeat(depth)))).toBe(true);
    expect(accepts(enc.encode('['.repeat(depth) + ']'.repeat(depth - 1)))).toBe(false);
  });

  it('locates errors by line and column (characters, not bytes)', () => {
    const bytes = enc.encode('{\n  "é": 1,\n  "b": x\n}');
    const r = scanJson(bytes, 0, () => true);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toBe("unexpected 'x': expected a value");
    expect(lineColumn(bytes, 0, r.error.offset)).toEqual({ line: 3, column: 8 });
  });

  it('invalid UTF-8 inside a string is an error naming the byte', () => {
    const bytes = new Uint8Array([0x22, 0x63, 0x61, 0x66, 0xe9, 0x22]); // "café" in Latin-1
    const r = scanJson(bytes, 0, () => true);
    expect(r.ok || r.error.message).toMatch(/^byte 0xE9 is not UTF-8/);
  });
});

describe('members and element runs', () => {
  it('the spans of the wanted top-level members, the last of a repeated key', () => {
    const text = '{"format":"x", "a": [1,{"b":2}], "c": {}, "a": [3], "zz": 1, "d": {"e":[]}}';
    const bytes = enc.encode(text);
    const r = scanJson(bytes, 0, (k) => k !== 'zz');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const got = Object.fromEntries([...r.scan.members].map(([k, s]) => [k, text.slice(s.start, s.end)]));
    expect(got).toEqual({ format: '"x"', a: '[3]', c: '{}', d: '{"e":[]}' });
    expect([r.scan.otherKeys, r.scan.otherKeyCount]).toEqual([['zz'], 1]);
  });

  it('property: element runs of any size give back the array', () => {
    let multiRun = 0;
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 30 }), fc.integer({ min: 1, max: 200 }), fc.constantFrom('', ' ', '\n  '), (list, batch, pad) => {
        const text = `{"items": [${pad}${list.map((v) => JSON.stringify(v)).join(`${pad},${pad}`)}${pad}]}`;
        const bytes = enc.encode(text);
        const r = scanJson(bytes, 0, () => true);
        if (!r.ok) throw new Error(r.error.message);
        const back: unknown[] = [];
        let runs = 0;
        forEachElementRun(bytes, r.scan.members.get('items')!, batch, (from, to, count) => {
          const run = JSON.parse(`[${new TextDecoder().decode(bytes.subarray(from, to))}]`) as unknown[];
          expect(run).toHaveLength(count);
          back.push(...run);
          runs++;
          return true;
        });
        if (runs > 1) multiRun++;
        expect(back).toEqual(JSON.parse(JSON.stringify(list)));
      }),
      { numRuns: 500 },
    );
    expect(multiRun).toBeGreaterThan(50);
  });
});

describe('strings are checked four bytes at a time where aligned', () => {
  it('one special byte at any place of a string at any alignment: the same verdict as JSON.parse', () => {
    let cases = 0;
    let refused = 0;
    for (let len = 0; len < 14; len++) {
      for (let at = 0; at < len; at++) {
        for (const special of [0x00, 0x09, 0x1f, 0x20, 0x21, 0x22, 0x5c, 0x7f, 0x80, 0xc3, 0xff]) {
          for (const offset of [0, 1, 2, 3]) {
            const buffer = new Uint8Array(offset + len + 2);
            buffer.fill(0x41, offset + 1, offset + 1 + len);
            buffer[offset] = 0x22;
            buffer[offset + 1 + at] = special;
            buffer[offset + 1 + len] = 0x22;
            const bytes = buffer.subarray(offset);
            const ours = accepts(bytes);
            expect(ours, `${len} ${at} ${special} ${offset}`).toBe(jsonParseAccepts(bytes));
            cases++;
            if (!ours) refused++;
          }
        }
      }
    }
    expect(cases).toBeGreaterThan(4000);
    expect(refused).toBeGreaterThan(1000);
  });
});

describe('element runs: strings of quotes and backslashes', () => {
  it('property: an escaped quote never ends a string, an escaped backslash before a quote does not escape it', () => {
    let evenRuns = 0;
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('"', '\\', 'a', ',', ']') }), { maxLength: 12 }), fc.integer({ min: 1, max: 40 }), (list, batch) => {
        const text = `{"items":[${list.map((v) => JSON.stringify(v)).join(',')}]}`;
        if (/\\\\\\"/.test(text)) evenRuns++; // \\\" : a backslash, escaped, then an escaped quote
        const bytes = enc.encode(text);
        const r = scanJson(bytes, 0, () => true);
        if (!r.ok) throw new Error(r.error.message);
        const back: unknown[] = [];
        forEachElementRun(bytes, r.scan.members.get('items')!, batch, (from, to, count) => {
          const run = JSON.parse(`[${new TextDecoder().decode(bytes.subarray(from, to))}]`) as unknown[];
          expect(run).toHaveLength(count);
          back.push(...run);
          return true;
        });
        expect(back).toEqual(list);
      }),
      { numRuns: 300 },
    );
    expect(evenRuns).toBeGreaterThan(0);
  });
});

describe('stopping early', () => {
  it('until: the scan ends after the member asked for, with the spans so far', () => {
    const text = '{"format":"richhf-annotations","annotations":[1,2,3';
    const r = scanJson(
      enc.encode(text),
      0,
      (k) => k === 'format',
      (m) => m.has('format'),
    );
    expect(r.ok && r.scan.complete).toBe(false);
    expect(r.ok && [...r.scan.members.keys()]).toEqual(['format']);
    expect(scanJson(enc.encode(text), 0, () => true).ok).toBe(false); // the whole text is cut
  });
});

describe('text encodings', () => {
  it('a UTF-8 BOM is skipped; UTF-16 and UTF-32 are named, with or without a mark', () => {
    const u16le = (s: string) => new Uint8Array(Buffer.from(s, 'utf16le'));
    expect(utf8Start(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b]))).toEqual({ ok: true, start: 3 });
    expect(utf8Start(enc.encode('{}'))).toEqual({ ok: true, start: 0 });
    const named = (b: Uint8Array) => {
      const r = utf8Start(b);
      return r.ok ? null : r.message.split(';')[0];
    };
    expect(named(new Uint8Array([0xff, 0xfe, 0x7b, 0x00]))).toBe('the file is UTF-16 LE');
    expect(named(new Uint8Array([0xfe, 0xff, 0x00, 0x7b]))).toBe('the file is UTF-16 BE');
    expect(named(u16le('{}'))).toBe('the file is UTF-16 LE');
    expect(named(new Uint8Array([0x00, 0x7b, 0x00, 0x7d]))).toBe('the file is UTF-16 BE');
    expect(named(new Uint8Array([0xff, 0xfe, 0x00, 0x00, 0x7b, 0, 0, 0]))).toBe('the file is UTF-32 LE');
    expect(named(new Uint8Array([0, 0, 0xfe, 0xff, 0, 0, 0, 0x7b]))).toBe('the file is UTF-32 BE');
    expect(named(new Uint8Array([0x7b, 0, 0, 0]))).toBe('the file is UTF-32 LE');
    expect(named(new Uint8Array([0, 0, 0, 0x7b]))).toBe('the file is UTF-32 BE');
  });

  it('decodeUtf8 finds the first byte that is not UTF-8', () => {
    expect(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0xc3, 0xa9]))).toEqual({ ok: true, text: 'aé' });
    expect(decodeUtf8(new Uint8Array([0x61, 0x62, 0xe9, 0x63]))).toMatchObject({ ok: false, offset: 2 });
    expect(decodeUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toMatchObject({ ok: false, offset: 0 }); // a surrogate
    expect(decodeUtf8(new Uint8Array([0xc0, 0xaf]))).toMatchObject({ ok: false, offset: 0 }); // overlong '/'
  });
});
