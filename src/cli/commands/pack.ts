import { open } from 'node:fs/promises';
import path from 'node:path';
import { parseCsv } from '../../core/text/csv.ts';
import { jsonSyntaxError } from '../../core/formats/jsonScan.ts';
import { parseValue } from '../../core/formats/located.ts';
import { problemCount, problemLines, Problems } from '../../core/formats/problems.ts';
import { packPathUrl, relativeFilePath } from '../../core/formats/packPath.ts';
import { TASKPACK_FORMAT, taskPackSchema, taskPackVersionFor, type TaskItem } from '../../core/formats/taskpack.ts';
import { readImageSize, type ImageInfo } from '../../core/encode/imageSize.ts';
import { positiveInt, readCommandArgs, UsageError } from '../args.ts';
import { checkOutputs, OutputError, writeFailure, writeOutputs } from '../outputs.ts';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, type Command } from '../io.ts';
import { readText } from '../../node/readInput.ts';

const HELP = `usage: richhf pack --images DIR --prompts FILE --out PACK.json [options]

Builds a task pack (richhf-taskpack) from a folder of images and a prompt list, reading each
image's size (PNG, JPEG, GIF, WebP, BMP). The prompt list is CSV with a header row naming
the columns id, image, prompt (other columns are ignored), a JSON array of
{"id", "image", "prompt"} objects, or JSONL (one such object per line); "image" is a path
inside DIR (relative, "/" or "\\" separators; "..", absolute paths and drive letters that
would leave DIR are refused). In the pack, image paths are written relative to the pack
file, which must therefore be in DIR or a folder above it.

options:
  --images DIR               the folder the prompt list's image paths are relative to (required)
  --prompts FILE             .csv, .json or .jsonl (required)
  --out FILE                 the pack to write (required; written atomically)
  --annotators-per-item K    annotators wanted per item (default 3)
  --name NAME                the pack's name (default: the --out file name without extension)
  -h, --help                 this help

exit codes: 0 written, 1 invalid input (nothing written), 2 usage error
`;

const OPTIONS = {
  images: { type: 'string' },
  prompts: { type: 'string' },
  out: { type: 'string' },
  'annotators-per-item': { type: 'string' },
  name: { type: 'string' },
} as const;

/** One entry of the prompt list and where it came from (`[3]` or `line 4`). */
interface PromptRow {
  readonly where: string;
  readonly id: unknown;
  readonly image: unknown;
  readonly prompt: unknown;
}

function readPromptRows(file: string, text: string, errors: Problems): PromptRow[] {
  const ext = path.extname(file).toLowerCase();
  const trimmed = text.trimStart();
  const kind =
    ext === '.csv' ? 'csv' : ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : ext === '.json' || trimmed.startsWith('[') ? 'json' : trimmed.startsWith('{') ? 'jsonl' : 'csv';
  const fromObject = (where: string, v: unknown): PromptRow | undefined => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      errors.add(file, where, 'must be an object with id, image and prompt');
      return undefined;
    }
    const o = v as Record<string, unknown>;
    return { where, id: o.id, image: o.image, prompt: o.prompt };
  };
  if (kind === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      errors.add(file, '', `invalid JSON: ${jsonSyntaxError(text, (e as Error).message)}`);
      return [];
    }
    const list = Array.isArray(value) ? value : (value as { items?: unknown })?.items;
    if (!Array.isArray(list)) {
      errors.add(file, '', 'must be an array of {id, image, prompt} objects');
      return [];
    }
    return list.flatMap((v, i) => fromObject(`[${i}]`, v) ?? []);
  }
  if (kind === 'jsonl') {
    const rows: PromptRow[] = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        const row = fromObject(`line ${i + 1}`, JSON.parse(line));
        if (row) rows.push(row);
      } catch (e) {
        errors.add(file, `line ${i + 1}`, `invalid JSON: ${jsonSyntaxError(line, (e as Error).message).replace(/^line 1, c/, 'c')}`);
      }
    });
    return rows;
  }
  const csv = parseCsv(text);
  if (csv.error) {
    errors.add(file, `line ${csv.error.line}`, csv.error.message);
    return [];
  }
  const [header, ...body] = csv.rows;
  if (!header) {
    errors.add(file, '', 'empty: expected a header row "id,image,prompt" and one row per item');
    return [];
  }
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const col = (name: string) => names.indexOf(name);
  const missing = ['id', 'image', 'prompt'].filter((n) => col(n) < 0);
  if (missing.length > 0) {
    errors.add(file, 'line 1', `the header must name the columns id, image and prompt (missing: ${missing.join(', ')})`);
    return [];
  }
  return body.map((r) => ({ where: `line ${r.line}`, id: r.fields[col('id')], image: r.fields[col('image')], prompt: r.fields[col('prompt')] }));
}

async function imageInfo(file: string): Promise<ImageInfo | 'missing' | 'unknown'> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return 'missing';
  }
  try {
    const head = new Uint8Array(65_536);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    let info = readImageSize(head.subarray(0, bytesRead));
    // A JPEG's size can sit behind large metadata: read the whole file then.
    if (!info && bytesRead === head.length && head[0] === 0xff && head[1] === 0xd8) info = readImageSize(await handle.readFile());
    return info ?? 'unknown';
  } finally {
    await handle.close();
  }
}

