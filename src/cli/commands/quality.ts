import { planConsolidation, type AnnotationSource } from '../../core/dataset/plan.ts';
import { annotationFileSchema } from '../../core/formats/annotations.ts';
import { problemCount, problemLines, Problems } from '../../core/formats/problems.ts';
import type { AnnotatorQuality, Quality, QualityThresholds } from '../../core/formats/quality.ts';
import { isRatingItem, taskPackSchema } from '../../core/formats/taskpack.ts';
import { DEFAULT_QUALITY_THRESHOLDS, qualityItemsFromPlan, qualityReport } from '../../core/quality/qualityReport.ts';
import { numberIn, readCommandArgs, UsageError } from '../args.ts';
import { EXIT_INVALID, EXIT_OK, type Command, type Io } from '../io.ts';
import { readJsonFile } from '../../node/readInput.ts';

/** The threshold options: flag, field, range, integer?, and what it does (the help text's lines). */
const THRESHOLDS: readonly (readonly [string, keyof QualityThresholds, number, number, boolean, string])[] = [
  ['min-gold-score', 'minGoldScore', 0, 1, false, 'flag a gold score below X (0 to 1)'],
  ['min-gold-items', 'minGoldItems', 1, 1_000_000, true, '...given at least N gold items'],
  ['max-score-deviation', 'maxScoreDeviation', 0, 4, false, "flag scores further than X points from the others' mean"],
  ['min-word-agreement', 'minWordAgreement', 0, 1, false, "flag word agreement with the others' majority below X"],
  ['min-disc-cc', 'minDiscCC', -1, 1, false, "flag a disc map CC with the others' mean map below X"],
  ['max-same-scores', 'maxSameScores', 0, 1, false, 'flag the same four scores on more than a share X of items'],
  ['max-no-points', 'maxNoPoints', 0, 1, false, 'flag no points on more than a share X of the items where others marked some'],
  ['min-items', 'minItems', 1, 1_000_000, true, '...the agreement and behaviour flags given at least N items'],
  ['min-active-share', 'minActiveShare', 0, 1, false, "flag a median active time below a share X of the others' median"],
];

const HELP = `usage: richhf quality --pack PACK [--json] [threshold options] ANNOTATION_FILES...

Per-annotator quality: on gold items (items of the pack with a reference answer), the
agreement with the reference (scores within ±1, words F1, disc area F1: one gold score in
[0, 1]); on ordinary items, the agreement with the other annotators of the same items (score
deviation from their mean, word agreement with their majority, disc map CC with their mean
map); behaviour (median active time, the same scores every time, no points where others
marked some). Annotators beyond a threshold are flagged, each flag with its evidence.

options:
  --pack FILE              the task pack (richhf-taskpack) the annotations belong to (required)
  --json                   print the report as JSON (the shape of GET /api/v1/quality)
  --exclude ANNOTATOR      list this annotator as rejected: measured, but nobody's "other"
                           (repeat for several)
${THRESHOLDS.map(([flag, field, , , integer, what]) => `  --${`${flag} ${integer ? 'N' : 'X'}`.padEnd(23)}${what} (default ${DEFAULT_QUALITY_THRESHOLDS[field]})`).join('\n')}
  -h, --help               this help

exit codes: 0 printed (flags or not), 1 invalid input, 2 usage error
`;

const OPTIONS = {
  pack: { type: 'string' },
  json: { type: 'boolean' },
  exclude: { type: 'string', multiple: true },
  ...Object.fromEntries(THRESHOLDS.map(([flag]) => [flag, { type: 'string' }])),
} as const;

