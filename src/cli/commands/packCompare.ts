import { createHash, randomInt } from 'node:crypto';
import { lstat, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { joinKey } from '../../core/compare/blind.ts';
import { pairItems, type PromptImages, type SystemImage } from '../../core/compare/pairs.ts';
import { imageMetadata } from '../../core/encode/imageMetadata.ts';
import { readImageSize } from '../../core/encode/imageSize.ts';
import { idSchema } from '../../core/formats/common.ts';
import { CRITERIA, criterionSchema, type Criterion } from '../../core/formats/comparison.ts';
import { COMPARISON_KEY_FORMAT, COMPARISON_KEY_VERSION, comparisonKeySchema } from '../../core/formats/comparisonKey.ts';
import { parseValue, type LocatedError } from '../../core/formats/located.ts';
import { packPathUrl, relativeFilePath } from '../../core/formats/packPath.ts';
import { problemCount, problemLines, Problems } from '../../core/formats/problems.ts';
import { TASKPACK_FORMAT, taskPackSchema, taskPackVersionFor } from '../../core/formats/taskpack.ts';
import { positiveInt, readCommandArgs, UsageError } from '../args.ts';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, type Io } from '../io.ts';
import { checkOutputs, OutputError, OutputFolder, writeFailure, writeOutputs } from '../outputs.ts';
import { readPromptRows } from '../promptList.ts';
import { readText } from '../../node/readInput.ts';

const HELP = `usage: richhf pack --compare --images DIR --images DIR [--images DIR ...] --prompts FILE
                   --out PACK.json --key KEY.json [options]

Builds a blind side-by-side comparison pack (richhf-taskpack items of "kind": "compare") from
two or more folders of images made from the same prompts, one folder per system; a folder's
name is its system's name. Each prompt gets one item per pair of systems (every pair when
there are more than two). A prompt's image in each folder is the file the list's "image"
column names (the same name in every folder), or else the one image file whose name without
its extension is the prompt's id.

The pack names no system: its images are copied into a new folder (--out-images) under names
made from their contents, the order of each item's two images is drawn at random, and which
system made which image goes to the key (richhf-comparison-key), for the lead alone. Hand out
the pack and its images folder; keep the key for richhf compare --pack PACK --key KEY.

options:
  --compare                  build a comparison pack (this mode)
  --images DIR               one system's folder; once per system, at least twice (required)
  --prompts FILE             .csv, .json or .jsonl with id, prompt and optionally image (required)
  --out FILE                 the annotators' pack to write (required)
  --key FILE                 the key to write (required; never inside the images folder)
  --out-images DIR           the folder the images are copied to, inside the pack's folder; it
                             must not exist yet (default: "images" beside --out)
  --lead-pack FILE           also write the lead's pack, which names the systems (richhf
                             compare then needs no --key)
  --criteria LIST            what annotators judge, comma-separated, of ${CRITERIA.join(', ')}
                             (default: plausibility)
  --seed N                   the draw's seed (default: a random one, printed); the same inputs
                             and seed give the same pack
  --instructions FILE        a UTF-8 text file: the instructions annotators see
  --annotators-per-item K    annotators wanted per item (default 3; the RichHF paper had 6)
  --name NAME                the pack's name (default: the --out file name without extension)
  -h, --help                 this help

exit codes: 0 written, 1 invalid input (nothing written), 2 usage error
`;

const OPTIONS = {
  compare: { type: 'boolean' },
  images: { type: 'string', multiple: true },
  prompts: { type: 'string' },
  out: { type: 'string' },
  key: { type: 'string' },
  'out-images': { type: 'string' },
  'lead-pack': { type: 'string' },
  criteria: { type: 'string' },
  seed: { type: 'string' },
  'annotators-per-item': { type: 'string' },
  instructions: { type: 'string' },
  name: { type: 'string' },
} as const;

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.bmp']);
const EXTENSION_OF = { png: 'png', jpeg: 'jpg', gif: 'gif', webp: 'webp', bmp: 'bmp' } as const;

