import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/core/text/csv.ts';
import { checkDataset } from '../../src/core/dataset/datasetCheck.ts';
import { annotationFileSchema, datasetSchema, taskPackSchema } from '../../src/core/formats/index.ts';
import { parseJsonText } from '../../src/core/formats/readDocument.ts';
import { expectLocatedIn } from './locate.ts';
import { mutate } from './helpers/mutate.ts';
import { readImageSize } from '../../src/core/encode/imageSize.ts';
import { planConsolidation } from '../../src/core/dataset/plan.ts';
import { encodeGrayPng } from '../../src/core/encode/png.ts';

/**
 * Property tests for everything consolidation reads: mutated annotation files and datasets
 * never crash the parsers or the checks, and every problem is located (file + field).
 */
const dir = path.resolve(import.meta.dirname, '../../fixtures/consolidate');
const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');
const packParsed = parseJsonText('pack.json', read('pack.json'), taskPackSchema);
if (!packParsed.ok) throw new Error('bad fixture');
const pack = packParsed.value;

describe('annotation files against the pack', () => {
  const alice = JSON.parse(read('alice.json'));
  it('property: a mutated file parses with errors that point into it, or is checked against the pack with located errors, never throws', () => {
    const seen = { parse: 0, plan: 0, clean: 0 };
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 6 }), fc.jsonValue(), (choices, replacement) => {
        const doc = JSON.parse(JSON.stringify(mutate(alice, choices, replacement)));
        const parsed = parseJsonText('alice.json', JSON.stringify(doc), annotationFileSchema);
        if (!parsed.ok) {
          seen.parse++;
          return expectLocatedIn(doc, parsed.errors, 'alice.json');
        }
        const plan = planConsolidation({ pack, files: [{ name: 'alice.json', file: parsed.value }] });
        if (plan.errors.length > 0) {
          seen.plan++;
          expectLocatedIn(doc, plan.errors, 'alice.json');
        } else seen.clean++;
        for (const item of plan.items) expect(item.records.length).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
    expect(seen.parse).toBeGreaterThan(0);
    expect(seen.clean).toBeGreaterThan(0);
  });
  it('the pack checks locate their errors too (pack name, token index, image size)', () => {
    const doc = JSON.parse(read('alice.json'));
    doc.annotations[0].misalignedTokens = [0, 7];
    doc.annotations[5].imageHeight = 512;
    const parsed = parseJsonText('alice.json', JSON.stringify(doc), annotationFileSchema);
    if (!parsed.ok) throw new Error('still schema-valid');
    const plan = planConsolidation({ pack, files: [{ name: 'alice.json', file: parsed.value }] });
    expect(plan.errors.map((e) => e.path)).toEqual(['annotations[0].misalignedTokens[1]', 'annotations[5].imageHeight']);
    expectLocatedIn(doc, plan.errors, 'alice.json');
  });
  it('property: truncated or corrupted text gives one located syntax error', () => {
    const text = read('alice.json');
    const lines = text.split('\n');
    fc.assert(
      // Cut before the closing brace, then maybe add junk that cannot complete the JSON.
      fc.property(fc.nat({ max: text.trimEnd().length - 1 }), fc.string({ unit: fc.constantFrom('@', '#', ' ', ','), maxLength: 3 }), (at, junk) => {
        const parsed = parseJsonText('alice.json', text.slice(0, at) + junk, annotationFileSchema);
        expect(parsed.ok).toBe(false);
        if (parsed.ok) return;
        expect(parsed.errors).toHaveLength(1);
        const m = /^invalid JSON: line (\d+), column (\d+): /.exec(parsed.errors[0]!.message);
        expect(m).not.toBeNull();
        // The line named is one the cut text has.
        expect(Number(m![1])).toBeLessThanOrEqual(Math.min(lines.length, (text.slice(0, at) + junk).split('\n').length));
      }),
      { numRuns: 200 },
    );
  });
});

