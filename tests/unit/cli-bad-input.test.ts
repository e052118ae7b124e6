import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeGrayPng } from '../../src/core/encode/png.ts';

/**
 * Issue 11: the command line under hostile and broken input. Each test runs the real `richhf`
 * binary as a user would and checks what must hold: a bounded, located message, exit code 1
 * or 2, no input changed, nothing written, no temp file left.
 */
const root = path.resolve(import.meta.dirname, '../..');
const fx = (name: string) => path.join(root, 'fixtures/consolidate', name);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'richhf-bad-input-'));
const annotators = [fx('alice.json'), fx('bob.json'), fx('carol.json')];

function richhf(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/richhf.mjs'), ...args], { cwd: tmp, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function folder(name: string): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}
const alice = () => JSON.parse(readFileSync(fx('alice.json'), 'utf8'));
const snapshot = (files: string[]) => files.map((f) => readFileSync(f, 'utf8'));

/** An annotation file whose `records` records have `points` points each, all outside the image. */
function flood(records: number, points: number): string {
  const base = alice().annotations[0];
  const rec = { ...base, points: Array.from({ length: points }, () => ({ kind: 'artifact', x: -1, y: 5 })) };
  return JSON.stringify({ ...alice(), annotations: Array.from({ length: records }, () => rec) });
}

describe('a flood of validation errors', () => {
  const file = path.join(folder('flood'), 'flood.json');
  writeFileSync(file, flood(15, 10_000)); // 150,000 errors, 5.9 MB

  it('validate prints the first 50 located errors and a summary line, not a stack trace', () => {
    const r = richhf('validate', file);
    expect(r.code).toBe(1);
    const lines = r.err.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(52);
    expect(lines[0]).toBe(`${file}: annotations[0].points[0].x: outside the image (0 to 512)`);
    expect(lines.filter((l) => l.startsWith(`${file}: annotations[`))).toHaveLength(50);
    expect(r.err).toContain(`${file}: … and more problems (checking stopped after the first 50)`);
    expect(r.err).not.toMatch(/RangeError|\n\s+at /);
  });

  it('consolidate too, and writes nothing', () => {
    const out = path.join(folder('flood-out'), 'ds.json');
    const r = richhf('consolidate', '--pack', fx('pack.json'), '--out', out, file);
    expect(r.code).toBe(1);
    expect(r.err.trimEnd().split('\n').length).toBeLessThanOrEqual(52);
    expect(r.err).toContain(`${file}: annotations[0].points[0].x: outside the image (0 to 512)`);
    expect(r.err).not.toMatch(/RangeError|\n\s+at /);
    expect(readdirSync(path.dirname(out))).toEqual([]);
  });
});

describe('outputs never overwrite inputs', () => {
  it('--out equal to the pack or to an annotation file is refused (exit 2), inputs unchanged', () => {
    const dir = folder('same');
    const pk = path.join(dir, 'pk.json');
    const a = path.join(dir, 'a.json');
    writeFileSync(pk, readFileSync(fx('pack.json')));
    writeFileSync(a, readFileSync(fx('alice.json')));
    const before = snapshot([pk, a]);
    const r1 = richhf('consolidate', '--pack', pk, '--out', pk, a);
    expect(r1.code).toBe(2);
    expect(r1.err).toContain(`--out ${pk} is the input --pack`);
    const r2 = richhf('consolidate', '--pack', pk, '--out', a, a);
    expect(r2.code).toBe(2);
    expect(r2.err).toContain(`--out ${a} is the input ${a}`);
    const r3 = richhf('consolidate', '--pack', pk, '--out', path.join(dir, 'ds.json'), '--tfrecord', a, a);
    expect(r3.code).toBe(2);
    expect(snapshot([pk, a])).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'pk.json']);
  });

  it('through a symlink, a hard link or another spelling of the path', () => {
    const dir = folder('links');
    const a = path.join(dir, 'a.json');
    writeFileSync(a, readFileSync(fx('alice.json')));
    symlinkSync(a, path.join(dir, 'sym.json'));
    linkSync(a, path.join(dir, 'hard.json'));
    mkdirSync(path.join(dir, 'sub'));
    const before = snapshot([a]);
    for (const out of [path.join(dir, 'sym.json'), path.join(dir, 'hard.json'), path.join(dir, 'sub/../a.json'), 'links/./a.json']) {
      const r = richhf('consolidate', '--pack', fx('pack.json'), '--out', out, a);
      expect(r.code, out).toBe(2);
      expect(r.err, out).toContain('is the input');
    }
    expect(snapshot([a])).toEqual(before);
    // The same file as --out and --tfrecord under two names is refused too.
    const r = richhf('consolidate', '--pack', fx('pack.json'), '--out', path.join(dir, 'x.json'), '--tfrecord', path.join(dir, 'sub/../x.json'), a);
    expect(r.code).toBe(2);
  });

  it('pack and evaluate refuse an --out that is one of their inputs', () => {
    const dir = folder('pack-same');
    mkdirSync(path.join(dir, 'images'));
    writeFileSync(path.join(dir, 'images/a.png'), encodeGrayPng(4, 4, new Uint8Array(16)));
    const prompts = path.join(dir, 'prompts.csv');
    writeFileSync(prompts, 'id,image,prompt\n1,a.png,a cat\n');
    const r = richhf('pack', '--images', path.join(dir, 'images'), '--prompts', prompts, '--out', prompts);
    expect(r.code).toBe(2);
    expect(readFileSync(prompts, 'utf8')).toBe('id,image,prompt\n1,a.png,a cat\n');
    const img = richhf('pack', '--images', path.join(dir, 'images'), '--prompts', prompts, '--out', path.join(dir, 'images/a.png'));
    expect(img.code).toBe(2);
    const ds = path.join(dir, 'ds.json');
    writeFileSync(ds, readFileSync(fx('expected.json')));
    const e = richhf('evaluate', '--dataset', ds, '--predictions', ds, '--out', ds);
    expect(e.code).toBe(2);
    expect(readFileSync(ds, 'utf8')).toBe(readFileSync(fx('expected.json'), 'utf8'));
  });
});

