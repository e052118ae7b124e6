import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import * as zc from 'zod/v4/core';
import { describe, expect, it } from 'vitest';
import {
  annotationFileSchema,
  datasetSchema,
  errorMap,
  formatLocatedError,
  formatPath,
  JsonDocument,
  parseValue,
  predictionsSchema,
  problemLines,
  Problems,
  taskPackSchema,
  type LocatedError,
} from '../../src/core/formats/index.ts';
import { parseJsonText, readJsonDocument, sniffFormatPrefix } from '../../src/core/formats/readDocument.ts';
import { mostlyLongStrings } from '../../src/core/formats/wholeDocument.ts';
import { mutate } from './helpers/mutate.ts';

const fixture = (name: string) => JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../fixtures/consolidate', name), 'utf8'));
const alice = fixture('alice.json');

describe('Problems: at most N listed per file, the rest counted', () => {
  it('hand-checked: 3 per file, counts and the summary lines', () => {
    const p = new Problems(3);
    for (let i = 0; i < 5; i++) expect(p.add('a.json', `x[${i}]`, 'bad')).toBe(i < 3);
    p.add('b.json', '', 'broken');
    p.add('c.json', 'y', 'bad');
    p.add('c.json', 'z', 'bad');
    p.add('c.json', 'w', 'bad');
    p.add('c.json', 'v', 'bad');
    p.stop('c.json');
    expect(problemLines(p.report(), 3)).toEqual([
      'a.json: x[0]: bad',
      'a.json: x[1]: bad',
      'a.json: x[2]: bad',
      'a.json: … and 2 more problems',
      'b.json: broken',
      'c.json: y: bad',
      'c.json: z: bad',
      'c.json: w: bad',
      'c.json: … and more problems (checking stopped after the first 3)',
    ]);
  });

  it('property: any list of errors prints at most limit + 1 lines per file, with the exact count left out', () => {
    let truncated = 0;
    fc.assert(
      fc.property(
        fc.array(fc.record({ file: fc.constantFrom('a', 'b', 'c'), path: fc.string(), message: fc.string() }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 20 }),
        (errors, limit) => {
          const lines = problemLines({ errors }, limit);
          for (const file of ['a', 'b', 'c']) {
            const total = errors.filter((e) => e.file === file).length;
            const mine = lines.filter((l) => l.startsWith(`${file}: `));
            expect(mine.length).toBe(Math.min(total, limit) + (total > limit ? 1 : 0));
            if (total > limit) {
              truncated++;
              expect(mine.at(-1)).toBe(`${file}: … and ${total - limit} more problem${total - limit === 1 ? '' : 's'}`);
            }
          }
        },
      ),
    );
    expect(truncated).toBeGreaterThan(0);
  });

  it('property: printed lines never hold control characters, whatever the file, path or message', () => {
    let escaped = 0;
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string({ unit: fc.constantFrom('a', '\u0000', '\u001b', '\n', '\u202e', '\u0085', 'é') }), (file, p, message) => {
        const line = formatLocatedError({ file, path: p, message });
        // eslint-disable-next-line no-control-regex
        expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
        if (line.includes('\\u')) escaped++;
      }),
    );
    expect(escaped).toBeGreaterThan(0);
  });
});

/** An annotation file with `records` records of `points` points, the chosen ones broken in one of three ways. */
function floodFile(records: number, points: number, bad: (r: number, i: number) => number): { text: string; firstBad: string | null; badCount: number } {
  const base = alice.annotations[0];
  let firstBad: string | null = null;
  let badCount = 0;
  const annotations = Array.from({ length: records }, (_, r) => ({
    ...base,
    points: Array.from({ length: points }, (_, i) => {
      const kind = bad(r, i);
      if (kind === 0) return { kind: 'artifact', x: 10, y: 10 };
      badCount++;
      firstBad ??= `annotations[${r}].points[${i}]${kind === 1 ? '.x' : kind === 2 ? '.kind' : '.y'}`;
      return kind === 1 ? { kind: 'artifact', x: -1, y: 10 } : kind === 2 ? { kind: 'bogus', x: 1, y: 1 } : { kind: 'artifact', x: 1 };
    }),
  }));
  return { text: JSON.stringify({ ...alice, annotations }), firstBad, badCount };
}

/** Documents up to 32 MiB are parsed whole, larger ones scanned (readDocument.ts): both ways are tested. */
const WHOLE = {};
const SCANNED = { wholeParseBytes: 0 };