export const command: Command = {
  summary: 'quality',
  async run(args, io) {
    const parsed = readCommandArgs('quality', HELP, io, args, OPTIONS, ({ values, positionals }) => {
      if (!values.pack) throw new UsageError('--pack is required');
      if (positionals.length === 0) throw new UsageError('give at least one annotation file');
      const thresholds = { ...DEFAULT_QUALITY_THRESHOLDS };
      for (const [flag, field, min, max, integer] of THRESHOLDS) {
        const v = (values as Record<string, unknown>)[flag];
        if (typeof v === 'string') thresholds[field] = numberIn(flag, v, min, max, integer);
      }
      return { pack: values.pack, json: Boolean(values.json), exclude: (values.exclude as string[] | undefined) ?? [], thresholds, files: positionals };
    });
    if (!parsed.ok) return parsed.exit;
    const { pack: packFile, json, exclude, thresholds, files } = parsed.value;

    const problems = new Problems();
    const pack = await readJsonFile(packFile, taskPackSchema);
    if (!pack.ok) problems.addReport(pack);
    const sources: AnnotationSource[] = [];
    for (const name of files) {
      const read = await readJsonFile(name, annotationFileSchema);
      if (read.ok) sources.push({ name, file: read.value });
      else problems.addReport(read);
    }
    if (!pack.ok) return fail(io, problems);
    // Every annotated item, whatever its number of annotators: the records consolidation keeps.
    const plan = planConsolidation({ pack: pack.value, files: sources, minAnnotators: 1 });
    problems.addReport(plan);
    if (problems.has()) return fail(io, problems);
    for (const w of plan.warnings) io.err(`warning: ${w}\n`);
    const annotators = sources.map((s) => s.file.annotator);
    for (const a of exclude) if (!annotators.includes(a)) io.err(`warning: --exclude "${a}": no annotation file of that annotator here\n`);

    // Every annotator with a file is listed, an empty file's too.
    const report = qualityReport({ items: qualityItemsFromPlan(pack.value, plan), rejected: new Set(exclude), annotators }, thresholds);
    const gold = pack.value.items.filter((i) => isRatingItem(i) && i.gold !== undefined).length;
    io.out(json ? `${JSON.stringify(report, null, 2)}\n` : formatQuality(report, `pack "${pack.value.name}": ${pack.value.items.length} items, ${gold} of them gold`));
    return EXIT_OK;
  },
};

function fail(io: Io, problems: Problems): number {
  const report = problems.report();
  for (const line of problemLines(report)) io.err(`${line}\n`);
  const count = problemCount(report);
  io.err(`richhf quality: ${count === null ? 'more than 50 errors' : `${count} error${count === 1 ? '' : 's'}`}\n`);
  return EXIT_INVALID;
}

const num = (x: number | null, digits = 2) => (x === null ? '–' : x.toFixed(digits));

const COLUMNS: readonly (readonly [string, (a: AnnotatorQuality) => string])[] = [
  ['items', (a) => String(a.submissions)],
  ['gold', (a) => String(a.gold.items)],
  ['gold score', (a) => num(a.gold.score)],
  ['shared', (a) => String(a.agreement.items)],
  ['score dev', (a) => num(a.agreement.scoreDeviation)],
  ['words', (a) => num(a.agreement.wordAgreement)],
  ['disc CC', (a) => num(a.agreement.discCC)],
  ['same scores', (a) => (a.behaviour.sameScoresShare === null ? '–' : `${Math.round(100 * a.behaviour.sameScoresShare)}%`)],
  ['no points', (a) => (a.behaviour.noPointsShare === null ? '–' : `${Math.round(100 * a.behaviour.noPointsShare)}%`)],
  ['active', (a) => (a.medianActiveMs === null ? '–' : `${(a.medianActiveMs / 1000).toFixed(1)} s`)],
  ['flags', (a) => (a.status === 'rejected' ? `${a.flags.length} (rejected)` : String(a.flags.length))],
];

/** The report as a table (one row per annotator), then each flag with its evidence. */
export function formatQuality(report: Quality, title: string): string {
  const rows = report.annotators.map((a) => [a.id, ...COLUMNS.map(([, cell]) => cell(a))]);
  const head = ['annotator', ...COLUMNS.map(([name]) => name)];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const lines = [`${title}; ${report.annotators.length} annotator${report.annotators.length === 1 ? '' : 's'}`, '', line(head), ...rows.map(line), ''];
  const flagged = report.annotators.filter((a) => a.flags.length > 0);
  if (flagged.length === 0) lines.push('no flags');
  else {
    lines.push(`flags (${flagged.length} of ${report.annotators.length} annotators):`);
    for (const a of flagged) for (const f of a.flags) lines.push(`  ${a.id}: ${f.code}: ${f.message}`);
  }
  lines.push(
    '',
    'items: submitted (gold included); gold: gold items judged; shared: ordinary items shared with another annotator;',
    "score dev: mean |own - others' mean| (Likert points); words: F1 with the others' majority; disc CC: with the others' mean map;",
    'same scores: share of items with the most frequent four scores; no points: share of the items where others marked some.',
  );
  return `${lines.join('\n')}\n`;
}