describe('all outputs or none', () => {
  it('--out a directory with --tfrecord: exit 1 and the TFRecord is not written (an older one kept)', () => {
    const dir = folder('outdir');
    mkdirSync(path.join(dir, 'ds.json'));
    writeFileSync(path.join(dir, 'tf1'), 'previous');
    const r = richhf('consolidate', '--pack', fx('pack.json'), '--out', path.join(dir, 'ds.json'), '--tfrecord', path.join(dir, 'tf1'), ...annotators);
    expect(r.code).toBe(1);
    expect(r.err).toContain('is a directory');
    expect(r.err).toContain('nothing written');
    expect(readFileSync(path.join(dir, 'tf1'), 'utf8')).toBe('previous');
    expect(readdirSync(dir).sort()).toEqual(['ds.json', 'tf1']);
  });

  it('stale temp files of an interrupted run are removed at the next start; others are kept', () => {
    const dir = folder('stale');
    const old = new Date(Date.now() - 3600_000);
    // pid 2^22 + 1 is above Linux's pid_max, so no live process has it.
    const stale = path.join(dir, '.richhf-ds.json.4194305.k3j2.tmp');
    const live = path.join(dir, `.richhf-ds.json.${process.pid}.a1b2.tmp`);
    const foreign = path.join(dir, '.ds.json.123.tmp');
    for (const f of [stale, live, foreign]) {
      writeFileSync(f, 'partial');
      utimesSync(f, old, old);
    }
    const r = richhf('consolidate', '--pack', fx('pack.json'), '--out', path.join(dir, 'ds.json'), ...annotators);
    expect(r.code).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true); // a run still going (this test's own process)
    expect(existsSync(foreign)).toBe(true); // not ours
  });
});

