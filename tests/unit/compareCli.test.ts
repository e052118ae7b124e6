import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeGrayPng } from '../../src/core/encode/png.ts';
import { imageMetadata } from '../../src/core/encode/imageMetadata.ts';
import { comparisonReportSchema } from '../../src/core/formats/comparisonReport.ts';
import { comparisonKeySchema } from '../../src/core/formats/comparisonKey.ts';
import { parseValue } from '../../src/core/formats/located.ts';
import { taskPackSchema } from '../../src/core/formats/taskpack.ts';

/** `richhf pack --compare` and `richhf compare`, run as the real binary (bin/richhf.mjs) in a fresh folder. */
const root = path.resolve(import.meta.dirname, '../..');

function study(): { dir: string; richhf: (...args: string[]) => { code: number | null; out: string; err: string } } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'richhf-compare-'));
  return {
    dir,
    richhf: (...args) => {
      const r = spawnSync(process.execPath, [path.join(root, 'bin/richhf.mjs'), ...args], { cwd: dir, encoding: 'utf8' });
      return { code: r.status, out: r.stdout, err: r.stderr };
    },
  };
}

/** A small PNG whose pixels say which system and prompt made it (so every file differs). */
function png(seed: number, width = 16, height = 12): Uint8Array {
  return encodeGrayPng(
    width,
    height,
    new Uint8Array(width * height).map((_, i) => (seed * 37 + i) & 255),
  );
}

/** A PNG with a tEXt chunk before IEND, as Stable Diffusion front ends write their settings. */
function pngWithText(seed: number): Uint8Array {
  const p = png(seed);
  const text = new TextEncoder().encode('parameters\0model: muse-tuned');
  const chunk = new Uint8Array(12 + text.length);
  new DataView(chunk.buffer).setUint32(0, text.length);
  chunk.set(new TextEncoder().encode('tEXt'), 4);
  chunk.set(text, 8);
  const end = p.length - 12;
  return Uint8Array.from([...p.subarray(0, end), ...chunk, ...p.subarray(end)]);
}

function writeSystems(dir: string, systems: Record<string, string[]>, make: (system: number, i: number) => Uint8Array = (s, i) => png(s * 10 + i)) {
  Object.entries(systems).forEach(([name, files], s) => {
    mkdirSync(path.join(dir, name), { recursive: true });
    files.forEach((f, i) => writeFileSync(path.join(dir, name, f), make(s, i)));
  });
}

