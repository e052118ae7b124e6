import zlib from 'node:zlib';
import { base64ToBytes } from '../../core/encode/base64.ts';
import { checkDataset } from '../../core/dataset/datasetCheck.ts';
import { datasetStats, type DatasetStats } from '../../core/dataset/datasetStats.ts';
import { SCORE_NAMES } from '../../core/formats/common.ts';
import { datasetSchema } from '../../core/formats/dataset.ts';
import { problemLines } from '../../core/formats/problems.ts';
import { decodeHeatmapPng } from '../../core/encode/pngDecode.ts';
import { readCommandArgs, UsageError } from '../args.ts';
import { EXIT_INVALID, EXIT_OK, type Command } from '../io.ts';
import { readJsonFile } from '../../node/readInput.ts';

const HELP = `usage: richhf stats [--json] DATASET.json

The agreement summary of a richhf-dataset: for each score the histogram of maxScoreDiff
(max - min of the annotators' scores; the share with 0 = perfect agreement and with <= 1 =
good agreement, as in the RichHF-18K paper), token agreement, and heatmap coverage.

options:
  --json       print the summary as JSON instead of text
  -h, --help   this help

exit codes: 0 printed, 1 invalid dataset, 2 usage error
`;

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function formatStats(file: string, s: DatasetStats): string {
  const gold = s.goldSkipped > 0 ? `, ${s.goldSkipped} of them gold items, which never enter a dataset` : '';
  const lines = [`${file}: ${s.items} items (${s.skipped} skipped${gold}), ${s.meanAnnotators.toFixed(2)} annotators per item`, ''];
  lines.push("score agreement (maxScoreDiff = max - min of the annotators' scores)");
  lines.push(`${'score'.padEnd(13)}${['0', '1', '2', '3', '4'].map((d) => d.padStart(7)).join('')}  ${'perfect'.padStart(8)}  ${'<= 1'.padStart(8)}`);
  for (const name of SCORE_NAMES) {
    const a = s.scores[name];
    lines.push(`${name.padEnd(13)}${a.histogram.map((n) => String(n).padStart(7)).join('')}  ${pct(a.perfectShare).padStart(8)}  ${pct(a.goodShare).padStart(8)}`);
  }
  lines.push('');
  const t = s.tokens;
  lines.push(`token agreement: ${t.total} tokens, ${t.unanimous} unanimous (${pct(t.unanimousShare)}), ${t.misaligned} misaligned by majority (${pct(t.misalignedShare)})`);
  lines.push('heatmap coverage (mean share of cells):');
  for (const kind of ['artifact', 'misalignment'] as const) {
    const h = s.heatmaps[kind];
    lines.push(
      `  ${kind.padEnd(13)} ${h.nonEmptyItems} of ${s.items} items marked, ${pct(h.meanCoverage)} of cells > 0, ${pct(h.meanMajorityCoverage)} >= 128 (half the annotators or more)`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export const command: Command = {
  summary: 'stats',
  async run(args, io) {
    const cli = readCommandArgs('stats', HELP, io, args, { json: { type: 'boolean' } }, ({ values, positionals }) => {
      if (positionals.length !== 1) throw new UsageError('give exactly one dataset file');
      return { file: positionals[0]!, json: Boolean(values.json) };
    });
    if (!cli.ok) return cli.exit;
    const { file, json } = cli.value;
    const parsed = await readJsonFile(file, datasetSchema);
    const report = parsed.ok ? checkDataset(file, parsed.value) : parsed;
    if (!parsed.ok || report.errors.length > 0) {
      for (const line of problemLines(report)) io.err(`${line}\n`);
      return EXIT_INVALID;
    }
    const ds = parsed.value;
    const inflate = (data: Uint8Array) => zlib.inflateSync(data);
    let stats: DatasetStats;
    try {
      stats = datasetStats(ds.items, ds.skipped, (b64) => decodeHeatmapPng(base64ToBytes(b64), inflate).gray);
    } catch (e) {
      io.err(`${file}: items: a heatmap cannot be decoded: ${(e as Error).message}\n`);
      return EXIT_INVALID;
    }
    io.out(json ? `${JSON.stringify(stats, null, 2)}\n` : formatStats(file, stats));
    return EXIT_OK;
  },
};
