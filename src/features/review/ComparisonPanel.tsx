/**
 * A blind comparison's report (`richhf-comparison-report`, made by core's engine, the one
 * `richhf compare` and the server use): the paper's table (the share of each of the five
 * answers), win rates with their bootstrap 95% intervals, the sign test, position bias, each
 * annotator's sides, and Bradley-Terry strengths when three or more systems are compared. Names
 * are the lead's text, rendered as text only.
 */
import { formatP } from '../../core/compare/tables.ts';
import type { ComparisonReport } from '../../core/formats/comparisonReport.ts';

const pct = (v: number) => `${v.toFixed(1)}%`;
const rate = (v: number) => v.toFixed(2);
const ANSWERS = ['X much better', 'X slightly better', 'About the same', 'Y slightly better', 'Y much better'];

export function ComparisonPanel({ report }: { report: ComparisonReport }) {
  return (
    <section className="rv-panel" aria-labelledby="rv-comparison">
      <h2 id="rv-comparison">Comparison</h2>
      <p>
        Pack <strong>{report.pack}</strong>, systems {report.systems.join(', ')}. Shares of n answers, X against Y.
      </p>
      <div className="rv-table-scroll">
        <table className="rv-table" aria-label="Answers per criterion and pair of systems">
          <thead>
            <tr>
              <th scope="col">Criterion</th>
              <th scope="col">X</th>
              <th scope="col">Y</th>
              {ANSWERS.map((a) => (
                <th key={a} scope="col">
                  {a}
                </th>
              ))}
              <th scope="col">n</th>
              <th scope="col">X win rate (95% CI)</th>
              <th scope="col">Sign test p</th>
            </tr>
          </thead>
          <tbody>
            {report.results.map((r) => (
              <tr key={`${r.criterion}-${r.systems.join('-')}`}>
                <th scope="row">{r.criterion}</th>
                <td>{r.systems[0]}</td>
                <td>{r.systems[1]}</td>
                {r.percent.map((p, i) => (
                  <td key={i}>{pct(p)}</td>
                ))}
                <td>{r.n}</td>
                <td>{r.winRate === null || r.winRateCI95 === null ? '–' : `${rate(r.winRate)} (${rate(r.winRateCI95[0])}–${rate(r.winRateCI95[1])})`}</td>
                <td>{formatP(r.signTestP)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p role="note">
        Position: the left image chosen {report.positionBias.leftWins} times, the right {report.positionBias.rightWins} ({report.positionBias.ties} ties), p ={' '}
        {formatP(report.positionBias.p)}.
      </p>
      <div className="rv-table-scroll">
        <table className="rv-table" aria-label="Sides chosen per annotator">
          <thead>
            <tr>
              <th scope="col">Annotator</th>
              <th scope="col">Answers</th>
              <th scope="col">Left chosen</th>
              <th scope="col">Right chosen</th>
              <th scope="col">About the same</th>
            </tr>
          </thead>
          <tbody>
            {report.annotators.map((a) => (
              <tr key={a.id}>
                <th scope="row">{a.id}</th>
                <td>{a.n}</td>
                <td>{a.leftWins}</td>
                <td>{a.rightWins}</td>
                <td>{a.ties}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {report.bradleyTerry && report.bradleyTerry.length > 0 && (
        <div className="rv-table-scroll">
          <table className="rv-table" aria-label="Bradley-Terry strengths">
            <thead>
              <tr>
                <th scope="col">Criterion</th>
                <th scope="col">System</th>
                <th scope="col">Strength (95% CI)</th>
              </tr>
            </thead>
            <tbody>
              {report.bradleyTerry.flatMap((bt) =>
                bt.strengths.map((s) => (
                  <tr key={`${bt.criterion}-${s.system}`}>
                    <th scope="row">{bt.criterion}</th>
                    <td>{s.system}</td>
                    <td>{`${s.strength.toFixed(2)} (${s.ci95[0].toFixed(2)} – ${s.ci95[1].toFixed(2)})`}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