describe('validation with a bound', () => {
  it('150,000 errors: 50 listed, the rest said to exist, no stack overflow', () => {
    const { text } = floodFile(15, 10_000, () => 1);
    for (const options of [WHOLE, SCANNED]) {
      const r = parseJsonText('flood.json', text, annotationFileSchema, options);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.errors).toHaveLength(50);
      expect(r.errors[0]).toEqual({ file: 'flood.json', path: 'annotations[0].points[0].x', message: 'outside the image (0 to 512)' });
      expect(r.unlisted).toEqual([{ file: 'flood.json', count: null }]);
    }
  });

  it('property: files with many errors give at most 50, the first one where the first error is, and say when there are more', () => {
    let many = 0;
    let few = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 40 }),
        fc.nat(),
        fc.integer({ min: 1, max: 3 }),
        (records, points, every, seed, how) => {
          const { text, firstBad, badCount } = floodFile(records, points, (r, i) => ((r * points + i + seed) % every === 0 ? how : 0));
          const r = parseJsonText('f.json', text, annotationFileSchema);
          expect(parseJsonText('f.json', text, annotationFileSchema, SCANNED)).toEqual(r);
          expect(r.ok).toBe(badCount === 0);
          if (r.ok) return;
          expect(r.errors.length).toBe(Math.min(badCount, 50));
          expect(r.errors[0]!.path).toBe(firstBad);
          expect(problemLines(r).length).toBeLessThanOrEqual(51);
          if (badCount > 50) {
            many++;
            expect(r.unlisted).toEqual([{ file: 'f.json', count: null }]);
          } else {
            few++;
            expect(r.unlisted ?? []).toEqual([]);
          }
        },
      ),
      { numRuns: 150 },
    );
    expect(many).toBeGreaterThan(0);
    expect(few).toBeGreaterThan(0);
  });

  it('nesting a million deep inside a record or under an unknown key: located, no stack overflow', () => {
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    const rec = JSON.stringify(alice.annotations[0]);
    const text = (field: string) =>
      JSON.stringify({ ...alice, annotations: [] }).replace('"annotations":[]', `"annotations":[${rec.replace('"activeMs":41250', `"activeMs":41250,"${field}":${deep}`)}]`);
    for (const options of [WHOLE, SCANNED]) {
      const r = parseJsonText('deep.json', text('junk'), annotationFileSchema, options);
      expect(r.ok || r.errors.map((e) => `${e.path}: ${e.message}`)).toEqual(['annotations[0]: Unrecognized key: "junk"']);
      const s = parseJsonText('deep.json', text('activeMs'), annotationFileSchema, options);
      expect(s.ok || s.errors.map((e) => `${e.path}: ${e.message}`)).toEqual(['annotations[0].activeMs: Invalid input: expected number, received array']);
    }
  });

  it('a bare array, a string or a huge junk key: zod’s words, one line', () => {
    expect(parseJsonText('x.json', '[1,2,3]', taskPackSchema)).toMatchObject({ ok: false, errors: [{ path: '', message: 'Invalid input: expected object, received array' }] });
    const junk = `{${Array.from({ length: 5000 }, (_, i) => `"k${i}":1`).join(',')}}`;
    const r = parseJsonText('x.json', junk, taskPackSchema);
    expect(r.ok || r.errors.find((e) => e.path === '')?.message).toBe('Unrecognized keys: "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9" and 4990 more');
  });
});