export const command: Command = {
  summary: 'pack',
  async run(args, io) {
    const parsed = readCommandArgs('pack', HELP, io, args, OPTIONS, ({ values, positionals }) => {
      for (const k of ['images', 'prompts', 'out'] as const) if (!values[k]) throw new UsageError(`--${k} is required`);
      if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      return {
        images: values.images!,
        prompts: values.prompts!,
        out: values.out!,
        annotatorsPerItem: values['annotators-per-item'] !== undefined ? positiveInt('annotators-per-item', values['annotators-per-item'], 100) : 3,
        name: values.name ?? path.basename(values.out!).replace(/\.[^.]*$/, ''),
      };
    });
    if (!parsed.ok) return parsed.exit;
    const opts = parsed.value;

    // The pack's image paths are relative to its own folder and must stay inside it (packPath.ts).
    const imagesDir = path.resolve(opts.images);
    const packDir = path.dirname(path.resolve(opts.out));
    const fromPack = path.relative(packDir, imagesDir);
    if (path.isAbsolute(fromPack) || fromPack.split(path.sep)[0] === '..') {
      io.err(`richhf pack: --out ${opts.out} must be in the images folder or a folder above it, so that the pack's image paths stay inside the pack's folder\n`);
      return EXIT_USAGE;
    }
    const base = fromPack === '' ? [] : fromPack.split(path.sep);

    const errors = new Problems();
    const read: string[] = [opts.prompts];
    const text = await readText(opts.prompts);
    if (!text.ok) errors.addReport(text);
    const rows = text.ok ? readPromptRows(opts.prompts, text.text, errors) : [];
    if (text.ok && rows.length === 0 && !errors.has()) errors.add(opts.prompts, '', 'lists no items');
    const items: TaskItem[] = [];
    const where: string[] = [];
    const seen = new Map<string, string>();
    for (const row of rows) {
      const err = (field: string, message: string) => errors.add(opts.prompts, `${row.where}.${field}`, message);
      const okId = typeof row.id === 'string' && row.id !== '';
      if (!okId) err('id', typeof row.id === 'string' ? 'must not be empty' : 'required (a string)');
      if (typeof row.prompt !== 'string') err('prompt', 'required (a string)');
      if (typeof row.image !== 'string' || row.image === '') {
        err('image', 'required (a path inside the images folder)');
        continue;
      }
      if (okId) {
        const first = seen.get(row.id as string);
        if (first !== undefined) err('id', `duplicate id "${String(row.id)}" (first used at ${first})`);
        else seen.set(row.id as string, row.where);
      }
      const rel = relativeFilePath(row.image, 'the images folder');
      if (!rel.ok) {
        err('image', `${JSON.stringify(row.image)} ${rel.reason}`);
        continue;
      }
      const file = path.join(imagesDir, ...rel.value);
      read.push(file);
      const info = await imageInfo(file);
      if (info === 'missing') err('image', `no such file: ${path.join(opts.images, ...rel.value)}`);
      else if (info === 'unknown') err('image', `not a PNG, JPEG, GIF, WebP or BMP image: ${path.join(opts.images, ...rel.value)}`);
      else if (okId && typeof row.prompt === 'string') {
        items.push({ id: row.id as string, image: packPathUrl([...base, ...rel.value]), prompt: row.prompt, width: info.width, height: info.height });
        where.push(row.where);
      }
    }
    if (!errors.has()) {
      const pack = { format: TASKPACK_FORMAT, version: taskPackVersionFor({ items }), name: opts.name, annotatorsPerItem: opts.annotatorsPerItem, items };
      const checked = parseValue(opts.out, pack, taskPackSchema);
      if (!checked.ok) {
        // Point item errors back at the prompt list's rows; the rest (the name) are options.
        for (const e of checked.errors) {
          const m = /^items\[(\d+)\]\.?(.*)$/.exec(e.path);
          errors.addError(m ? { file: opts.prompts, path: `${where[Number(m[1])]}.${m[2]}`, message: e.message } : { file: '--name', path: '', message: e.message });
        }
      } else {
        const conflict = await checkOutputs(
          [{ flag: '--out', path: opts.out }],
          read.map((p, i) => ({ flag: i === 0 ? '--prompts' : '', path: p })),
        );
        if (conflict) {
          io.err(`richhf pack: ${conflict}\n`);
          return EXIT_USAGE;
        }
        try {
          await writeOutputs([[opts.out, `${JSON.stringify(checked.value, null, 2)}\n`]]);
        } catch (e) {
          if (!(e instanceof OutputError)) throw e;
          io.err(`${writeFailure(e.target, e.cause)}; nothing written\n`);
          return EXIT_INVALID;
        }
        io.out(`wrote pack "${opts.name}" with ${items.length} item${items.length === 1 ? '' : 's'} to ${opts.out}\n`);
        return EXIT_OK;
      }
    }
    const report = errors.report();
    for (const line of problemLines(report)) io.err(`${line}\n`);
    const count = problemCount(report);
    io.err(`richhf pack: ${count === null ? 'more than 50 problems' : `${count} problem${count === 1 ? '' : 's'}`}; nothing written\n`);
    return EXIT_INVALID;
  },
};