/** `inner` is `outer` or inside it (absolute paths). */
function within(inner: string, outer: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (!path.isAbsolute(rel) && rel.split(path.sep)[0] !== '..');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

interface System {
  readonly name: string;
  /** As given on the command line, for messages and the key. */
  readonly given: string;
  readonly dir: string;
  /** Image files by name without extension. */
  readonly byStem: Map<string, string[]>;
  metadata: Set<string>;
  metadataFiles: number;
}

export async function packCompare(args: string[], io: Io): Promise<number> {
  const parsed = readCommandArgs('pack', HELP, io, args, OPTIONS, ({ values, positionals }) => {
    for (const k of ['prompts', 'out', 'key'] as const) if (!values[k]) throw new UsageError(`--${k} is required`);
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const images = values.images ?? [];
    if (images.length < 2) throw new UsageError(`--images: give one folder per system, at least two (got ${images.length})`);
    const names = images.map((d) => path.basename(path.resolve(d)));
    names.forEach((name, i) => {
      const ok = parseValue('--images', name, idSchema);
      if (!ok.ok) throw new UsageError(`--images ${images[i]}: the folder's name "${name}" is the system's name and ${ok.errors[0]!.message}`);
      const j = names.indexOf(name);
      if (j < i) throw new UsageError(`--images ${images[j]} and ${images[i]} have the same name "${name}": each system's folder needs its own name`);
    });
    let criteria: Criterion[] | undefined;
    if (values.criteria !== undefined) {
      criteria = values.criteria.split(',').map((c) => {
        const r = parseValue('--criteria', c.trim(), criterionSchema);
        if (!r.ok) throw new UsageError(`--criteria: "${c.trim()}" is not one of ${CRITERIA.join(', ')}`);
        return r.value;
      });
      if (new Set(criteria).size !== criteria.length) throw new UsageError('--criteria: each criterion once');
    }
    if (values.seed !== undefined && !/^\d{1,9}$/.test(values.seed)) throw new UsageError(`--seed must be an integer from 0 to 999999999, got "${values.seed}"`);
    return {
      images,
      names,
      prompts: values.prompts!,
      out: values.out!,
      key: values.key!,
      outImages: values['out-images'],
      leadPack: values['lead-pack'],
      criteria,
      seed: values.seed ?? String(randomInt(1_000_000_000)),
      instructions: values.instructions,
      annotatorsPerItem: values['annotators-per-item'] !== undefined ? positiveInt('annotators-per-item', values['annotators-per-item'], 100) : 3,
      name: values.name ?? path.basename(values.out!).replace(/\.[^.]*$/, ''),
    };
  });
  if (!parsed.ok) return parsed.exit;
  const opts = parsed.value;
  const usage = (message: string) => {
    io.err(`richhf pack: ${message}\n`);
    return EXIT_USAGE;
  };

  // Where things go: the images inside the pack's folder (the pack path rule), in a new folder
  // that is no system's; the key outside it, so that handing out the images never hands it out.
  const packDir = path.dirname(path.resolve(opts.out));
  const outImages = path.resolve(opts.outImages ?? path.join(packDir, 'images'));
  const fromPack = path.relative(packDir, outImages);
  if (fromPack === '' || !within(outImages, packDir)) return usage(`--out-images ${opts.outImages ?? outImages} must be a folder inside the pack's folder (${packDir})`);
  if (await lstat(outImages).catch(() => null))
    return usage(`${opts.outImages ?? outImages} exists: the images go to a new folder (remove it, or choose another with --out-images)`);
  const dirs = opts.images.map((d) => path.resolve(d));
  for (const [i, dir] of dirs.entries()) {
    if (within(outImages, dir) || within(dir, outImages)) return usage(`--out-images ${outImages} and --images ${opts.images[i]} overlap: the copies go to a folder of their own`);
  }
  if (within(path.resolve(opts.key), outImages)) return usage(`--key ${opts.key} is inside the images folder handed out to annotators: keep it elsewhere`);
  const outputs = [{ flag: '--out', path: opts.out }, { flag: '--key', path: opts.key }, ...(opts.leadPack !== undefined ? [{ flag: '--lead-pack', path: opts.leadPack }] : [])];
  const conflict = await checkOutputs(outputs, [
    { flag: '--prompts', path: opts.prompts },
    ...(opts.instructions !== undefined ? [{ flag: '--instructions', path: opts.instructions }] : []),
    ...opts.images.map((d) => ({ flag: '--images', path: d })),
  ]);
  if (conflict) return usage(conflict);

  const errors = new Problems();
  const systems: System[] = [];
  for (const [i, dir] of dirs.entries()) {
    let names: string[];
    try {
      names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && IMAGE_EXTENSIONS.has(path.extname(e.name).toLowerCase())).map((e) => e.name);
    } catch {
      errors.add(opts.images[i]!, '', 'cannot read: not a folder');
      continue;
    }
    const byStem = new Map<string, string[]>();
    for (const n of names.sort()) {
      const stem = n.slice(0, n.length - path.extname(n).length);
      byStem.set(stem, [...(byStem.get(stem) ?? []), n]);
    }
    systems.push({ name: opts.names[i]!, given: opts.images[i]!, dir, byStem, metadata: new Set(), metadataFiles: 0 });
  }
  const text = await readText(opts.prompts);
  if (!text.ok) errors.addReport(text);
  const rows = text.ok ? readPromptRows(opts.prompts, text.text, errors, ['id', 'prompt']) : [];
  if (text.ok && rows.length === 0 && !errors.has()) errors.add(opts.prompts, '', 'lists no prompts');
  let instructions: string | undefined;
  if (opts.instructions !== undefined) {
    const read = await readText(opts.instructions);
    if (read.ok) instructions = read.text.replace(/\s+$/, '');
    else errors.addReport(read);
  }
  if (errors.has()) return invalid(io, errors);

  let folder: OutputFolder;
  try {
    folder = await OutputFolder.create(outImages);
  } catch (e) {
    if (!(e instanceof OutputError)) throw e;
    io.err(`${writeFailure(e.target, e.cause)}; nothing written\n`);
    return EXIT_INVALID;
  }
  try {
    const prompts: PromptImages[] = [];
    const rowOf = new Map<string, string>();
    const copied = new Map<string, string>();
    const differ: string[] = [];
    for (const row of rows) {
      const err = (field: string, message: string) => errors.add(opts.prompts, `${row.where}${field ? `.${field}` : ''}`, message);
      if (typeof row.id !== 'string' || row.id === '') {
        err('id', typeof row.id === 'string' ? 'must not be empty' : 'required (a string)');
        continue;
      }
      if (typeof row.prompt !== 'string') err('prompt', 'required (a string)');
      const first = rowOf.get(row.id);
      if (first !== undefined) {
        err('id', `duplicate id "${row.id}" (first used at ${first})`);
        continue;
      }
      rowOf.set(row.id, row.where);
      let named: readonly string[] | undefined;
      if (row.image !== undefined && row.image !== '') {
        const rel = typeof row.image === 'string' ? relativeFilePath(row.image, "each system's folder") : { ok: false as const, reason: 'must be a file name (a string)' };
        if (!rel.ok) {
          err('image', `${JSON.stringify(row.image)} ${rel.reason}`);
          continue;
        }
        named = rel.value;
      }
      const images = new Map<string, SystemImage>();
      for (const system of systems) {
        let file: string;
        if (named) file = path.join(system.dir, ...named);
        else {
          const found = system.byStem.get(row.id) ?? [];
          if (found.length !== 1) {
            err(
              'id',
              found.length === 0
                ? `no image named "${row.id}" (.png, .jpg, …) in ${system.given}`
                : `${found.length} images named "${row.id}" in ${system.given} (${found.join(', ')}): give the file in an "image" column`,
            );
            continue;
          }
          file = path.join(system.dir, found[0]!);
        }
        const shown = path.join(system.given, path.relative(system.dir, file));
        let bytes: Uint8Array;
        try {
          bytes = await readFile(file);
        } catch {
          err(named ? 'image' : 'id', `no such file: ${shown}`);
          continue;
        }
        const info = readImageSize(bytes);
        if (!info) {
          err(named ? 'image' : 'id', `not a PNG, JPEG, GIF, WebP or BMP image: ${shown}`);
          continue;
        }
        const meta = imageMetadata(bytes);
        if (meta.length > 0) {
          system.metadataFiles++;
          for (const m of meta) system.metadata.add(m);
        }
        // Named by content: nothing of the system or of the source file's name shows.
        const name = `${createHash('sha256').update(bytes).digest('hex').slice(0, 20)}.${EXTENSION_OF[info.type]}`;
        if (!copied.has(name)) {
          await writeFile(path.join(folder.temp, name), bytes);
          copied.set(name, shown);
        }
        images.set(system.name, { image: packPathUrl([...fromPack.split(path.sep), name]), width: info.width, height: info.height, source: shown });
      }
      if (images.size === systems.length && typeof row.prompt === 'string') {
        prompts.push({ id: row.id, prompt: row.prompt, images });
        const looks = new Set([...images.values()].map((im) => `${im.width}x${im.height} ${path.extname(im.image)}`));
        if (looks.size > 1) differ.push(row.id);
      }
    }
    if (errors.has()) {
      await folder.remove();
      return invalid(io, errors);
    }

    const names = systems.map((s) => s.name).sort();
    const { items, key: keyItems } = pairItems(prompts, names, opts.seed, opts.criteria);
    const pack = {
      format: TASKPACK_FORMAT,
      version: taskPackVersionFor({ items }),
      name: opts.name,
      annotatorsPerItem: opts.annotatorsPerItem,
      ...(instructions !== undefined ? { instructions } : {}),
      items,
    };
    const key = { format: COMPARISON_KEY_FORMAT, version: COMPARISON_KEY_VERSION, pack: opts.name, items: keyItems };
    const checkedPack = parseValue(opts.out, pack, taskPackSchema);
    const checkedKey = parseValue(opts.key, key, comparisonKeySchema);
    if (!checkedPack.ok || !checkedKey.ok) {
      // Point item problems back at the prompt list's rows; the rest (the name) are options.
      const promptOf = new Map(keyItems.map((k) => [k.id, k.promptId ?? k.id]));
      for (const e of [...(checkedPack.ok ? [] : checkedPack.errors), ...(checkedKey.ok ? [] : checkedKey.errors)]) {
        const m = /^items\[(\d+)\]\.?(.*)$/.exec(e.path);
        const id = m ? promptOf.get(items[Number(m[1])]?.id ?? '') : undefined;
        errors.addError(
          id !== undefined ? { file: opts.prompts, path: `${rowOf.get(id)}.id`, message: e.message } : ({ file: '--name', path: '', message: e.message } satisfies LocatedError),
        );
      }
      await folder.remove();
      return invalid(io, errors);
    }
    const lead = joinKey(checkedPack.value, checkedKey.value, { pack: opts.out, key: opts.key });
    if (!lead.ok) throw new Error(`the key made does not fit the pack made: ${lead.errors.map((e) => e.message).join('; ')}`);

    try {
      await folder.place();
      await writeOutputs([
        [opts.key, `${JSON.stringify(checkedKey.value, null, 2)}\n`],
        ...(opts.leadPack !== undefined ? [[opts.leadPack, `${JSON.stringify(lead.pack, null, 2)}\n`] as const] : []),
        [opts.out, `${JSON.stringify(checkedPack.value, null, 2)}\n`],
      ]);
    } catch (e) {
      await folder.remove();
      if (!(e instanceof OutputError)) throw e;
      io.err(`${writeFailure(e.target, e.cause)}; nothing written\n`);
      return EXIT_INVALID;
    }
    folder.keep();

    for (const w of warnings(systems, prompts, differ, packDir, path.resolve(opts.key))) io.err(`warning: ${w}\n`);
    io.out(
      `wrote pack "${opts.name}" with ${plural(items.length, 'comparison item')} (${plural(prompts.length, 'prompt')}, ${plural(names.length, 'system')}: ${names.join(', ')}) to ${opts.out}, ` +
        `${plural(copied.size, 'image')} to ${opts.outImages ?? path.join(path.dirname(opts.out), fromPack)}, and its key to ${opts.key}${opts.leadPack !== undefined ? `; the lead's pack to ${opts.leadPack}` : ''} (seed ${opts.seed})\n`,
    );
    return EXIT_OK;
  } catch (e) {
    await folder.remove();
    throw e;
  }
}

