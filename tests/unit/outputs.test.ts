import { spawn } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOutputs, OutputError, OutputFolder, Outputs, removeStaleTemps, writeOutputs } from '../../src/cli/outputs.ts';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'richhf-outputs-'));
let n = 0;
const sandbox = () => {
  const dir = path.join(tmp, `s${n++}`);
  mkdirSync(dir);
  return dir;
};
/** Every file under dir, relative, sorted (temps included: they start with a dot). */
function listAll(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => !d.isDirectory())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
    .sort();
}
const temps = (dir: string) => listAll(dir).filter((f) => path.basename(f).startsWith('.richhf-'));

describe('outputs never replace inputs or each other', () => {
  it('the same file by name, by another spelling, through a symlink or a hard link', async () => {
    const dir = sandbox();
    const a = path.join(dir, 'a.json');
    writeFileSync(a, 'input');
    symlinkSync(a, path.join(dir, 'sym.json'));
    linkSync(a, path.join(dir, 'hard.json'));
    mkdirSync(path.join(dir, 'sub'));
    const inputs = [{ flag: '--pack', path: a }];
    for (const out of ['a.json', 'sym.json', 'hard.json', 'sub/../a.json', './sub/../a.json']) {
      expect(await checkOutputs([{ flag: '--out', path: path.join(dir, out) }], inputs), out).toMatch(/^--out .* is the input --pack .*: an output must never replace an input$/);
    }
    expect(await checkOutputs([{ flag: '--out', path: path.join(dir, 'new.json') }], inputs)).toBeNull();
    expect(
      await checkOutputs(
        [
          { flag: '--out', path: path.join(dir, 'x.json') },
          { flag: '--tfrecord', path: path.join(dir, 'sub/../x.json') },
        ],
        inputs,
      ),
    ).toBe(`--tfrecord ${path.join(dir, 'sub/../x.json')} and --out ${path.join(dir, 'x.json')} are the same file: give each output its own`);
  });
});

describe('all outputs or none', () => {
  it('a failure while renaming puts back every output already renamed; no temp is left', async () => {
    const dir = sandbox();
    const first = path.join(dir, 'first.tfrecord');
    const second = path.join(dir, 'second.json');
    writeFileSync(first, 'old');
    const outputs = await Outputs.open([first, second]);
    await outputs.file(first).write('new first');
    await outputs.file(second).write('new second');
    mkdirSync(second); // the second target turns into a folder before the commit
    const err = await outputs.commit().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputError);
    expect((err as OutputError).target).toBe(second);
    expect(readFileSync(first, 'utf8')).toBe('old');
    expect(listAll(dir)).toEqual(['first.tfrecord']);
  });

  it('a target that is a folder fails at open, before anything is written', async () => {
    const dir = sandbox();
    mkdirSync(path.join(dir, 'ds.json'));
    const err = await Outputs.open([path.join(dir, 'tf'), path.join(dir, 'ds.json')]).catch((e: unknown) => e);
    expect(err).toMatchObject({ target: path.join(dir, 'ds.json'), code: 'EISDIR' });
    expect(listAll(dir)).toEqual([]);
  });

  it('temps sit beside their targets and go on abort', async () => {
    const dir = sandbox();
    mkdirSync(path.join(dir, 'sub'));
    const outputs = await Outputs.open([path.join(dir, 'sub/a.json')]);
    await outputs.file(path.join(dir, 'sub/a.json')).write('x');
    expect(temps(dir)).toEqual([expect.stringMatching(new RegExp(`^sub/\\.richhf-a\\.json\\.${process.pid}\\.[a-z0-9]+\\.tmp$`))]);
    await outputs.abort();
    expect(listAll(dir)).toEqual([]);
  });
});

describe('a new folder (the images of pack --compare)', () => {
  it('is filled under a temp name, placed whole, or removed whole; never over an existing one', async () => {
    const dir = sandbox();
    const target = path.join(dir, 'images');
    const folder = await OutputFolder.create(target);
    writeFileSync(path.join(folder.temp, 'a.png'), 'x');
    expect(readdirSync(dir)).toEqual([expect.stringMatching(new RegExp(`^\\.richhf-images\\.${process.pid}\\.[a-z0-9]+\\.tmp$`))]);
    await folder.place();
    folder.keep();
    expect(readdirSync(dir)).toEqual(['images']);
    expect(listAll(dir)).toEqual(['images/a.png']);

    const again = await OutputFolder.create(target);
    const err = await again.place().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputError);
    expect((err as OutputError).code).toBe('EEXIST');
    await again.remove();
    expect(readdirSync(dir)).toEqual(['images']);
    expect(listAll(dir)).toEqual(['images/a.png']);

    const placed = await OutputFolder.create(path.join(dir, 'more'));
    await placed.place();
    expect(readdirSync(dir).sort()).toEqual(['images', 'more']);
    await placed.remove(); // a later output failed: the folder goes too
    expect(readdirSync(dir)).toEqual(['images']);
  });
});