describe('datasets', () => {
  const ds = JSON.parse(read('expected.json'));
  it('property: a mutated dataset fails the schema or the consistency checks with errors that point into it, or stays consistent', () => {
    const seen = { parse: 0, check: 0, clean: 0 };
    fc.assert(
      // Small numbers and label-like strings often keep the schema valid, so the consistency checks run too.
      fc.property(
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.oneof(fc.jsonValue(), fc.integer({ min: 0, max: 5 }), fc.constantFrom('1 0 1', '', 'a cat')),
        (choices, replacement) => {
          const doc = JSON.parse(JSON.stringify(mutate(ds, choices, replacement)));
          const parsed = parseJsonText('ds.json', JSON.stringify(doc), datasetSchema);
          if (!parsed.ok) {
            seen.parse++;
            return expectLocatedIn(doc, parsed.errors, 'ds.json');
          }
          const errors = checkDataset('ds.json', parsed.value).errors;
          if (errors.length > 0) {
            seen.check++;
            expectLocatedIn(doc, errors, 'ds.json');
          } else seen.clean++;
        },
      ),
      { numRuns: 300 },
    );
    // Almost every change to a consistent dataset breaks it, so a clean run is rare: not required.
    expect(seen.parse).toBeGreaterThan(0);
    expect(seen.check).toBeGreaterThan(0);
  });
});

describe('parseCsv', () => {
  it('literal cases: quotes, doubled quotes, commas and line breaks inside quotes, CRLF, BOM, blank lines', () => {
    const { rows, error } = parseCsv('\ufeffid,image,prompt\r\n1,a.png,"x, ""y""\nz"\r\n\r\n2,b.png,plain\n');
    expect(error).toBeUndefined();
    expect(rows).toEqual([
      { line: 1, fields: ['id', 'image', 'prompt'] },
      { line: 2, fields: ['1', 'a.png', 'x, "y"\nz'] },
      { line: 5, fields: ['2', 'b.png', 'plain'] },
    ]);
    expect(parseCsv('a,"b\n').error).toEqual({ line: 1, message: 'unterminated quoted field' });
    expect(parseCsv('a,"b"c\n').error).toEqual({ line: 1, message: 'text after a closing quote' });
  });
  it('property: fields written RFC 4180 style read back unchanged; any text parses without throwing', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', ' ', 'é') });
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const text = rows.map((r) => r.map((f) => `"${f.replaceAll('"', '""')}"`).join(',')).join('\r\n');
        expect(parseCsv(text).rows.map((r) => r.fields)).toEqual(rows);
      }),
    );
    fc.assert(fc.property(fc.string(), (s) => void parseCsv(s)));
  });
});

describe('readImageSize', () => {
  it('PNG, GIF, BMP and JPEG headers (hand-built)', () => {
    expect(readImageSize(encodeGrayPng(40, 20, new Uint8Array(800)))).toEqual({ type: 'png', width: 40, height: 20 });
    expect(readImageSize(new Uint8Array([...Buffer.from('GIF89a'), 0x00, 0x03, 0x00, 0x02]))).toEqual({ type: 'gif', width: 768, height: 512 });
    const bmp = new Uint8Array(26);
    bmp.set(Buffer.from('BM'));
    new DataView(bmp.buffer).setInt32(18, 640, true);
    new DataView(bmp.buffer).setInt32(22, -480, true); // top-down BMPs have a negative height
    expect(readImageSize(bmp)).toEqual({ type: 'bmp', width: 640, height: 480 });
    // SOI, an APP0 segment of length 16, then SOF0: length 17, precision 8, height 0x0200, width 0x0300.
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...new Array(14).fill(0), 0xff, 0xc0, 0x00, 0x11, 0x08, 0x02, 0x00, 0x03, 0x00, 0x03]);
    expect(readImageSize(jpeg)).toEqual({ type: 'jpeg', width: 768, height: 512 });
  });
  it('property: random bytes never throw', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (b) => void readImageSize(b)));
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (b) => void readImageSize(new Uint8Array([0xff, 0xd8, ...b]))));
  });
});
