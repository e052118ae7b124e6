import { rm } from 'node:fs/promises';
import path from 'node:path';
import { parseValue } from '../../core/formats/located.ts';
import { problemCount, problemLines, Problems } from '../../core/formats/problems.ts';
import { packPathUrl, relativeFilePath } from '../../core/formats/packPath.ts';
import { TASKPACK_FORMAT, taskPackSchema, taskPackVersionFor, type TaskItem } from '../../core/formats/taskpack.ts';
import { positiveInt, readCommandArgs, UsageError } from '../args.ts';
import { checkOutputs, OutputError, writeFailure, writeOutputs } from '../outputs.ts';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, type Command, type Io } from '../io.ts';
import type { FromParquetOptions } from '../packFromParquet.ts';
import { readText } from '../../node/readInput.ts';
import { imageInfo, readPromptRows } from '../promptList.ts';

const HELP = `usage: richhf pack --images DIR --prompts FILE --out PACK.json [options]
       richhf pack --compare --images DIR --images DIR ... (comparison packs: richhf pack --compare --help)
       richhf pack --from-parquet FILE... --out PACK.json [options]

Builds a task pack (richhf-taskpack) from a folder of images and a prompt list, reading each
image's size (PNG, JPEG, GIF, WebP, BMP). The prompt list is CSV with a header row naming
the columns id, image, prompt (other columns are ignored), a JSON array of
{"id", "image", "prompt"} objects, or JSONL (one such object per line); "image" is a path
inside DIR (relative, "/" or "\\" separators; "..", absolute paths and drive letters that
would leave DIR are refused). In the pack, image paths are written relative to the pack
file, which must therefore be in DIR or a folder above it.

From Parquet: one item per row of the files (a dataset that carries its images, such as
richhf consolidate --parquet writes or a hub dataset), each image written under its item's id
to --images DIR (default: images/ beside the pack; it must be new or empty). A file named as
the hub names shards (train-00000-of-00001.parquet) gives its items that split.

options:
  --images DIR               the folder the prompt list's image paths are relative to (required);
                             with --from-parquet, the folder the images are written to
  --prompts FILE             .csv, .json or .jsonl (required)
  --out FILE                 the pack to write (required; written atomically)
  --annotators-per-item K    annotators wanted per item (default 3)
  --name NAME                the pack's name (default: the --out file name without extension)
  --from-parquet             read the items from the Parquet FILEs given as arguments
  --image-column NAME        with --from-parquet: the image column (default image: a struct of
                             bytes and path, as the hub's Image feature, or bytes)
  --prompt-column NAME       with --from-parquet: the prompt column (default prompt)
  --id-column NAME           with --from-parquet: the id column (default id when there is one,
                             else FILE-ROW)
  -h, --help                 this help

exit codes: 0 written, 1 invalid input (nothing written), 2 usage error
`;

const OPTIONS = {
  images: { type: 'string' },
  prompts: { type: 'string' },
  out: { type: 'string' },
  'annotators-per-item': { type: 'string' },
  name: { type: 'string' },
  'from-parquet': { type: 'boolean' },
  'image-column': { type: 'string' },
  'prompt-column': { type: 'string' },
  'id-column': { type: 'string' },
} as const;

export const command: Command = {
  summary: 'pack',
  async run(args, io) {
    // The comparison mode has its own options and help (packCompare.ts).
    if (args.includes('--compare')) return (await import('./packCompare.ts')).packCompare(args, io);
    const parsed = readCommandArgs('pack', HELP, io, args, OPTIONS, ({ values, positionals }) => {
      const fromParquet = values['from-parquet'] === true;
      const columnOption = (['image-column', 'prompt-column', 'id-column'] as const).find((k) => values[k] !== undefined);
      if (fromParquet) {
        if (!values.out) throw new UsageError('--out is required');
        if (values.prompts !== undefined) throw new UsageError('--prompts and --from-parquet exclude each other');
        if (positionals.length === 0) throw new UsageError('give at least one Parquet file after --from-parquet');
      } else {
        if (columnOption) throw new UsageError(`--${columnOption} needs --from-parquet`);
        for (const k of ['images', 'prompts', 'out'] as const) if (!values[k]) throw new UsageError(`--${k} is required`);
        if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      }
      return {
        fromParquet: fromParquet
          ? { files: positionals, imageColumn: values['image-column'] ?? 'image', promptColumn: values['prompt-column'] ?? 'prompt', idColumn: values['id-column'] }
          : undefined,
        images: values.images ?? path.join(path.dirname(values.out!), 'images'),
        prompts: values.prompts ?? '',
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
    if (opts.fromParquet) return packParquet(io, { ...opts.fromParquet, imagesDir }, opts, packDir, errors);
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
    return reportProblems(io, errors);
  },
};

function reportProblems(io: Io, errors: Problems): number {
  const report = errors.report();
  for (const line of problemLines(report)) io.err(`${line}\n`);
  const count = problemCount(report);
  io.err(`richhf pack: ${count === null ? 'more than 50 problems' : `${count} problem${count === 1 ? '' : 's'}`}; nothing written\n`);
  return EXIT_INVALID;
}

/** --from-parquet: items and images from the files, then the pack; the images land only with the pack. */
async function packParquet(io: Io, from: FromParquetOptions, opts: { out: string; name: string; annotatorsPerItem: number }, packDir: string, errors: Problems): Promise<number> {
  const conflict = await checkOutputs(
    [{ flag: '--out', path: opts.out }],
    from.files.map((f) => ({ flag: '', path: f })),
  );
  if (conflict) {
    io.err(`richhf pack: ${conflict}\n`);
    return EXIT_USAGE;
  }
  const { readParquetItems } = await import('../packFromParquet.ts'); // hyparquet only for --from-parquet
  const read = await readParquetItems(from, packDir, errors);
  if (!read) return reportProblems(io, errors);
  if (read.items.length === 0) {
    await read.discard();
    errors.add(from.files[0]!, '', 'has no rows');
    return reportProblems(io, errors);
  }
  const pack = { format: TASKPACK_FORMAT, version: taskPackVersionFor({ items: read.items }), name: opts.name, annotatorsPerItem: opts.annotatorsPerItem, items: read.items };
  const checked = parseValue(opts.out, pack, taskPackSchema);
  if (!checked.ok) {
    await read.discard();
    errors.addReport(checked);
    return reportProblems(io, errors);
  }
  let placed = false;
  try {
    await read.place();
    placed = true;
    await writeOutputs([[opts.out, `${JSON.stringify(checked.value, null, 2)}\n`]]);
  } catch (e) {
    // Only what this run put there: the folder was new or empty before place().
    if (placed) await rm(from.imagesDir, { recursive: true, force: true });
    else await read.discard();
    if (!(e instanceof OutputError)) throw e;
    io.err(`${writeFailure(e.target, e.cause)}; nothing written\n`);
    return EXIT_INVALID;
  }
  io.out(`wrote pack "${opts.name}" with ${read.items.length} item${read.items.length === 1 ? '' : 's'} to ${opts.out} and their images to ${from.imagesDir}\n`);
  return EXIT_OK;
}
