import { useId } from 'react';
import { SCORE_NAMES } from '../../core/formats/index.ts';
import { HEATMAP_FIGURES, HEATMAP_KINDS, type Figure, type HeatmapFigure } from '../../core/metrics/report.ts';
import { ProblemList } from '../problems/ProblemList.tsx';
import { useReviewStore } from './reviewStore.ts';

const FIGURE_LABEL: Record<HeatmapFigure, string> = { mse: 'MSE', mseEmpty: 'MSE (empty GT)', cc: 'CC', kld: 'KLD', sim: 'SIM', nss: 'NSS', aucJudd: 'AUC-Judd' };
const fmt = (x: Figure, digits = 3) => (x === null ? '—' : x.toFixed(digits));

/** Model evaluation: a predictions file scored against the dataset the page would export now. */
export function EvaluationPanel() {
  const evaluation = useReviewStore((s) => s.evaluation);
  const errors = useReviewStore((s) => s.evaluationErrors);
  const progress = useReviewStore((s) => s.evaluating);
  const load = useReviewStore((s) => s.loadPredictions);
  const hasFiles = useReviewStore((s) => s.files.length > 0);
  const inputId = useId();
  const r = evaluation?.report;
  return (
    <section aria-labelledby="eval-heading" className="rv-panel">
      <h2 id="eval-heading">Model evaluation</h2>
      <p className="rv-hint">
        Scores a richhf-predictions file against the dataset above (current files and export settings) with the RichHF paper&apos;s metrics, as <code>richhf evaluate</code> does.
        AUC-Judd uses a fixed-seed jitter, so runs are reproducible.
      </p>
      <label htmlFor={inputId}>Predictions file</label>{' '}
      <input
        id={inputId}
        type="file"
        accept=".json,application/json"
        disabled={!hasFiles || progress !== null}
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void load(f);
        }}
      />
      {progress && (
        <p role="status">
          <progress aria-label="Evaluation progress" max={progress.total || 1} value={progress.done} /> {progress.phase}…
        </p>
      )}
      {errors.length > 0 && (
        <div role="alert" className="rv-errors">
          <p>The predictions could not be evaluated:</p>
          <ProblemList label="Evaluation problems" lines={errors} />
        </div>
      )}
      {r && evaluation && (
        <div>
          <p>
            Model <strong>{r.model ?? '(unnamed)'}</strong> ({evaluation.name}) on {r.pack}, {r.grid.width}×{r.grid.height} grid: {r.counts.evaluatedItems} of{' '}
            {r.counts.datasetItems} items evaluated
            {r.missing.predictions.length > 0 && `, ${r.missing.predictions.length} without a prediction`}.
          </p>
          <table className="rv-files" aria-label="Score metrics">
            <thead>
              <tr>
                <th scope="col">Score</th>
                <th scope="col">PLCC</th>
                <th scope="col">SRCC</th>
                <th scope="col">Items</th>
              </tr>
            </thead>
            <tbody>
              {SCORE_NAMES.map((s) => (
                <tr key={s}>
                  <th scope="row">{s}</th>
                  <td>{fmt(r.scores[s].plcc)}</td>
                  <td>{fmt(r.scores[s].srcc)}</td>
                  <td>{r.counts.scores[s]}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="rv-files" aria-label="Heatmap metrics">
            <thead>
              <tr>
                <th scope="col">Heatmap</th>
                {HEATMAP_FIGURES.map((f) => (
                  <th scope="col" key={f}>
                    {FIGURE_LABEL[f]}
                  </th>
                ))}
                <th scope="col">Items (all / empty / non-empty)</th>
              </tr>
            </thead>
            <tbody>
              {HEATMAP_KINDS.map((k) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  {HEATMAP_FIGURES.map((f) => (
                    <td key={f}>{fmt(r.heatmaps[k][f], f === 'mse' || f === 'mseEmpty' ? 5 : 3)}</td>
                  ))}
                  <td>
                    {r.counts.heatmaps[k].mse} / {r.counts.heatmaps[k].mseEmpty} / {r.counts.heatmaps[k].cc}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="rv-files" aria-label="Misaligned word metrics">
            <thead>
              <tr>
                <th scope="col">Misaligned words</th>
                <th scope="col">Precision</th>
                <th scope="col">Recall</th>
                <th scope="col">F1</th>
                <th scope="col">Behind it</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">per-item mean</th>
                <td>{fmt(r.words.precision)}</td>
                <td>{fmt(r.words.recall)}</td>
                <td>{fmt(r.words.f1)}</td>
                <td>{r.counts.words} items</td>
              </tr>
              <tr>
                <th scope="row">micro (all tokens)</th>
                <td>{fmt(r.words.micro.precision)}</td>
                <td>{fmt(r.words.micro.recall)}</td>
                <td>{fmt(r.words.micro.f1)}</td>
                <td>{r.counts.tokens} tokens</td>
              </tr>
            </tbody>
          </table>
          <p className="rv-hint">
            AUC-Judd jitter: {r.jitter.generator}, seed {r.jitter.seed}. Open an item to see its predicted heatmaps next to the ground truth.
          </p>
        </div>
      )}
    </section>
  );
}