/** Every file under `dir`, as paths relative to it. */
function listAll(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

describe('richhf pack --compare', () => {
  it('three systems: every pair per prompt, a pack and image names that name no system, and the key', () => {
    const { dir, richhf } = study();
    writeSystems(dir, { 'muse-base': ['p1.png', 'p2.png'], 'muse-tuned': ['p1.png', 'p2.png'], sdxl: ['p1.png', 'p2.png'] });
    writeFileSync(path.join(dir, 'prompts.csv'), 'id,prompt\np1,a red ball\np2,"a cat, sleeping"\n');
    mkdirSync(path.join(dir, 'hand-out'));
    const r = richhf(
      'pack',
      '--compare',
      '--images',
      'muse-base',
      '--images',
      'sdxl',
      '--images',
      'muse-tuned',
      '--prompts',
      'prompts.csv',
      '--out',
      'hand-out/study.json',
      '--key',
      'study.key.json',
      '--lead-pack',
      'lead.json',
      '--criteria',
      'plausibility,overall',
      '--seed',
      '7',
      '--annotators-per-item',
      '6',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      'wrote pack "study" with 6 comparison items (2 prompts, 3 systems: muse-base, muse-tuned, sdxl) to hand-out/study.json, 6 images to hand-out/images, and its key to study.key.json; the lead\'s pack to lead.json (seed 7)\n',
    );
    // What annotators get: the pack and its images folder, nothing that names a system.
    const handOut = listAll(path.join(dir, 'hand-out'));
    expect(handOut.filter((f) => f.endsWith('.png'))).toHaveLength(6);
    expect(handOut.every((f) => f === 'study.json' || f === 'images' || /^images\/[0-9a-f]{20}\.png$/.test(f))).toBe(true);
    const packText = readFileSync(path.join(dir, 'hand-out/study.json'), 'utf8');
    expect(packText).not.toMatch(/muse|sdxl|system/i);
    const pack = parseValue('study.json', JSON.parse(packText), taskPackSchema);
    if (!pack.ok) throw new Error('pack');
    expect(pack.value).toMatchObject({ version: 2, name: 'study', annotatorsPerItem: 6 });
    expect(pack.value.items.map((it) => it.id)).toEqual(['p1-1', 'p2-1', 'p1-2', 'p2-2', 'p1-3', 'p2-3']);
    const key = parseValue('key', JSON.parse(readFileSync(path.join(dir, 'study.key.json'), 'utf8')), comparisonKeySchema);
    if (!key.ok) throw new Error('key');
    expect(key.value.pack).toBe('study');
    for (const p of ['p1', 'p2']) {
      expect(
        key.value.items
          .filter((k) => k.promptId === p)
          .map((k) => [...k.systems].sort().join(' '))
          .sort(),
      ).toEqual(['muse-base muse-tuned', 'muse-base sdxl', 'muse-tuned sdxl']);
    }
    // The key's sources are the files the copies were made from: the same bytes.
    for (const [i, k] of key.value.items.entries()) {
      const item = pack.value.items[i]!;
      if (item.kind !== 'compare') throw new Error('kind');
      expect(item.criteria).toEqual(['plausibility', 'overall']);
      k.sources!.forEach((src, j) => {
        expect(src).toBe(`${k.systems[j]}/${k.promptId}.png`);
        expect(readFileSync(path.join(dir, 'hand-out', item.images[j]!.image)).equals(readFileSync(path.join(dir, src)))).toBe(true);
      });
    }
    // The lead's pack is the same pack with the systems named.
    const lead = JSON.parse(readFileSync(path.join(dir, 'lead.json'), 'utf8'));
    expect(lead.items[0].images.map((im: { system: string }) => im.system)).toEqual(key.value.items[0]!.systems);
    // The same seed, the same pack.
    const again = richhf(
      'pack',
      '--compare',
      '--images',
      'muse-base',
      '--images',
      'sdxl',
      '--images',
      'muse-tuned',
      '--prompts',
      'prompts.csv',
      '--out',
      'again.json',
      '--key',
      'again.key.json',
      '--out-images',
      'again-images',
      '--criteria',
      'plausibility,overall',
      '--seed',
      '7',
    );
    expect(again.code).toBe(0);
    const againPack = JSON.parse(readFileSync(path.join(dir, 'again.json'), 'utf8'));
    expect(againPack.items.map((it: { images: { image: string }[] }) => it.images.map((im) => path.basename(im.image)))).toEqual(
      pack.value.items.map((it) => (it.kind === 'compare' ? it.images.map((im) => path.basename(im.image)) : [])),
    );
  });

  it('pairs by the "image" column; warns about metadata, sizes that differ, a system named in a prompt and a key beside the pack', () => {
    const { dir, richhf } = study();
    writeSystems(dir, { base: ['x.png', 'y.png'], tuned: ['x.png', 'y.png'] }, (s, i) => (s === 1 ? pngWithText(i) : png(i, i === 0 ? 16 : 20)));
    writeFileSync(path.join(dir, 'prompts.jsonl'), '{"id": "one", "prompt": "a base of a vase", "image": "x.png"}\n{"id": "two", "prompt": "a dog", "image": "y.png"}\n');
    const r = richhf('pack', '--compare', '--images', 'base', '--images', 'tuned', '--prompts', 'prompts.jsonl', '--out', 'pack.json', '--key', 'key.json');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\(seed \d+\)\n$/);
    expect(r.err.split('\n')).toEqual([
      'warning: 2 images of tuned carry metadata (PNG tEXt) that may name the system: strip it, or annotators who look can see it',
      'warning: 1 prompt have images of different sizes or formats across systems (first: "two"): annotators may tell the systems apart by that',
      'warning: the prompt of "one" contains "base", a system\'s name: annotators see the prompts',
      `warning: the key ${path.join(dir, 'key.json')} is in the pack's folder: hand out the pack and its images folder, not the key`,
      '',
    ]);
    expect(imageMetadata(pngWithText(0))).toEqual(['PNG tEXt']);
    expect(imageMetadata(png(0))).toEqual([]);
  });

  it('refuses what would break the study, and writes nothing', () => {
    const { dir, richhf } = study();
    writeSystems(dir, { a: ['1.png', '2.png', '2.jpg'], b: ['1.png'] });
    writeFileSync(path.join(dir, 'prompts.csv'), 'id,prompt\n1,one\n2,two\n1,again\n');
    const base = ['pack', '--compare', '--prompts', 'prompts.csv', '--out', 'pack.json', '--key', 'k/key.json'];
    const usage = (extra: string[], message: string) => {
      const r = richhf(...base, ...extra);
      expect(r.code, message).toBe(2);
      expect(r.err).toContain(message);
    };
    usage(['--images', 'a'], '--images: give one folder per system, at least two (got 1)');
    usage(['--images', 'a', '--images', 'a'], '--images a and a have the same name "a"');
    usage(['--images', 'a', '--images', 'b', '--criteria', 'beauty'], '--criteria: "beauty" is not one of plausibility, alignment, aesthetics, overall');
    usage(['--images', 'a', '--images', 'b', '--out-images', 'a'], 'exists: the images go to a new folder');
    usage(['--images', 'a', '--images', 'b', '--out-images', '../elsewhere'], "must be a folder inside the pack's folder");
    usage(['--images', 'a', '--images', 'b', '--out-images', 'a/copies'], 'overlap: the copies go to a folder of their own');
    const keyInside = richhf('pack', '--compare', '--images', 'a', '--images', 'b', '--prompts', 'prompts.csv', '--out', 'pack.json', '--key', 'images/key.json');
    expect(keyInside.code).toBe(2);
    expect(keyInside.err).toContain('--key images/key.json is inside the images folder handed out to annotators');

    mkdirSync(path.join(dir, 'k'));
    const r = richhf(...base, '--images', 'a', '--images', 'b');
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toEqual([
      'prompts.csv: line 3.id: 2 images named "2" in a (2.jpg, 2.png): give the file in an "image" column',
      'prompts.csv: line 3.id: no image named "2" (.png, .jpg, …) in b',
      'prompts.csv: line 4.id: duplicate id "1" (first used at line 2)',
      'richhf pack: 3 problems; nothing written',
      '',
    ]);
    expect(listAll(dir).filter((f) => !/^(a|b|k|prompts\.csv)(\/|$)/.test(f))).toEqual([]);
  });
});