/** What could still unblind the study: metadata in the images, sizes or formats that differ, system names in prompts, the key beside the pack. */
function warnings(systems: readonly System[], prompts: readonly PromptImages[], differ: readonly string[], packDir: string, key: string): string[] {
  const out: string[] = [];
  for (const s of systems)
    if (s.metadataFiles > 0)
      out.push(
        `${plural(s.metadataFiles, 'image')} of ${s.given} carry metadata (${[...s.metadata].join(', ')}) that may name the system: strip it, or annotators who look can see it`,
      );
  if (differ.length > 0)
    out.push(`${plural(differ.length, 'prompt')} have images of different sizes or formats across systems (first: "${differ[0]}"): annotators may tell the systems apart by that`);
  for (const s of systems) {
    const word = new RegExp(`(^|[^\\p{L}\\p{N}])${s.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}\\p{N}])`, 'iu');
    const hit = prompts.find((p) => word.test(p.prompt));
    if (hit) out.push(`the prompt of "${hit.id}" contains "${s.name}", a system's name: annotators see the prompts`);
  }
  if (within(key, packDir)) out.push(`the key ${key} is in the pack's folder: hand out the pack and its images folder, not the key`);
  return out;
}

function invalid(io: Io, errors: Problems): number {
  const report = errors.report();
  for (const line of problemLines(report)) io.err(`${line}\n`);
  const count = problemCount(report);
  io.err(`richhf pack: ${count === null ? 'more than 50 problems' : `${count} problem${count === 1 ? '' : 's'}`}; nothing written\n`);
  return EXIT_INVALID;
}
