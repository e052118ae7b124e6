import { useEffect, useRef, useState } from 'react';
import { HEATMAP_KINDS, type HeatmapKind } from '../../core/metrics/report.ts';
import type { ItemDetail, PredictedMaps } from './protocol.ts';
import { useReviewStore } from './reviewStore.ts';

/** An 8-bit map drawn as gray levels (white = 255), stretched by CSS to a fixed box. */
function GrayCanvas({ gray, width, height, label }: { gray: Uint8Array; width: number; height: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(width, height);
    for (let i = 0; i < gray.length; i++) {
      const v = gray[i]!;
      img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = v;
      img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [gray, width, height]);
  return <canvas ref={ref} width={width} height={height} className="rv-gray" role="img" aria-label={label} />;
}

const fmt = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(3));

/** Ground truth next to the model's prediction for the open item, when predictions are loaded. */
export function PredictionCompare({ detail }: { detail: ItemDetail }) {
  const evaluation = useReviewStore((s) => s.evaluation);
  const fetchPrediction = useReviewStore((s) => s.fetchPrediction);
  const [pred, setPred] = useState<PredictedMaps | null>(null);
  useEffect(() => {
    if (!evaluation) return;
    let live = true;
    void fetchPrediction(detail.id).then((p) => {
      if (live) setPred(p);
    });
    return () => {
      live = false;
    };
  }, [evaluation, detail.id, fetchPrediction]);
  if (!evaluation) return null;
  const p = pred?.id === detail.id ? pred : null;
  const perItem = evaluation.report.items?.find((i) => i.id === detail.id);
  const truth: Record<HeatmapKind, Uint8Array> = { artifact: detail.artifact, misalignment: detail.misalignment };
  return (
    <div className="rv-compare">
      <h3>Prediction ({evaluation.report.model ?? evaluation.name})</h3>
      {!p ? (
        <p>No prediction for this item.</p>
      ) : (
        <div className="rv-compare-grid">
          {HEATMAP_KINDS.map((k) => {
            const m = p[k];
            const figs = perItem?.heatmaps[k];
            return (
              <figure key={k} className="rv-compare-pair">
                <div>
                  <GrayCanvas gray={truth[k]} width={detail.grid.width} height={detail.grid.height} label={`Ground truth ${k} heatmap`} />
                  {m ? <GrayCanvas gray={m.gray} width={m.width} height={m.height} label={`Predicted ${k} heatmap`} /> : <span className="rv-hint">no predicted map</span>}
                </div>
                <figcaption>
                  {k}: ground truth (left), prediction (right)
                  {figs && (
                    <span className="rv-caption">
                      {' '}
                      MSE {figs.mse.toFixed(5)}, CC {fmt(figs.cc)}, KLD {fmt(figs.kld)}, SIM {fmt(figs.sim)}, NSS {fmt(figs.nss)}, AUC-Judd {fmt(figs.aucJudd)}
                    </span>
                  )}
                </figcaption>
              </figure>
            );
          })}
          {p.scores && (
            <p>
              Predicted normalized scores:{' '}
              {Object.entries(p.scores)
                .map(([s, v]) => `${s} ${v.toFixed(2)}`)
                .join(', ')}
            </p>
          )}
          {p.misalignedTokens && <p>Predicted misaligned tokens: {p.misalignedTokens.map((t) => detail.tokens[t] ?? `#${t}`).join(', ') || 'none'}</p>}
        </div>
      )}
    </div>
  );
}