describe('richhf compare', () => {
  /** A two-system study made by pack --compare, and the item ids with the system of images[0]. */
  function made() {
    const s = study();
    writeSystems(s.dir, { old: ['1.png', '2.png', '3.png'], new: ['1.png', '2.png', '3.png'] });
    writeFileSync(path.join(s.dir, 'prompts.csv'), 'id,prompt\n1,one\n2,two\n3,three\n');
    mkdirSync(path.join(s.dir, 'out'));
    const r = s.richhf(
      'pack',
      '--compare',
      '--images',
      'old',
      '--images',
      'new',
      '--prompts',
      'prompts.csv',
      '--out',
      'out/pack.json',
      '--key',
      'key.json',
      '--lead-pack',
      'lead.json',
      '--seed',
      '3',
    );
    expect(r.code).toBe(0);
    return s;
  }

  it("with the annotators' pack and its key, or with the lead's pack: the same report; the answers counted in the systems' terms", () => {
    const { dir, richhf } = made();
    const key = JSON.parse(readFileSync(path.join(dir, 'key.json'), 'utf8')) as { items: { id: string; systems: string[] }[] };
    // Each annotator prefers "new" on every item: -2 when new is images[0], 2 when it is images[1].
    const prefersNew = (id: string) => (key.items.find((k) => k.id === id)!.systems[0] === 'new' ? -2 : 2);
    const file = (annotator: string, left: 0 | 1) => ({
      format: 'richhf-annotations',
      version: 2,
      annotator,
      pack: 'pack',
      annotations: ['1', '2', '3'].map((id) => ({ itemId: id, left, answers: { plausibility: prefersNew(id) }, submittedAt: '2026-12-01T10:00:00Z', activeMs: 1000 })),
    });
    writeFileSync(path.join(dir, 'alice.json'), JSON.stringify(file('alice', 0)));
    writeFileSync(
      path.join(dir, 'bob.json'),
      JSON.stringify({ ...file('bob', 1), annotations: [...file('bob', 1).annotations, { ...file('bob', 1).annotations[0], itemId: 'zzz' }] }),
    );
    const withKey = richhf('compare', '--pack', 'out/pack.json', '--key', 'key.json', '--out', 'report.json', '--csv', 'report.csv', 'alice.json', 'bob.json');
    expect(withKey.code).toBe(0);
    expect(withKey.err).toBe('warning: item "zzz" is not in the pack (annotated by "bob"); left out\nwrote report.json and report.csv: 3 comparison items, 2 systems, 6 answers\n');
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(parseValue('report.json', report, comparisonReportSchema).ok).toBe(true);
    expect(report.systems).toEqual(['new', 'old']);
    expect(report.results).toEqual([
      {
        criterion: 'plausibility',
        systems: ['new', 'old'],
        n: 6,
        counts: [6, 0, 0, 0, 0],
        percent: [100, 0, 0, 0, 0],
        xWins: 6,
        ties: 0,
        yWins: 0,
        signTestP: 0.03125,
        winRate: 1,
        winRateCI95: [1, 1],
      },
    ]);
    expect(withKey.out).toContain('| plausibility: new vs old | 100.0% | 0.0% | 0.0% | 0.0% | 0.0% | 6 | 1.00 (1.00–1.00) | 0.031 |');
    expect(readFileSync(path.join(dir, 'report.csv'), 'utf8').split('\r\n')[1]).toBe('plausibility,new,old,6,6,0,0,0,0,100,0,0,0,0,6,0,0,0.03125,1,1,1');
    const lead = richhf('compare', '--pack', 'lead.json', '--out', 'lead-report.json', 'alice.json', 'bob.json');
    expect(lead.code).toBe(0);
    expect(readFileSync(path.join(dir, 'lead-report.json'), 'utf8')).toBe(readFileSync(path.join(dir, 'report.json'), 'utf8'));
  });

  it('refuses a pack without its key, a key to another pack, bad records; writes nothing', () => {
    const { dir, richhf } = made();
    writeFileSync(
      path.join(dir, 'a.json'),
      JSON.stringify({
        format: 'richhf-annotations',
        version: 2,
        annotator: 'a',
        pack: 'pack',
        annotations: [{ itemId: '1', left: 0, answers: { overall: 1 }, submittedAt: '2026-12-01T10:00:00Z', activeMs: 1 }],
      }),
    );
    const noKey = richhf('compare', '--pack', 'out/pack.json', '--out', 'r.json', 'a.json');
    expect([noKey.code, noKey.err]).toEqual([
      1,
      'out/pack.json: its comparison images name no systems: give the key that goes with it (richhf pack --compare writes one)\nrichhf compare: 1 problem; nothing written\n',
    ]);
    const bad = richhf('compare', '--pack', 'lead.json', '--out', 'r.json', 'a.json');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('a.json: annotations[0].answers.plausibility: required (item "1" asks about plausibility)');
    const usage = richhf('compare', '--pack', 'lead.json', '--out', 'a.json', 'a.json');
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('--out a.json is the input a.json');
    expect(richhf('compare', '--pack', 'lead.json', '--out', 'r.json').code).toBe(2);
    expect(existsSync(path.join(dir, 'r.json'))).toBe(false);
  });
});

