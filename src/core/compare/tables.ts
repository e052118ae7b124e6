import type { ComparisonReport } from '../formats/comparisonReport.ts';
import { csvLine } from '../text/csv.ts';

/**
 * The comparison report as text: a Markdown table in the shape of the RichHF paper's
 * side-by-side table (the share of each of the five answers), and CSV, one line per result.
 */

/** Markdown table cell text: `|` and `\` escaped (names are the lead's, and may hold them). */
const cell = (s: string) => s.replace(/[\\|]/g, (c) => `\\${c}`);

const pct = (v: number) => `${v.toFixed(1)}%`;

/** Two significant digits, or scientific notation below 0.001 (p = 0.00042 reads as 4.2e-4). */
export function formatP(p: number): string {
  return p >= 0.001 || p === 0 ? String(Number(p.toPrecision(2))) : p.toExponential(1);
}

const rate = (v: number) => v.toFixed(2);

export function comparisonMarkdown(report: ComparisonReport): string {
  const lines = [
    '| Criterion: X vs Y | X ≫ Y | X > Y | X ≈ Y | X < Y | X ≪ Y | n | X win rate (95% CI) | sign test p |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of report.results) {
    const [x, y] = r.systems;
    const win = r.winRate === null || r.winRateCI95 === null ? '–' : `${rate(r.winRate)} (${rate(r.winRateCI95[0])}–${rate(r.winRateCI95[1])})`;
    lines.push(`| ${r.criterion}: ${cell(x)} vs ${cell(y)} | ${r.percent.map(pct).join(' | ')} | ${r.n} | ${win} | ${formatP(r.signTestP)} |`);
  }
  lines.push('');
  lines.push('≫ much better, > slightly better, ≈ about the same, < slightly worse, ≪ much worse (X against Y); shares of n answers.');
  const b = report.positionBias;
  lines.push('');
  lines.push(`Position: the left image chosen ${b.leftWins} times, the right ${b.rightWins} (${b.ties} tie${b.ties === 1 ? '' : 's'}), p = ${formatP(b.p)}.`);
  if (report.bradleyTerry && report.bradleyTerry.length > 0) {
    lines.push('');
    lines.push('| Criterion | System | Bradley-Terry strength (95% CI) |');
    lines.push('| --- | --- | ---: |');
    for (const bt of report.bradleyTerry)
      for (const s of bt.strengths) lines.push(`| ${bt.criterion} | ${cell(s.system)} | ${s.strength.toFixed(2)} (${s.ci95[0].toFixed(2)} – ${s.ci95[1].toFixed(2)}) |`);
  }
  return `${lines.join('\n')}\n`;
}

const CSV_HEADER = [
  'criterion',
  'x',
  'y',
  'n',
  'x_much_better',
  'x_slightly_better',
  'about_the_same',
  'y_slightly_better',
  'y_much_better',
  'x_much_better_pct',
  'x_slightly_better_pct',
  'about_the_same_pct',
  'y_slightly_better_pct',
  'y_much_better_pct',
  'x_wins',
  'ties',
  'y_wins',
  'sign_test_p',
  'win_rate',
  'win_rate_ci95_low',
  'win_rate_ci95_high',
];

/** The results as CSV: a header line, then one line per criterion and pair (empty cells where the report has null). */
export function comparisonCsv(report: ComparisonReport): string {
  let out = csvLine(CSV_HEADER);
  for (const r of report.results) {
    out += csvLine([
      r.criterion,
      r.systems[0],
      r.systems[1],
      r.n,
      ...r.counts,
      ...r.percent,
      r.xWins,
      r.ties,
      r.yWins,
      r.signTestP,
      r.winRate ?? '',
      r.winRateCI95?.[0] ?? '',
      r.winRateCI95?.[1] ?? '',
    ]);
  }
  return out;
}
