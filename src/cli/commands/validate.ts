import { checkDataset } from '../../core/dataset/datasetCheck.ts';
import { annotationFileSchema, type AnnotationFile } from '../../core/formats/annotations.ts';
import { datasetSchema } from '../../core/formats/dataset.ts';
import { JsonDocument, schemaKeys } from '../../core/formats/document.ts';
import { predictionsSchema } from '../../core/formats/predictions.ts';
import { problemCount, problemLines, Problems } from '../../core/formats/problems.ts';
import { taskPackSchema, type TaskPack } from '../../core/formats/taskpack.ts';
import { planConsolidation } from '../../core/dataset/plan.ts';
import { parseCommandArgs, UsageError } from '../args.ts';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, type Command } from '../io.ts';
import { readBytes } from '../readInput.ts';

const HELP = `usage: richhf validate FILE...

Checks task packs, annotation files, datasets and predictions (the kind is read from each
file's "format" field). Problems are printed as "file: path.to.field: message", the first
50 of each file (then "… and N more"). Files must be UTF-8 (a byte order mark is fine).
When exactly one task pack is given, the annotation files are also checked against it
(pack name, item ids, image sizes, token indices), as richhf consolidate would.

exit codes: 0 all valid, 1 problems found, 2 usage error
`;

const KINDS = ['richhf-taskpack', 'richhf-annotations', 'richhf-dataset', 'richhf-predictions'];
const KEYS = [taskPackSchema, annotationFileSchema, datasetSchema, predictionsSchema].flatMap(schemaKeys);

type Checked =
  { kind: 'richhf-taskpack'; value: TaskPack; summary: string } | { kind: 'richhf-annotations'; value: AnnotationFile; summary: string } | { kind: 'other'; summary: string };

function check(doc: JsonDocument, problems: Problems): Checked | undefined {
  const file = doc.file;
  const { format } = doc.sniff();
  switch (format) {
    case 'richhf-taskpack': {
      const r = doc.validate(taskPackSchema);
      if (!r.ok) return void problems.addReport(r);
      return { kind: format, value: r.value, summary: `task pack "${r.value.name}", ${r.value.items.length} items` };
    }
    case 'richhf-annotations': {
      const r = doc.validate(annotationFileSchema);
      if (!r.ok) return void problems.addReport(r);
      return { kind: format, value: r.value, summary: `annotations by "${r.value.annotator}" for pack "${r.value.pack}", ${r.value.annotations.length} records` };
    }
    case 'richhf-dataset': {
      const r = doc.validate(datasetSchema);
      if (!r.ok) return void problems.addReport(r);
      const more = checkDataset(file, r.value);
      if (more.errors.length > 0) return void problems.addReport(more);
      return { kind: 'other', summary: `dataset of pack "${r.value.pack}", ${r.value.items.length} items, ${r.value.skipped.length} skipped` };
    }
    case 'richhf-predictions': {
      const r = doc.validate(predictionsSchema);
      if (!r.ok) return void problems.addReport(r);
      return { kind: 'other', summary: 'predictions' };
    }
    default:
      problems.add(
        file,
        'format',
        format === undefined ? `required (one of ${KINDS.join(', ')})` : `unknown format ${JSON.stringify(format)} (expected one of ${KINDS.join(', ')})`,
      );
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

    const problems = new Problems();
    const packs: TaskPack[] = [];
    const annotations: { name: string; file: AnnotationFile }[] = [];
    for (const file of files) {
      const read = await readBytes(file);
      const doc = read.ok ? JsonDocument.fromBytes(file, read.bytes, KEYS) : read;
      const checked = doc.ok ? check(doc.doc, problems) : void problems.addReport(doc);
      if (checked?.kind === 'richhf-taskpack') packs.push(checked.value);
      if (checked?.kind === 'richhf-annotations') annotations.push({ name: file, file: checked.value });
      if (checked) io.out(`${file}: ok (${checked.summary})\n`);
    }
    if (packs.length === 1 && annotations.length > 0) {
      const plan = planConsolidation({ pack: packs[0]!, files: annotations });
      problems.addReport(plan);
      for (const w of plan.warnings) io.err(`warning: ${w}\n`);
    }
    if (!problems.has()) return EXIT_OK;
    const report = problems.report();
    for (const line of problemLines(report)) io.err(`${line}\n`);
    const count = problemCount(report);
    const bad = problems.files().length;
    io.err(`richhf validate: ${count === null ? 'more than 50 problems' : `${count} problem${count === 1 ? '' : 's'}`} in ${bad} of ${files.length} files\n`);
    return EXIT_INVALID;
  },
};