describe('richhf validate', () => {
  it('checks comparison keys and reports, a key against the one pack given, and comparison records against it', () => {
    const { dir, richhf } = study();
    writeSystems(dir, { old: ['1.png'], new: ['1.png'] });
    writeFileSync(path.join(dir, 'prompts.csv'), 'id,prompt\n1,one\n');
    expect(richhf('pack', '--compare', '--images', 'old', '--images', 'new', '--prompts', 'prompts.csv', '--out', 'pack.json', '--key', 'key.json', '--seed', '1').code).toBe(0);
    const record = { itemId: '1', left: 1, answers: { plausibility: -1 }, submittedAt: '2026-12-01T10:00:00Z', activeMs: 5 };
    writeFileSync(path.join(dir, 'a.json'), JSON.stringify({ format: 'richhf-annotations', version: 2, annotator: 'a', pack: 'pack', annotations: [record] }));
    expect(richhf('compare', '--pack', 'pack.json', '--key', 'key.json', '--out', 'report.json', 'a.json').code).toBe(0);
    const ok = richhf('validate', 'pack.json', 'key.json', 'a.json', 'report.json');
    expect([ok.code, ok.out]).toEqual([
      0,
      'pack.json: ok (task pack "pack", 1 items)\nkey.json: ok (comparison key to pack "pack", 1 items)\na.json: ok (annotations by "a" for pack "pack", 1 records)\nreport.json: ok (comparison report of pack "pack", 2 systems, 1 result)\n',
    ]);
    writeFileSync(path.join(dir, 'other.key.json'), JSON.stringify({ format: 'richhf-comparison-key', version: 1, pack: 'pack', items: [{ id: '2', systems: ['a', 'b'] }] }));
    writeFileSync(
      path.join(dir, 'v1.json'),
      JSON.stringify({ format: 'richhf-annotations', version: 1, annotator: 'b', pack: 'pack', annotations: [record, { ...record, answers: { overall: 2 } }] }),
    );
    const bad = richhf('validate', 'pack.json', 'other.key.json', 'v1.json');
    expect(bad.code).toBe(1);
    expect(bad.err.split('\n')).toEqual([
      'other.key.json: items[0].id: "2" is not a comparison item of pack "pack"',
      'other.key.json: items: has no entry for comparison item "1" (items[0] of pack.json)',
      'v1.json: annotations[0]: a comparison record needs version 2 of richhf-annotations (this file says "version": 1)',
      'v1.json: annotations[1]: a comparison record needs version 2 of richhf-annotations (this file says "version": 1)',
      'richhf validate: 4 problems in 2 of 3 files',
      '',
    ]);
  });
});