describe('the bounded validator agrees with the schema validated whole', () => {
  const docs = [
    ['pack', taskPackSchema, fixture('pack.json')],
    ['annotations', annotationFileSchema, alice],
    ['dataset', datasetSchema, fixture('expected.json')],
    ['predictions', predictionsSchema, { format: 'richhf-predictions', version: 1, model: 'm', items: [{ id: '0001', scores: { overall: 0.5 }, misalignedTokens: [1, 2] }] }],
  ] as const;
  for (const [name, schema, valid] of docs) {
    it(`property (${name}): valid exactly when zod says so, every problem one zod reports, the value zod gives`, () => {
      let failed = 0;
      let passed = 0;
      fc.assert(
        fc.property(fc.array(fc.nat(), { maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), (choices, replacement) => {
          const doc = JSON.parse(JSON.stringify(mutate(valid, choices, replacement)));
          const whole = zc.safeParse(schema, doc, { error: errorMap });
          const ours = parseJsonText(`${name}.json`, JSON.stringify(doc), schema);
          expect(ours.ok).toBe(whole.success);
          if (ours.ok && whole.success) {
            passed++;
            expect(ours.value).toEqual(whole.data);
          } else if (!ours.ok && !whole.success) {
            failed++;
            const theirs = new Set(whole.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`));
            expect(ours.errors.length).toBeGreaterThan(0);
            for (const e of ours.errors) expect(theirs).toContain(`${e.path}: ${e.message}`);
          }
          // From a value, the same answer as from text; and from the scanner (large documents) as from a whole parse.
          expect(parseValue(`${name}.json`, doc, schema)).toEqual(ours);
          expect(parseJsonText(`${name}.json`, JSON.stringify(doc), schema, SCANNED)).toEqual(ours);
        }),
        { numRuns: 300 },
      );
      expect(failed).toBeGreaterThan(0);
      expect(passed).toBeGreaterThan(0);
    });
  }

  it("check(): the small fields and the arrays' lengths, the same problems as validate()", () => {
    const bytes = new TextEncoder().encode(JSON.stringify(alice));
    const read = readJsonDocument('a.json', bytes, ['format', 'version', 'annotator', 'pack', 'annotations']);
    if (!read.ok) throw new Error('fixture');
    expect(read.doc.check(annotationFileSchema)).toEqual({
      ok: true,
      fields: { format: 'richhf-annotations', version: 1, annotator: 'alice', pack: 'demo' },
      lengths: { annotations: alice.annotations.length },
    });
    const bad = structuredClone(alice);
    bad.annotations[3].scores.overall = 0;
    const doc = JsonDocument.fromValue('a.json', bad);
    expect(doc.check(annotationFileSchema)).toEqual(doc.validate(annotationFileSchema));
  });

  it('sniffFormatPrefix reads a leading format from the first bytes only', () => {
    const text = JSON.stringify({ format: 'richhf-annotations', annotations: Array.from({ length: 1000 }, () => alice.annotations[0]) });
    const bytes = new TextEncoder().encode(text);
    expect(sniffFormatPrefix(bytes.subarray(0, 100))).toBe('richhf-annotations');
    expect(sniffFormatPrefix(new TextEncoder().encode(`\ufeff${text.slice(0, 50)}`))).toBe('richhf-annotations');
    expect(sniffFormatPrefix(new TextEncoder().encode(JSON.stringify({ annotations: [], format: 'x' }).slice(0, 20)))).toBeUndefined();
    expect(sniffFormatPrefix(new TextEncoder().encode('{"format": 3}'))).toBeUndefined();
  });

  it('a document of long strings (heatmaps) is told apart from one of many short ones by its quotes', () => {
    const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
    // Two strings of 8,000 characters and their keys: 8 quotes in 16,015 bytes, at most 3 allowed.
    const maps = enc({ m: 'A'.repeat(8000), n: 'B'.repeat(8000) });
    expect(maps.length).toBeGreaterThan(16_000);
    expect(mostlyLongStrings(maps)).toBe(false);
    expect(mostlyLongStrings(enc(['A'.repeat(20_000)]))).toBe(true); // 2 quotes, 4 allowed
    expect(mostlyLongStrings(enc(Array.from({ length: 2000 }, () => 'short')))).toBe(false);
    // Whole-parsed or scanned, such a document reads the same.
    const doc = enc({ format: 'richhf-annotations', version: 1, big: 'A'.repeat(20_000) });
    const whole = readJsonDocument('a.json', doc, ['format', 'version'], { wholeParseBytes: 1 });
    const scanned = readJsonDocument('a.json', doc, ['format', 'version'], SCANNED);
    expect(whole.ok && scanned.ok && [whole.doc.sniff(), scanned.doc.sniff()]).toEqual([
      { format: 'richhf-annotations', version: 1 },
      { format: 'richhf-annotations', version: 1 },
    ]);
  });

  it('scanned documents (the large ones) keep only the keys asked for', () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ ...alice, extra: [1, 2], format: 'richhf-annotations' }));
    const read = readJsonDocument('a.json', bytes, ['format', 'version'], SCANNED);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.doc.sniff()).toEqual({ format: 'richhf-annotations', version: 1 });
    expect(read.doc.member('annotator')).toBeUndefined();
  });
});

it('located errors survive a round trip through their printed form', () => {
  const e: LocatedError = { file: 'a b.json', path: 'items[3].id', message: 'must not be empty' };
  expect(formatLocatedError(e)).toBe('a b.json: items[3].id: must not be empty');
});
