import { MEAN_BINS } from '../../core/dataset/agreement.ts';
import { SCORE_NAMES, type ScoreName } from '../../core/formats/index.ts';
import { BarChart, ShareBar, SignedBar } from './charts.tsx';
import { useReviewStore } from './reviewStore.ts';

const LABEL: Record<ScoreName, string> = { plausibility: 'Plausibility', alignment: 'Alignment', aesthetics: 'Aesthetics', overall: 'Overall' };
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const meanBinLabels = Array.from({ length: MEAN_BINS }, (_, i) => (1 + i * 0.5).toFixed(1));

/** The agreement summary of the whole set: spread histograms, mean distributions, per annotator. */
export function AgreementPanel() {
  const summary = useReviewStore((s) => s.summary);
  if (!summary) return null;
  return (
    <section aria-labelledby="agreement-heading" className="rv-panel">
      <h2 id="agreement-heading">Agreement</h2>
      <p>Over {summary.items} complete items. Spread = max − min of the annotators&apos; scores (the RichHF paper&apos;s agreement figure).</p>
      <div className="rv-charts">
        {SCORE_NAMES.map((s) => {
          const h = summary.spreads[s];
          return (
            <BarChart
              key={s}
              title={`${LABEL[s]} spread`}
              bars={h.counts.map((c, d) => ({ label: String(d), value: c }))}
              caption={`${pct(h.shareZero)} perfect agreement, ${pct(h.shareAtMostOne)} spread ≤ 1`}
            />
          );
        })}
      </div>
      <div className="rv-charts">
        {SCORE_NAMES.map((s) => (
          <BarChart key={s} title={`${LABEL[s]} mean score`} color="#6b4fa0" bars={summary.means[s].map((c, i) => ({ label: meanBinLabels[i]!, value: c }))} />
        ))}
      </div>
      <h3>Annotators</h3>
      <table className="rv-annotators" tabIndex={0}>
        <caption className="rv-sr">Per-annotator statistics</caption>
        <thead>
          <tr>
            <th scope="col">Annotator</th>
            <th scope="col">Items done</th>
            <th scope="col">Median active time</th>
            {SCORE_NAMES.map((s) => (
              <th scope="col" key={s}>
                Bias: {LABEL[s]}
              </th>
            ))}
            <th scope="col">Point agreement (Dice)</th>
          </tr>
        </thead>
        <tbody>
          {summary.annotators.map((a) => (
            <tr key={a.annotator}>
              <th scope="row">{a.annotator}</th>
              <td>{a.itemsDone}</td>
              <td>{Number.isFinite(a.medianActiveMs) ? `${(a.medianActiveMs / 1000).toFixed(1)} s` : '–'}</td>
              {SCORE_NAMES.map((s) => (
                <td key={s}>
                  <SignedBar value={a.bias[s]} label={`${a.annotator} ${LABEL[s]} bias`} /> {Number.isFinite(a.bias[s]) ? a.bias[s].toFixed(2) : '–'}
                </td>
              ))}
              <td>
                <ShareBar value={a.pointAgreement} label={`${a.annotator} point agreement`} /> {a.pointAgreement === null ? '–' : a.pointAgreement.toFixed(2)}
                <span className="rv-caption"> ({a.pointPairs} pairs)</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="rv-hint">
        Bias = mean of (own score − item mean) over items with 2 or more annotators. Point agreement = mean Dice coefficient of the annotator&apos;s disc mask with each other
        annotator&apos;s, per item and kind, on a 64×64 grid; pairs where neither marked anything are left out.
      </p>
    </section>
  );
}