describe('richhf consolidate on a pack of both kinds', () => {
  it('makes the dataset of the rating items, checks the comparison records, and says the comparison items are left to richhf compare', () => {
    const { dir, richhf } = study();
    const pack = {
      format: 'richhf-taskpack',
      version: 2,
      name: 'mixed',
      annotatorsPerItem: 1,
      items: [
        { id: 'r', image: 'r.png', prompt: 'a cat', width: 16, height: 12 },
        { id: 'c', kind: 'compare', prompt: 'a dog', images: [{ image: 'a.png' }, { image: 'b.png' }] },
      ],
    };
    const rating = {
      itemId: 'r',
      imageWidth: 16,
      imageHeight: 12,
      points: [],
      misalignedTokens: [],
      scores: { plausibility: 4, alignment: 4, aesthetics: 4, overall: 4 },
      submittedAt: '2026-12-01T10:00:00Z',
      activeMs: 5,
    };
    const comparison = { itemId: 'c', left: 0, answers: { plausibility: 1 }, submittedAt: '2026-12-01T10:00:00Z', activeMs: 5 };
    writeFileSync(path.join(dir, 'pack.json'), JSON.stringify(pack));
    writeFileSync(path.join(dir, 'a.json'), JSON.stringify({ format: 'richhf-annotations', version: 2, annotator: 'a', pack: 'mixed', annotations: [rating, comparison] }));
    const r = richhf('consolidate', '--pack', 'pack.json', '--out', 'dataset.json', 'a.json');
    expect([r.code, r.out, r.err]).toEqual([
      0,
      'wrote 1 item to dataset.json; 0 skipped, 0 warnings\n',
      "note: the pack's 1 comparison item is not part of a dataset (richhf compare reports them)\n",
    ]);
    const ds = JSON.parse(readFileSync(path.join(dir, 'dataset.json'), 'utf8'));
    expect([ds.items.map((it: { id: string }) => it.id), ds.skipped]).toEqual([['r'], []]);
    writeFileSync(
      path.join(dir, 'b.json'),
      JSON.stringify({ format: 'richhf-annotations', version: 2, annotator: 'b', pack: 'mixed', annotations: [{ ...comparison, itemId: 'r' }] }),
    );
    const bad = richhf('consolidate', '--pack', 'pack.json', '--out', 'dataset2.json', 'b.json');
    expect([bad.code, bad.err]).toEqual([
      1,
      'b.json: annotations[0]: a comparison record (it has "left"), but item "r" is a rating item\nrichhf consolidate: 1 error; nothing written\n',
    ]);
  });
});
