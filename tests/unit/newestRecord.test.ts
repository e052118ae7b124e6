import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareRecordAge, isNewer, newest } from '../../src/core/dataset/newestRecord.ts';

const rec = (submittedAt: string, overall: number) => ({ itemId: 'a', submittedAt, scores: { overall } });

describe('the newer record wins (one rule for files, the server and the browser)', () => {
  it('a later instant wins, whatever the content', () => {
    const old = rec('2026-01-01T10:00:00Z', 5);
    const late = rec('2026-01-01T10:00:01Z', 1);
    expect(isNewer(late, old)).toBe(true);
    expect(isNewer(old, late)).toBe(false);
    expect(newest(old, late)).toBe(late);
  });

  it('compares instants, not strings: the same instant in two time zones is equal', () => {
    const utc = rec('2026-01-01T10:00:00Z', 3);
    const cet = rec('2026-01-01T11:00:00+01:00', 3);
    // Equal instants: the JSON decides ("2026-01-01T11…" > "2026-01-01T10…" in code units).
    expect(compareRecordAge(cet, utc)).toBe(1);
    expect(isNewer(cet, utc)).toBe(true);
  });

  it('equal instants: the greater JSON wins in either order (the browser used to keep what it had)', () => {
    const a = rec('2026-01-01T10:00:00Z', 2);
    const b = rec('2026-01-01T10:00:00Z', 4);
    // {"...","overall":4} > {"...","overall":2}
    expect(isNewer(b, a)).toBe(true);
    expect(isNewer(a, b)).toBe(false);
    expect(newest(a, b)).toBe(b);
    expect(newest(b, a)).toBe(b);
  });

  it('the same record is not newer than itself', () => {
    const a = rec('2026-01-01T10:00:00Z', 2);
    expect(isNewer(a, { ...a })).toBe(false);
    expect(compareRecordAge(a, { ...a })).toBe(0);
  });

  it('property: antisymmetric, and the winner of a list does not depend on its order', () => {
    const instants = ['2026-01-01T10:00:00Z', '2026-01-01T10:00:00.000Z', '2026-01-01T10:00:00.001Z', '2026-01-01T11:00:00+01:00', '2025-12-31T23:59:59Z'];
    const arb = fc.record({ submittedAt: fc.constantFrom(...instants), overall: fc.integer({ min: 1, max: 5 }) }).map((r) => rec(r.submittedAt, r.overall));
    let ties = 0;
    fc.assert(
      fc.property(
        fc.array(arb, { minLength: 1, maxLength: 8 }).chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }))),
        ([list, shuffled]) => {
          for (const a of list)
            for (const b of list) {
              expect(Math.sign(compareRecordAge(a, b)) + Math.sign(compareRecordAge(b, a))).toBe(0);
              if (a.submittedAt !== b.submittedAt && Date.parse(a.submittedAt) === Date.parse(b.submittedAt)) ties++;
            }
          expect(JSON.stringify(shuffled.reduce(newest))).toBe(JSON.stringify(list.reduce(newest)));
        },
      ),
    );
    // The interesting branch (equal instants written differently) ran.
    expect(ties).toBeGreaterThan(0);
  });
});