describe('stale temps', () => {
  it('a temp folder of a run that is gone is removed with what it holds', async () => {
    const dir = sandbox();
    const old = new Date(Date.now() - 3600_000);
    const stale = path.join(dir, '.richhf-images.4194305.k3j2.tmp');
    mkdirSync(stale);
    writeFileSync(path.join(stale, 'a.png'), 'x');
    utimesSync(stale, old, old);
    mkdirSync(path.join(dir, '.richhf-images.4194305.k3j2.bak'));
    utimesSync(path.join(dir, '.richhf-images.4194305.k3j2.bak'), old, old);
    expect((await removeStaleTemps([dir])).map((f) => path.basename(f))).toEqual(['.richhf-images.4194305.k3j2.tmp']);
    expect(readdirSync(dir)).toEqual(['.richhf-images.4194305.k3j2.bak']);
  });

  it('ours, older than this run and from a process that is gone, are removed; nothing else', async () => {
    const dir = sandbox();
    const old = new Date(Date.now() - 3600_000);
    const names = ['.richhf-ds.json.4194305.k3j2.tmp', '.richhf-ds.json.4194305.k3j2.bak', `.richhf-ds.json.${process.pid}.a1.tmp`, '.ds.json.123.tmp', 'data.json'];
    for (const f of names) {
      writeFileSync(path.join(dir, f), 'x');
      utimesSync(path.join(dir, f), old, old);
    }
    writeFileSync(path.join(dir, '.richhf-new.json.4194305.zz.tmp'), 'x'); // newer than this run: kept
    const removed = await removeStaleTemps([dir]);
    expect(removed.map((f) => path.basename(f)).sort()).toEqual(['.richhf-ds.json.4194305.k3j2.bak', '.richhf-ds.json.4194305.k3j2.tmp']);
    expect(readdirSync(dir).sort()).toEqual(['.ds.json.123.tmp', `.richhf-ds.json.${process.pid}.a1.tmp`, '.richhf-new.json.4194305.zz.tmp', 'data.json']);
  });
});

describe('interrupted runs', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal}: the temps (a new folder's too) go, an existing target stays as it was, and the process dies of the signal`, async () => {
      const dir = sandbox();
      const kept = path.join(dir, 'ds.json');
      writeFileSync(kept, 'previous');
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(root, 'tests/unit/helpers/holdOutputs.ts'), kept, path.join(dir, 'ds.tfrecord'), `${path.join(dir, 'images')}/`],
        {
          cwd: root,
          stdio: ['pipe', 'pipe', 'inherit'],
        },
      );
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        child.on('exit', () => reject(new Error('exited before it was ready')));
      });
      expect(temps(dir)).toHaveLength(2);
      expect(listAll(dir).filter((f) => /^\.richhf-images\.\d+\.[a-z0-9]+\.tmp\/a\.png$/.test(f))).toHaveLength(1);
      child.kill(signal);
      expect(await exited).toBe(signal);
      expect(listAll(dir)).toEqual(['ds.json']);
      expect(readFileSync(kept, 'utf8')).toBe('previous');
    });
  }
});

describe('property: whatever the outputs, no input changes, nothing is written outside, no temp is left', () => {
  it('holds for outputs that are inputs, links, other spellings, folders, missing folders and repeats', async () => {
    const pool = ['a.json', 'b.json', 'sym', 'hard', 'd/../a.json', './b.json', 'o1.json', 'o2.json', 'd/o3.json', 'missing/o.json', 'd', 'd/./o3.json', '../outside.json'];
    const seen = { conflict: 0, failed: 0, written: 0 };
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: 3 }), fc.boolean(), async (outs, preexisting) => {
        const parent = sandbox();
        const dir = path.join(parent, 'box');
        mkdirSync(path.join(dir, 'd'), { recursive: true });
        writeFileSync(path.join(dir, 'a.json'), 'A');
        writeFileSync(path.join(dir, 'b.json'), 'B');
        symlinkSync(path.join(dir, 'a.json'), path.join(dir, 'sym'));
        linkSync(path.join(dir, 'b.json'), path.join(dir, 'hard'));
        if (preexisting) writeFileSync(path.join(dir, 'o1.json'), 'old');
        const before = Object.fromEntries(listAll(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
        const targets = outs.map((o) => path.join(dir, o));
        const conflict = await checkOutputs(
          targets.map((t, i) => ({ flag: `--out${i}`, path: t })),
          [
            { flag: '--pack', path: path.join(dir, 'a.json') },
            { flag: '', path: path.join(dir, 'b.json') },
          ],
        );
        let ok = false;
        if (conflict) seen.conflict++;
        else {
          try {
            await writeOutputs(targets.map((t, i) => [t, `out${i}`] as const));
            ok = true;
            seen.written++;
          } catch (e) {
            expect(e).toBeInstanceOf(OutputError);
            seen.failed++;
          }
        }
        // Inputs unchanged, whatever happened.
        expect(readFileSync(path.join(dir, 'a.json'), 'utf8')).toBe('A');
        expect(readFileSync(path.join(dir, 'b.json'), 'utf8')).toBe('B');
        // No temp anywhere; outside the box only what an accepted output named.
        expect(temps(parent)).toEqual([]);
        const outside = listAll(parent).filter((f) => !f.startsWith(`box${path.sep}`));
        expect(outside).toEqual(ok && outs.includes('../outside.json') ? ['outside.json'] : []);
        const after = Object.fromEntries(listAll(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
        if (ok) targets.forEach((t, i) => expect(readFileSync(t, 'utf8')).toBe(`out${i}`));
        else expect(after).toEqual(before); // all or none
        rmSync(parent, { recursive: true });
      }),
      { numRuns: 150 },
    );
    expect(seen.conflict).toBeGreaterThan(0);
    expect(seen.failed).toBeGreaterThan(0);
    expect(seen.written).toBeGreaterThan(0);
  });
});
