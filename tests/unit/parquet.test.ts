import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// The independent reader: hyparquet's own decoder, not the writer's code path.
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema, type FileMetaData, type SchemaTree } from 'hyparquet';
import { encodeGrayPng } from '../../src/core/encode/png.ts';
import { base64ToBytes } from '../../src/core/encode/base64.ts';
import { compareCodeUnits } from '../../src/core/text/compare.ts';
import { yamlFeatures, huggingfaceMetadata } from '../../src/core/parquet/feature.ts';
import { COLUMNS } from '../../src/core/parquet/columns.ts';

/**
 * `richhf consolidate --parquet` and `richhf pack --from-parquet`, run as the real binary and
 * read back with hyparquet: every column's type, the image bytes against the pack's files, the
 * maps against the JSON dataset, each annotator's answers against their files, the metadata
 * against what the `datasets` library itself writes (fixtures/parquet/features.json, made by
 * scripts/hf_features_reference.py with datasets 5.0.1).
 */
const root = path.resolve(import.meta.dirname, '../..');
const fx = (name: string) => path.join(root, 'fixtures/consolidate', name);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'richhf-parquet-'));
const annotatorFiles = ['alice.json', 'bob.json', 'carol.json'].map(fx);

function richhf(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/richhf.mjs'), ...args], { cwd: tmp, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface PackItem {
  id: string;
  image: string;
  prompt: string;
  width: number;
  height: number;
  split?: string;
}

/** The fixture pack in its own folder with an image per item (distinct bytes each), so the export has files to carry. */
function packWithImages(name: string, edit: (items: PackItem[]) => void = () => undefined): { dir: string; pack: string; items: PackItem[] } {
  const dir = path.join(tmp, name);
  mkdirSync(path.join(dir, 'images'), { recursive: true });
  const pack = JSON.parse(readFileSync(fx('pack.json'), 'utf8'));
  pack.items.forEach((item: PackItem, i: number) => {
    // Noise (a linear congruential sequence per item): PNGs of about 256 KiB that deflate cannot shrink.
    let x = i + 1;
    const gray = new Uint8Array(item.width * item.height).map(() => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24);
    writeFileSync(path.join(dir, item.image), encodeGrayPng(item.width, item.height, gray));
  });
  edit(pack.items);
  if (pack.items.some((i: PackItem) => i.split !== undefined)) pack.version = 2;
  writeFileSync(path.join(dir, 'pack.json'), JSON.stringify(pack));
  return { dir, pack: path.join(dir, 'pack.json'), items: pack.items };
}

async function readShard(file: string): Promise<{ metadata: FileMetaData; rows: Record<string, unknown>[] }> {
  const buf = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(buf);
  return { metadata, rows: await parquetReadObjects({ file: buf, metadata, utf8: false }) };
}

/** A column's type as the file declares it: `DOUBLE`, `list<BYTE_ARRAY/UTF8>`, `struct{bytes: BYTE_ARRAY, …}`. */
function typeOf(node: SchemaTree): string {
  const e = node.element;
  if (e.converted_type === 'LIST') return `list<${typeOf(node.children[0]!.children[0]!)}>`;
  if (node.children.length > 0) return `struct{${node.children.map((c) => `${c.element.name}: ${typeOf(c)}`).join(', ')}}`;
  return e.converted_type === 'UTF8' ? 'string' : e.type!;
}

const dataset = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const bytesOf = (v: unknown) => Buffer.from((v as { bytes: Uint8Array }).bytes);

// Each case runs the real binary one to three times; on a shared, loaded machine one run can take
// several seconds, so these cases get more than the suite's 20 s (a limit, not a measurement).
const CLI_TIMEOUT = { timeout: 120_000 };

