import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutHeatmapStrings, cutIndexOf } from '../../src/core/formats/predictionsSkeleton.ts';

const bytesOf = (text: string) => new TextEncoder().encode(text);
const textOf = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** The file's value, from its skeleton and the cut texts read as JSON string contents. */
function rebuilt(file: Uint8Array): unknown {
  const cut = cutHeatmapStrings(file);
  if (!cut) throw new Error('no skeleton');
  const cutText = (k: number) => JSON.parse(`"${textOf(file.subarray(cut.spans[2 * k]!, cut.spans[2 * k + 1]!))}"`) as string;
  return JSON.parse(textOf(cut.bytes), (key, value: unknown) => {
    if ((key === 'artifactHeatmap' || key === 'misalignmentHeatmap') && typeof value === 'string' && cutIndexOf(value) >= 0) return cutText(cutIndexOf(value));
    return value;
  });
}

describe('cutHeatmapStrings (richhf evaluate reads the maps from the bytes)', () => {
  it('cuts the text of each heatmap string, and nothing else; the skeleton holds `#k`', () => {
    const file = bytesOf('{"model": "artifactHeatmap", "items": [{"id": "a", "artifactHeatmap" : "QUJD", "misalignmentHeatmap":"REVG"}, {"artifactHeatmap": "R0hJ"}]}');
    const cut = cutHeatmapStrings(file)!;
    expect(textOf(cut.bytes)).toBe('{"model": "artifactHeatmap", "items": [{"id": "a", "artifactHeatmap" : "#0", "misalignmentHeatmap":"#1"}, {"artifactHeatmap": "#2"}]}');
    expect([...cut.spans].map((at, i) => (i % 2 ? '' : textOf(file.subarray(at, cut.spans[i + 1]))))).toEqual(['QUJD', '', 'REVG', '', 'R0hJ', '']);
  });

  it('leaves empty strings, values that are not strings and strings inside arrays as they are', () => {
    const text = '{"items": [{"artifactHeatmap": "", "misalignmentHeatmap": 5}, {"artifactHeatmap": ["QUJD", "REVG"]}, {"artifactHeatmap": {"x": "QUJD"}}]}';
    const cut = cutHeatmapStrings(bytesOf(text))!;
    expect(textOf(cut.bytes)).toBe(text);
    expect(cut.spans.length).toBe(0);
  });

  it('finds strings by their escapes: an escaped quote does not end one; an escaped heatmap is cut with its escapes', () => {
    const text = String.raw`{"model": "a\"artifactHeatmap\": \"x\\", "items": [{"id": "\\", "artifactHeatmap": "QU\/JD"}]}`;
    const cut = cutHeatmapStrings(bytesOf(text))!;
    expect(textOf(cut.bytes)).toBe(String.raw`{"model": "a\"artifactHeatmap\": \"x\\", "items": [{"id": "\\", "artifactHeatmap": "#0"}]}`);
    expect(rebuilt(bytesOf(text))).toEqual(JSON.parse(text));
  });

  it('no skeleton for a key spelled with an escape, or a string that never ends', () => {
    expect(cutHeatmapStrings(bytesOf(String.raw`{"items": [{"artifact\u0048eatmap": "QUJD"}]}`))).toBeNull();
    expect(cutHeatmapStrings(bytesOf('{"items": [{"artifactHeatmap": "QUJD'))).toBeNull();
    expect(cutHeatmapStrings(bytesOf('{"items": [{"artifactHeatmap": "QUJD\\"}]}'))).toBeNull();
  });

  it('cutIndexOf reads `#k` only', () => {
    expect(['#0', '#17', '#4294967295', '#', '#01', '#-1', '#1.5', '#1e3', 'QUJD', '', '#12345678901'].map(cutIndexOf)).toEqual([
      0, 17, 4294967295, -1, -1, -1, -1, -1, -1, -1, -1,
    ]);
  });

  it('property: the skeleton with the cut texts put back (read as JSON strings) is the file; invalid files give invalid skeletons or cut texts', () => {
    const seen = { cuts: 0, escapedCuts: 0, invalid: 0, none: 0 };
    const anyText = fc.string({ unit: fc.constantFrom('A', 'b', '/', '+', '=', '"', '\\', '\n', 'é', ' ', ':', '#', '1'), maxLength: 12 });
    const key = fc.constantFrom('artifactHeatmap', 'misalignmentHeatmap', 'id', 'scores', 'x');
    const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, anyText, fc.integer(), fc.constant(null), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(key, tie('v'), { maxKeys: 4 })),
    })).v;
    const spaces = fc.constantFrom('', ' ', '\n  ');
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 4 }), spaces, fc.option(fc.nat(), { nil: undefined }), (doc, space, damage) => {
        let text = JSON.stringify({ items: [doc] }, null, space.length);
        // Now and then a byte changed: a raw control character, a stray quote or backslash.
        if (damage !== undefined && text.length > 0) {
          const at = damage % text.length;
          text = text.slice(0, at) + ['\u0001', '"', '\\', '\t'][damage % 4]! + text.slice(at + 1);
        }
        const file = bytesOf(text);
        const cut = cutHeatmapStrings(file);
        if (!cut) {
          seen.none++;
          return;
        }
        let original: unknown;
        try {
          original = JSON.parse(text);
        } catch {
          // An invalid file: the skeleton or one of its cut texts is invalid too.
          seen.invalid++;
          expect(() => rebuilt(file)).toThrow();
          return;
        }
        expect(rebuilt(file)).toEqual(original);
        for (let k = 0; k < cut.spans.length; k += 2) {
          seen.cuts++;
          if (file.subarray(cut.spans[k], cut.spans[k + 1]).includes(0x5c)) seen.escapedCuts++;
        }
      }),
      { numRuns: 3000 },
    );
    expect(seen.cuts).toBeGreaterThan(0);
    expect(seen.escapedCuts).toBeGreaterThan(0);
    expect(seen.invalid).toBeGreaterThan(0);
    expect(seen.none).toBeGreaterThan(0);
  });
});
