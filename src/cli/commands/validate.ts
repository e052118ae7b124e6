import { checkDataset } from '../../core/dataset/datasetCheck.ts';
import { annotationFileSchema, type AnnotationFile } from '../../core/formats/annotations.ts';
import { datasetSchema } from '../../core/formats/dataset.ts';
import { formatLocatedError, parseValue, sniffFormat, type LocatedError } from '../../core/formats/located.ts';
import { predictionsSchema } from '../../core/formats/predictions.ts';
import { taskPackSchema, type TaskPack } from '../../core/formats/taskpack.ts';
import { planConsolidation } from '../../core/dataset/plan.ts';
import { parseCommandArgs, UsageError } from '../args.ts';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, type Command } from '../io.ts';
import { readText } from '../readInput.ts';

const HELP = `usage: richhf validate FILE...

Checks task packs, annotation files, datasets and predictions (the kind is read from each
file's "format" field). Every problem is printed as "file: path.to.field: message".
When exactly one task pack is given, the annotation files are also checked against it
(pack name, item ids, image sizes, token indices), as richhf consolidate would.

exit codes: 0 all valid, 1 problems found, 2 usage error
`;

const KINDS = ['richhf-taskpack', 'richhf-annotations', 'richhf-dataset', 'richhf-predictions'];

type Checked =
  { kind: 'richhf-taskpack'; value: TaskPack; summary: string } | { kind: 'richhf-annotations'; value: AnnotationFile; summary: string } | { kind: 'other'; summary: string };

function check(file: string, text: string, errors: LocatedError[]): Checked | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    errors.push({ file, path: '', message: `invalid JSON: ${(e as Error).message}` });
    return undefined;
  }
  const { format } = sniffFormat(value);
  const fail = (errs: readonly LocatedError[]) => {
    errors.push(...errs);
    return undefined;
  };
  switch (format) {
    case 'richhf-taskpack': {
      const r = parseValue(file, value, taskPackSchema);
      if (!r.ok) return fail(r.errors);
      return { kind: format, value: r.value, summary: `task pack "${r.value.name}", ${r.value.items.length} items` };
    }
    case 'richhf-annotations': {
      const r = parseValue(file, value, annotationFileSchema);
      if (!r.ok) return fail(r.errors);
      return { kind: format, value: r.value, summary: `annotations by "${r.value.annotator}" for pack "${r.value.pack}", ${r.value.annotations.length} records` };
    }
    case 'richhf-dataset': {
      const r = parseValue(file, value, datasetSchema);
      if (!r.ok) return fail(r.errors);
      const more = checkDataset(file, r.value);
      if (more.length > 0) return fail(more);
      return { kind: 'other', summary: `dataset of pack "${r.value.pack}", ${r.value.items.length} items, ${r.value.skipped.length} skipped` };
    }
    case 'richhf-predictions': {
      const r = parseValue(file, value, predictionsSchema);
      if (!r.ok) return fail(r.errors);
      return { kind: 'other', summary: 'predictions' };
    }
    default:
      errors.push({
        file,
        path: 'format',
        message: format === undefined ? `required (one of ${KINDS.join(', ')})` : `unknown format "${format}" (expected one of ${KINDS.join(', ')})`,
      });
      return undefined;
  }
}

export const command: Command = {
  summary: 'validate',
  async run(args, io) {
    let files: string[];
    try {
      const { values, positionals } = parseCommandArgs(args, {});
      if (values.help) {
        io.out(HELP);
        return EXIT_OK;
      }
      if (positionals.length === 0) throw new UsageError('give at least one file');
      files = positionals;
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      io.err(`richhf validate: ${e.message}\n\n${HELP}`);
      return EXIT_USAGE;
    }

    const errors: LocatedError[] = [];
    const packs: TaskPack[] = [];
    const annotations: { name: string; file: AnnotationFile }[] = [];
    let bad = 0;
    for (const file of files) {
      const before = errors.length;
      const text = await readText(file);
      const checked = text.ok ? check(file, text.text, errors) : (errors.push(...text.errors), undefined);
      if (checked?.kind === 'richhf-taskpack') packs.push(checked.value);
      if (checked?.kind === 'richhf-annotations') annotations.push({ name: file, file: checked.value });
      if (checked) io.out(`${file}: ok (${checked.summary})\n`);
      if (errors.length > before) bad++;
    }
    if (packs.length === 1 && annotations.length > 0) {
      const plan = planConsolidation({ pack: packs[0]!, files: annotations });
      const failing = new Set(plan.errors.map((e) => e.file));
      bad += failing.size;
      errors.push(...plan.errors);
      for (const w of plan.warnings) io.err(`warning: ${w}\n`);
    }
    for (const e of errors) io.err(`${formatLocatedError(e)}\n`);
    if (errors.length > 0) {
      io.err(`richhf validate: ${errors.length} problem${errors.length === 1 ? '' : 's'} in ${bad} of ${files.length} files\n`);
      return EXIT_INVALID;
    }
    return EXIT_OK;
  },
};