describe('richhf consolidate --parquet', CLI_TIMEOUT, () => {
  it('writes one shard and a card; every column reads back as declared and equals the inputs', async () => {
    const { dir, pack, items } = packWithImages('one');
    const out = path.join(dir, 'hf');
    const r = richhf('consolidate', '--pack', pack, '--out', path.join(dir, 'ds.json'), '--parquet', out, ...annotatorFiles);
    expect(r.err).toContain('warning'); // the fixture's duplicate record
    expect(r.code).toBe(0);
    expect(r.out).toContain(`with its images as Parquet in ${out} (train 6)`);
    expect(readdirSync(path.join(out, 'data'))).toEqual(['train-00000-of-00001.parquet']);

    const { metadata, rows } = await readShard(path.join(out, 'data/train-00000-of-00001.parquet'));
    const ds = dataset(path.join(dir, 'ds.json'));
    expect(Number(metadata.num_rows)).toBe(6);
    expect(rows.map((row) => row.id)).toEqual(ds.items.map((i: { id: string }) => i.id));

    // Every column's type.
    const types = Object.fromEntries(parquetSchema(metadata).children.map((c) => [c.element.name, typeOf(c)]));
    const image = 'struct{bytes: BYTE_ARRAY, path: string}';
    expect(types).toEqual({
      id: 'string',
      prompt: 'string',
      tokens: 'list<string>',
      prompt_misalignment_label: 'string',
      image,
      image_width: 'INT32',
      image_height: 'INT32',
      artifact_score: 'DOUBLE',
      misalignment_score: 'DOUBLE',
      aesthetics_score: 'DOUBLE',
      overall_score: 'DOUBLE',
      plausibility_mean: 'DOUBLE',
      alignment_mean: 'DOUBLE',
      aesthetics_mean: 'DOUBLE',
      overall_mean: 'DOUBLE',
      artifact_map: image,
      misalignment_map: image,
      token_votes: 'list<INT32>',
      annotations:
        'list<struct{annotator: string, plausibility: INT32, alignment: INT32, aesthetics: INT32, overall: INT32, misaligned_tokens: list<INT32>, points: list<struct{kind: string, x: DOUBLE, y: DOUBLE}>, submitted_at: string, active_ms: INT64}>',
    });

    // The `huggingface` metadata is what datasets itself writes, and names the three images.
    const kv = metadata.key_value_metadata ?? [];
    const hf = kv.find((e) => e.key === 'huggingface')!.value!;
    const golden = JSON.parse(readFileSync(path.join(root, 'fixtures/parquet/features.json'), 'utf8'));
    expect(hf).toBe(golden.huggingface);
    const features = JSON.parse(hf).info.features;
    expect(Object.keys(features).filter((k) => features[k]._type === 'Image')).toEqual(['image', 'artifact_map', 'misalignment_map']);
    expect(Object.keys(features)).toEqual(Object.keys(types));

    // Values against the JSON dataset, the pack's image files and the annotators' own files.
    const byId = new Map(items.map((i) => [i.id, i]));
    const inputs = annotatorFiles.map((f) => dataset(f));
    const pseudonyms = new Map(
      inputs
        .map((f) => f.annotator as string)
        .sort(compareCodeUnits)
        .map((a, i) => [a, `annotator-00${i + 1}`]),
    );
    rows.forEach((row, k) => {
      const item = ds.items[k];
      expect(bytesOf(row.image).equals(readFileSync(path.join(dir, byId.get(item.id)!.image)))).toBe(true);
      expect((row.image as { path: string }).path).toBe(path.basename(byId.get(item.id)!.image));
      expect(bytesOf(row.artifact_map).equals(Buffer.from(base64ToBytes(item.artifactHeatmap)))).toBe(true);
      expect(bytesOf(row.misalignment_map).equals(Buffer.from(base64ToBytes(item.misalignmentHeatmap)))).toBe(true);
      expect([row.prompt, row.tokens, row.prompt_misalignment_label, row.token_votes]).toEqual([item.prompt, item.tokens, item.promptMisalignmentLabel, item.tokenVotes]);
      expect([row.image_width, row.image_height]).toEqual([item.imageWidth, item.imageHeight]);
      expect([row.artifact_score, row.misalignment_score, row.aesthetics_score, row.overall_score]).toEqual([
        item.normalizedScores.plausibility,
        item.normalizedScores.alignment,
        item.normalizedScores.aesthetics,
        item.normalizedScores.overall,
      ]);
      expect([row.plausibility_mean, row.alignment_mean, row.aesthetics_mean, row.overall_mean]).toEqual([
        item.scores.plausibility,
        item.scores.alignment,
        item.scores.aesthetics,
        item.scores.overall,
      ]);
      // Each annotator's kept record (the latest of duplicates), as in their file.
      const expected = (item.annotators as string[]).map((a) => {
        const file = inputs.find((f) => f.annotator === a);
        const recs = file.annotations.filter((x: { itemId: string }) => x.itemId === item.id);
        const rec = recs.reduce((p: { submittedAt: string }, q: { submittedAt: string }) => (Date.parse(q.submittedAt) > Date.parse(p.submittedAt) ? q : p));
        return {
          annotator: pseudonyms.get(a),
          ...rec.scores,
          misaligned_tokens: rec.misalignedTokens,
          points: rec.points,
          submitted_at: rec.submittedAt,
          active_ms: BigInt(rec.activeMs),
        };
      });
      expect(row.annotations).toEqual(expected);
    });

    // The card: the hub's YAML for the features, configs naming the files, the conventions.
    const card = readFileSync(path.join(out, 'README.md'), 'utf8');
    const featuresYaml = golden.yaml.replace(/^dataset_info:\n {2}features:\n/, '');
    expect(card).toContain(`---\ndataset_info:\n  features:\n${featuresYaml}\n  splits:\n  - name: train\n    num_examples: 6\n`);
    expect(card).toContain('configs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data/train-*\n---\n');
    for (const phrase of ['R = H/20', '0 = misaligned, 1 = aligned', 'strict majority', 'Each image was shown with its prompt to 3 annotators', 'higher = better aligned'])
      expect(card).toContain(phrase);
  });

  it('splits by the rule and the seed, or by the pack; an earlier export’s shards go', async () => {
    const { dir, pack } = packWithImages('split', (items) => {
      items[0]!.split = 'holdout';
    });
    const out = path.join(dir, 'hf');
    const run = (...extra: string[]) => richhf('consolidate', '--pack', pack, '--out', path.join(dir, 'ds.json'), '--parquet', out, ...extra, ...annotatorFiles);
    // A leftover shard of an earlier export with another count is removed in the same commit.
    mkdirSync(path.join(out, 'data'), { recursive: true });
    writeFileSync(path.join(out, 'data/train-00000-of-00007.parquet'), 'old');
    writeFileSync(path.join(out, 'data/notes.txt'), 'not ours');
    const r = run('--split', 'train=0.5,test=0.5', '--seed', '7');
    expect(r.code).toBe(0);
    const files = readdirSync(path.join(out, 'data')).sort();
    expect(files).toContain('notes.txt');
    expect(files).not.toContain('train-00000-of-00007.parquet');
    const splits: Record<string, string[]> = {};
    for (const f of files.filter((n) => n.endsWith('.parquet'))) {
      const name = /^(\w+)-\d{5}-of-\d{5}\.parquet$/.exec(f)![1]!;
      (splits[name] ??= []).push(...(await readShard(path.join(out, 'data', f))).rows.map((row) => row.id as string));
    }
    expect(splits.holdout).toEqual(['0001']);
    expect([...splits.train!, ...splits.test!, '0001'].sort()).toEqual(['0001', '0002', '0003', '0004', '0005', '0006']);
    const again = run('--split', 'train=0.5,test=0.5', '--seed', '7');
    expect(again.code).toBe(0);
    const card = readFileSync(path.join(out, 'README.md'), 'utf8');
    expect(card).toContain('  - split: holdout\n    path: data/holdout-*');
    expect(card).toContain('with seed 7');
  });

  it('shards stay under --shard-size, named as the hub names them', async () => {
    const { dir, pack } = packWithImages('shards');
    // 1 MB shards of 5 train images of about 256 KiB: row groups of up to 1 MB, so two shards or more, each within 1 MB.
    const small = path.join(dir, 'small');
    expect(richhf('consolidate', '--pack', pack, '--out', path.join(dir, 'ds2.json'), '--parquet', small, '--shard-size', '1', ...annotatorFiles).code).toBe(0);
    const shards = readdirSync(path.join(small, 'data')).sort();
    const train = shards.filter((s) => s.startsWith('train-'));
    expect(train.length).toBeGreaterThanOrEqual(2);
    expect(train).toEqual(train.map((_, i) => `train-0000${i}-of-0000${train.length}.parquet`));
    const counts = await Promise.all(
      shards.map(async (s) => {
        const { metadata, rows } = await readShard(path.join(small, 'data', s));
        if (metadata.row_groups.length > 1) expect(readFileSync(path.join(small, 'data', s)).length).toBeLessThanOrEqual(1_000_000);
        return rows.length;
      }),
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('refuses usage mistakes', () => {
    const { pack } = packWithImages('usage');
    expect(richhf('consolidate', '--pack', pack, '--out', 'x.json', '--split', 'train=0.5', '--parquet', 'p', ...annotatorFiles).err).toContain(
      '--split: the shares must add up to 1, they add up to 0.5',
    );
    expect(richhf('consolidate', '--pack', pack, '--out', 'x.json', '--seed', '1', ...annotatorFiles).err).toContain('--seed needs --parquet DIR');
  });

  it('refuses an image that is missing, not an image, or of another size, writing nothing', () => {
    const { dir, pack } = packWithImages('bad');
    const refused = (why: string) => {
      const r = richhf('consolidate', '--pack', pack, '--out', path.join(dir, 'x.json'), '--parquet', path.join(dir, 'hf'), ...annotatorFiles);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`${pack}: item "0002": image "images/0002.png": ${why}; nothing written`);
      expect(readdirSync(dir).sort()).toEqual(['images', 'pack.json']);
    };
    writeFileSync(path.join(dir, 'images/0002.png'), encodeGrayPng(4, 4, new Uint8Array(16)));
    refused('is 4x4 pixels, but the item is 512x512 (its points are in those pixels)');
    writeFileSync(path.join(dir, 'images/0002.png'), '');
    refused('is not a PNG, JPEG, GIF, WebP or BMP image');
    rmSync(path.join(dir, 'images/0002.png'));
    refused('no such file');
  });

  it('reports a shard the writer thread cannot write, naming the file, and leaves nothing behind', () => {
    const { dir, pack } = packWithImages('full');
    // A file size limit of 512 KiB (bash counts 1 KiB blocks): the dataset JSON (under 20 KB)
    // fits, the shard (8 images of about 256 KiB) does not; Node ignores SIGXFSZ, so the
    // thread's write fails with EFBIG as on a full disk.
    const bin = path.join(root, 'bin/richhf.mjs');
    const args = ['consolidate', '--pack', pack, '--out', path.join(dir, 'x.json'), '--parquet', path.join(dir, 'hf'), ...annotatorFiles];
    const r = spawnSync('bash', ['-c', 'ulimit -f 512 && exec "$@"', 'bash', process.execPath, bin, ...args], { cwd: tmp, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${path.join(dir, 'hf/data/train-00000.parquet')}: cannot write: EFBIG`);
    expect(r.stderr).toContain('nothing written');
    expect(readdirSync(dir).sort()).toEqual(['images', 'pack.json']);
  });
});

describe('richhf pack --from-parquet', CLI_TIMEOUT, () => {
  it('turns an export back into a pack with the same items and image bytes', async () => {
    const { dir, pack, items } = packWithImages('round', (list) => {
      list[1]!.split = 'validation';
    });
    const out = path.join(dir, 'hf');
    expect(richhf('consolidate', '--pack', pack, '--out', path.join(dir, 'ds.json'), '--parquet', out, ...annotatorFiles).code).toBe(0);
    const shards = readdirSync(path.join(out, 'data')).map((f) => path.join(out, 'data', f));
    const back = path.join(tmp, 'back');
    const r = richhf('pack', '--from-parquet', ...shards, '--out', path.join(back, 'pack.json'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const written = dataset(path.join(back, 'pack.json'));
    const kept = dataset(path.join(dir, 'ds.json')).items.map((i: { id: string }) => i.id) as string[];
    const byId = new Map(items.map((i) => [i.id, i]));
    expect(written.items.map((i: PackItem) => i.id).sort()).toEqual([...kept].sort());
    for (const item of written.items as PackItem[]) {
      const orig = byId.get(item.id)!;
      expect([item.prompt, item.width, item.height]).toEqual([orig.prompt, orig.width, orig.height]);
      expect(item.split).toBe(orig.split ?? 'train');
      expect(readFileSync(path.join(back, item.image)).equals(readFileSync(path.join(dir, orig.image)))).toBe(true);
    }
    // Column names as options; a missing column is named.
    const bad = richhf('pack', '--from-parquet', shards[0]!, '--prompt-column', 'caption', '--out', path.join(tmp, 'back2/pack.json'));
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('no column "caption"');
  });
});

describe('the metadata and card declarations', () => {
  it('huggingfaceMetadata and yamlFeatures are what datasets 5 writes', () => {
    const golden = JSON.parse(readFileSync(path.join(root, 'fixtures/parquet/features.json'), 'utf8'));
    expect(huggingfaceMetadata(COLUMNS)).toBe(golden.huggingface);
    expect(['dataset_info:', '  features:', ...yamlFeatures(COLUMNS, 2)].join('\n')).toBe(golden.yaml);
  });
});
