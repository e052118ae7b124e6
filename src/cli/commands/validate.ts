import { checkDataset } from '../../core/dataset/datasetCheck.ts';
import { annotationFileSchema, type AnnotationRecord } from '../../core/formats/annotations.ts';
import { datasetSchema } from '../../core/formats/dataset.ts';
import { JsonDocument, schemaKeys } from '../../core/formats/jsonDocument.ts';
import { readJsonDocument, sniffFormatPrefix } from '../../core/formats/readDocument.ts';
import { predictionsSchema } from '../../core/formats/predictions.ts';
import { problemCount, problemLines, Problems } from '../../core/formats/problems.ts';
import { isRatingItem, taskPackSchema, type TaskPack } from '../../core/formats/taskpack.ts';
import { GOLD_SKIP_REASON, PackCheck } from '../../core/dataset/plan.ts';
import { joinKey } from '../../core/compare/blind.ts';
import { comparisonKeySchema, type ComparisonKey } from '../../core/formats/comparisonKey.ts';
import { comparisonReportSchema } from '../../core/formats/comparisonReport.ts';
import { readCommandArgs, UsageError } from '../args.ts';
import { EXIT_INVALID, EXIT_OK, type Command } from '../io.ts';
import { readBytes, readHead } from '../../node/readInput.ts';

const HELP = `usage: richhf validate FILE...

Checks task packs, annotation files, datasets, predictions, comparison keys and reports (the
kind is read from each file's "format" field). Problems are printed as "file: path.to.field:
message", the first 50 of each file (then "… and N more"). Files must be UTF-8 (a byte order
mark is fine). When exactly one task pack is given, the annotation files are also checked
against it (pack name, item ids, image sizes, token indices, comparison records' kind and
criteria), as richhf consolidate would, and a comparison key is checked to fit it. Records of
gold items (items with a reference answer) are checked too, and counted: they are for richhf
quality and never enter a dataset.

exit codes: 0 all valid, 1 problems found, 2 usage error
`;

const KINDS = ['richhf-taskpack', 'richhf-annotations', 'richhf-dataset', 'richhf-predictions', 'richhf-comparison-key', 'richhf-comparison-report'] as const;
const KEYS = [taskPackSchema, annotationFileSchema, datasetSchema, predictionsSchema, comparisonKeySchema, comparisonReportSchema].flatMap(schemaKeys);
/** Enough of a file to find a leading "format" field. */
const HEAD_BYTES = 64 * 1024;

type Kind = (typeof KINDS)[number];

/**
 * Checks one file of a known kind; the summary for its "ok" line, or undefined when it has
 * problems. `keep.pack` takes a valid pack; `keep.against` checks annotation records against
 * the one pack given, record by record as they are validated (no file's records are kept).
 */
function check(
  doc: JsonDocument,
  kind: Kind,
  problems: Problems,
  keep: { pack?: (p: TaskPack) => void; against?: PackCheck; keyFits?: (key: ComparisonKey, file: string) => boolean },
): string | undefined {
  const file = doc.file;
  switch (kind) {
    case 'richhf-taskpack': {
      const r = doc.validate(taskPackSchema);
      if (!r.ok) return void problems.addReport(r);
      keep.pack?.(r.value);
      const gold = r.value.items.filter((item) => isRatingItem(item) && item.gold !== undefined).length;
      return `task pack "${r.value.name}", ${r.value.items.length} items${gold > 0 ? `, ${gold} of them gold items (for richhf quality; never in a dataset)` : ''}`;
    }
    case 'richhf-annotations': {
      // Each record is dropped once checked (and checked against the pack, when there is one).
      const against = keep.against;
      against?.beginFile(file);
      const r = doc.check(annotationFileSchema, undefined, against && ((key, record, i) => key === 'annotations' && against.record(i, record as AnnotationRecord)));
      const gold = against?.endFile(r.ok ? { pack: String(r.fields.pack), annotator: String(r.fields.annotator) } : null) ?? 0;
      if (!r.ok) return void problems.addReport(r);
      const goldNote = gold > 0 ? `, ${gold} of them of gold items (for richhf quality; never in a dataset)` : '';
      return `annotations by "${String(r.fields.annotator)}" for pack "${String(r.fields.pack)}", ${r.lengths.annotations} records${goldNote}`;
    }
    case 'richhf-dataset': {
      const r = doc.validate(datasetSchema);
      if (!r.ok) return void problems.addReport(r);
      const more = checkDataset(file, r.value);
      if (more.errors.length > 0) return void problems.addReport(more);
      const gold = r.value.skipped.filter((item) => item.reason === GOLD_SKIP_REASON).length;
      return `dataset of pack "${r.value.pack}", ${r.value.items.length} items, ${r.value.skipped.length} skipped${gold > 0 ? ` (${gold} of them gold items)` : ''}`;
    }
    case 'richhf-predictions': {
      const r = doc.validate(predictionsSchema);
      if (!r.ok) return void problems.addReport(r);
      return 'predictions';
    }
    case 'richhf-comparison-key': {
      const r = doc.validate(comparisonKeySchema);
      if (!r.ok) return void problems.addReport(r);
      if (keep.keyFits && !keep.keyFits(r.value, file)) return;
      return `comparison key to pack "${r.value.pack}", ${r.value.items.length} items`;
    }
    case 'richhf-comparison-report': {
      const r = doc.validate(comparisonReportSchema);
      if (!r.ok) return void problems.addReport(r);
      return `comparison report of pack "${r.value.pack}", ${r.value.systems.length} systems, ${r.value.results.length} result${r.value.results.length === 1 ? '' : 's'}`;
    }
  }
}