describe('pack image paths stay inside the pack folder', () => {
  it('richhf pack refuses prompt-list paths outside --images', () => {
    const dir = folder('escape');
    mkdirSync(path.join(dir, 'imgs'));
    mkdirSync(path.join(dir, 'outside'));
    writeFileSync(path.join(dir, 'imgs/a.png'), encodeGrayPng(4, 4, new Uint8Array(16)));
    writeFileSync(path.join(dir, 'outside/secret.png'), encodeGrayPng(4, 4, new Uint8Array(16)));
    const prompts = path.join(dir, 'p.jsonl');
    const rows = ['a.png', '../outside/secret.png', path.join(dir, 'outside/secret.png'), '/etc/passwd', 'C:\\x.png', 'imgs\\..\\..\\outside\\secret.png'];
    writeFileSync(prompts, rows.map((image, i) => JSON.stringify({ id: String(i), image, prompt: 'p' })).join('\n'));
    const r = richhf('pack', '--images', path.join(dir, 'imgs'), '--prompts', prompts, '--out', path.join(dir, 'pack.json'));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${prompts}: line 2.image: "../outside/secret.png" goes outside the images folder`);
    expect(r.err).toContain(`${prompts}: line 3.image:`);
    expect(r.err).toContain(`${prompts}: line 4.image: "/etc/passwd" is an absolute path`);
    expect(r.err).not.toContain('imgs/etc/passwd');
    expect(r.err).toContain(`${prompts}: line 5.image:`);
    expect(r.err).toContain(`${prompts}: line 6.image:`);
    expect(existsSync(path.join(dir, 'pack.json'))).toBe(false);
  });

  it('validate and consolidate refuse packs whose images leave the pack folder', () => {
    const pack = JSON.parse(readFileSync(fx('pack.json'), 'utf8'));
    const bad = ['../x.png', '/etc/passwd', '/\\host/x.png', '\\\\host\\x.png', 'images/../../x.png', 'C:/x.png', ' javascript:alert(1)', 'java\tscript:x'];
    bad.forEach((image, i) => (pack.items[i].image = image));
    const file = path.join(folder('badpack'), 'pack.json');
    writeFileSync(file, JSON.stringify(pack));
    const v = richhf('validate', file);
    expect(v.code).toBe(1);
    for (let i = 0; i < bad.length; i++) expect(v.err).toContain(`${file}: items[${i}].image: `);
    const c = richhf('consolidate', '--pack', file, '--out', path.join(tmp, 'never.json'), ...annotators);
    expect(c.code).toBe(1);
    expect(existsSync(path.join(tmp, 'never.json'))).toBe(false);
  });
});

describe('validate reads each file once, whatever the order', () => {
  it('a pack given last still checks the annotation files; "format" need not come first', () => {
    const tokens = alice();
    tokens.annotations[1].misalignedTokens = [12];
    const { format, ...rest } = tokens;
    const file = path.join(folder('order'), 'late-format.json');
    writeFileSync(file, JSON.stringify({ ...rest, format }));
    const r = richhf('validate', file, fx('bob.json'), fx('pack.json'));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${file}: annotations[1].misalignedTokens[0]: token index 12 is out of range`);
    expect(r.out).toContain(`${fx('bob.json')}: ok (annotations by "bob" for pack "demo"`);
  });
});

describe('text encodings', () => {
  it('a UTF-8 BOM is accepted', () => {
    const file = path.join(folder('bom'), 'alice.json');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(fx('alice.json'))]));
    const r = richhf('validate', file);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('UTF-16 and UTF-32 files are refused with the encoding named and no NUL byte printed', () => {
    const text = readFileSync(fx('alice.json'), 'utf8');
    const le16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be16 = Buffer.from(le16).swap16();
    const le32 = Buffer.alloc(text.length * 4);
    for (let i = 0; i < text.length; i++) le32.writeUInt32LE(text.charCodeAt(i), i * 4);
    const cases: [string, Buffer][] = [
      ['UTF-16 LE', le16],
      ['UTF-16 BE', be16],
      ['UTF-16 LE', Buffer.from(text, 'utf16le')], // no BOM
      ['UTF-32 LE', le32],
    ];
    for (const [encoding, bytes] of cases) {
      const file = path.join(folder('enc'), 'f.json');
      writeFileSync(file, bytes);
      const r = richhf('validate', file);
      expect(r.code, encoding).toBe(1);
      expect(r.err, encoding).toContain(`${file}: the file is ${encoding}`);
      expect(r.err).not.toContain('\u0000');
    }
  });
});