/** The file's kind from its "format" field, or a located problem. */
function kindOf(doc: JsonDocument, problems: Problems): Kind | undefined {
  const { format } = doc.sniff();
  if ((KINDS as readonly (string | undefined)[]).includes(format)) return format as Kind;
  problems.add(
    doc.file,
    'format',
    format === undefined ? `required (one of ${KINDS.join(', ')})` : `unknown format ${JSON.stringify(format)} (expected one of ${KINDS.join(', ')})`,
  );
  return undefined;
}

async function readDocument(file: string, problems: Problems): Promise<JsonDocument | undefined> {
  const read = await readBytes(file);
  const doc = read.ok ? readJsonDocument(file, read.bytes, KEYS) : read;
  if (doc.ok) return doc.doc;
  problems.addReport(doc);
  return undefined;
}

export const command: Command = {
  summary: 'validate',
  async run(args, io) {
    const parsed = readCommandArgs('validate', HELP, io, args, {}, ({ positionals }) => {
      if (positionals.length === 0) throw new UsageError('give at least one file');
      return positionals;
    });
    if (!parsed.ok) return parsed.exit;
    const files = parsed.value;

    // Two passes, one file in memory at a time: first each file's kind (and the packs, which
    // are small), then the rest, each annotation record checked against the pack (when there
    // is exactly one) as it is validated. No annotation file is ever held as values.
    const problems = new Problems();
    const packs: TaskPack[] = [];
    const kinds: (Kind | undefined)[] = [];
    const summaries: (string | undefined)[] = [];
    for (const [i, file] of files.entries()) {
      // The kind from the first bytes when "format" comes first (as our writers put it); else the whole file.
      const head = await readHead(file, HEAD_BYTES);
      const sniffed = head ? sniffFormatPrefix(head) : undefined;
      if (sniffed !== undefined && sniffed !== 'richhf-taskpack' && (KINDS as readonly string[]).includes(sniffed)) {
        kinds[i] = sniffed as Kind;
        continue;
      }
      const doc = await readDocument(file, problems);
      kinds[i] = doc && kindOf(doc, problems);
      if (doc && kinds[i] === 'richhf-taskpack') summaries[i] = check(doc, 'richhf-taskpack', problems, { pack: (p) => packs.push(p) });
    }
    const against = packs.length === 1 ? new PackCheck(packs[0]!) : undefined;
    const packFile = files[kinds.indexOf('richhf-taskpack')]!;
    const keyFits = (key: ComparisonKey, file: string) => {
      const joined = joinKey(packs[0]!, key, { pack: packFile, key: file });
      if (!joined.ok) problems.addReport(joined);
      return joined.ok;
    };
    for (const [i, file] of files.entries()) {
      const kind = kinds[i];
      if (kind === undefined || kind === 'richhf-taskpack') continue;
      const doc = await readDocument(file, problems);
      // The file may have changed since its first bytes were read: its kind is checked again.
      if (doc && kindOf(doc, problems) === kind) summaries[i] = check(doc, kind, problems, against ? { against, keyFits } : {});
    }
    files.forEach((file, i) => summaries[i] !== undefined && io.out(`${file}: ok (${summaries[i]})\n`));
    if (against) {
      const crossChecked = against.finish();
      problems.addReport(crossChecked);
      for (const w of crossChecked.warnings) io.err(`warning: ${w}\n`);
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
