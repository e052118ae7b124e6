import { useEffect, useState } from 'react';
import { SCORE_NAMES, type ScoreName } from '../../core/formats/index.ts';
import { AnnotatorDiscs, REFERENCE_COLOUR, type DiscLayer } from './AnnotatorDiscs.tsx';
import { HeatmapCanvas } from './HeatmapCanvas.tsx';
import { PredictionCompare } from './PredictionCompare.tsx';
import type { ItemDetail } from './protocol.ts';
import { useReviewStore } from './reviewStore.ts';
import { useVisibleRows } from './tableView.ts';

/** Annotator layer colours (colour-blind friendly Okabe-Ito), by the annotator's sorted position. */
const PALETTE = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#000000'];
const ARTIFACT_RGB = [220, 30, 30] as const;
const MISALIGNMENT_RGB = [30, 80, 230] as const;
const LABEL: Record<ScoreName, string> = { plausibility: 'Plausibility', alignment: 'Alignment', aesthetics: 'Aesthetics', overall: 'Overall' };

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName));
}

/** One item: image with consolidated heatmaps and each annotator's discs, tokens with votes, scores. */
export function ItemView() {
  const selectedId = useReviewStore((s) => s.selectedId);
  const select = useReviewStore((s) => s.select);
  const fetchItem = useReviewStore((s) => s.fetchItem);
  const settings = useReviewStore((s) => s.settings);
  const setSettings = useReviewStore((s) => s.setSettings);
  const pack = useReviewStore((s) => s.pack);
  // A new analysis (files imported or removed) means the open item's detail may have changed.
  const analysis = useReviewStore((s) => s.rows);
  const rows = useVisibleRows();
  const [detail, setDetail] = useState<ItemDetail | null>(null);
  const [loadedId, setLoadedId] = useState<string | null>(null);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [showArtifact, setShowArtifact] = useState(true);
  const [showMisalignment, setShowMisalignment] = useState(true);
  const [showReference, setShowReference] = useState(true);

  useEffect(() => {
    if (selectedId === null) return;
    let live = true;
    void fetchItem(selectedId).then((d) => {
      if (!live) return;
      setDetail(d);
      setLoadedId(selectedId);
    });
    return () => {
      live = false;
    };
  }, [selectedId, fetchItem, settings.heatmapSize, analysis]);

  const pos = rows.findIndex((r) => r.id === selectedId);
  const go = (delta: number) => {
    const next = rows[pos + delta];
    if (next) select(next.id);
  };

  useEffect(() => {
    if (selectedId === null) return;
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target) || e.altKey || e.ctrlKey || e.metaKey) return;
      const i = rows.findIndex((r) => r.id === selectedId);
      let next: string | undefined;
      if (e.key === 'ArrowRight' || e.key === 'j') next = rows[i + 1]?.id;
      else if (e.key === 'ArrowLeft' || e.key === 'k') next = rows[i - 1]?.id;
      else if (e.key === 'Escape') return select(null);
      else return;
      e.preventDefault();
      if (next !== undefined) select(next);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [rows, selectedId, select]);

  if (selectedId === null || !pack) return null;
  const packIndex = pack.pack.items.findIndex((it) => it.id === selectedId);
  const item = pack.pack.items[packIndex];
  const imageUrl = pack.imageUrls[packIndex] ?? '';
  const d = loadedId === selectedId ? detail : null;
  const referencePoints = d?.gold?.points;
  const referenceWords = new Set(d?.gold?.misalignedTokens ?? []);
  const layers: DiscLayer[] = d
    ? [
        ...d.ratings.flatMap((r, i) => (hidden.has(r.annotator) ? [] : [{ id: r.annotator, points: r.points, colour: PALETTE[i % PALETTE.length]! }])),
        ...(referencePoints && showReference ? [{ id: 'reference', points: referencePoints, colour: REFERENCE_COLOUR, reference: true }] : []),
      ]
    : [];

  return (
    <section aria-labelledby="item-heading" className="rv-panel rv-item">
      <div className="rv-item-head">
        <h2 id="item-heading">Item {selectedId}</h2>
        <div className="rv-nav">
          <button type="button" onClick={() => go(-1)} disabled={pos <= 0} aria-keyshortcuts="ArrowLeft">
            Previous item
          </button>
          <span>{pos >= 0 ? `${pos + 1} of ${rows.length}` : 'not in the filtered list'}</span>
          <button type="button" onClick={() => go(1)} disabled={pos < 0 || pos >= rows.length - 1} aria-keyshortcuts="ArrowRight">
            Next item
          </button>
          <button type="button" onClick={() => select(null)}>
            Close item
          </button>
        </div>
      </div>
      {item && <p className="rv-item-prompt">{item.prompt}</p>}
      {item?.gold && (
        <p className="rv-gold-note">
          Gold item: its answers are compared with the reference in the quality table, and it never enters the dataset.
          {item.gold.explanation ? ` Explanation: ${item.gold.explanation}` : ''}
        </p>
      )}
      {!d ? (
        <>
          <p role="status">{loadedId === selectedId ? 'No annotations for this item yet.' : 'Loading…'}</p>
          {loadedId === selectedId && imageUrl && (
            <div className="rv-stage rv-stage-bare">
              <img src={imageUrl} alt={`Item ${selectedId}`} className="rv-image" />
            </div>
          )}
        </>
      ) : (
        <div className="rv-item-body">
          <div className="rv-stage" style={{ aspectRatio: `${d.imageWidth} / ${d.imageHeight}` }}>
            {imageUrl && <img src={imageUrl} alt={`Item ${d.id}`} className="rv-image" />}
            {showArtifact && (
              <HeatmapCanvas
                gray={d.artifact}
                width={d.grid.width}
                height={d.grid.height}
                rgb={ARTIFACT_RGB}
                threshold={settings.threshold}
                opacity={settings.opacity}
                label="Artifact heatmap overlay"
              />
            )}
            {showMisalignment && (
              <HeatmapCanvas
                gray={d.misalignment}
                width={d.grid.width}
                height={d.grid.height}
                rgb={MISALIGNMENT_RGB}
                threshold={settings.threshold}
                opacity={settings.opacity}
                label="Misalignment heatmap overlay"
              />
            )}
            <AnnotatorDiscs width={d.imageWidth} height={d.imageHeight} layers={layers} />
          </div>
          <div className="rv-item-side">
            <fieldset>
              <legend>Layers</legend>
              <label>
                <input type="checkbox" checked={showArtifact} onChange={(e) => setShowArtifact(e.target.checked)} /> Artifact heatmap
              </label>
              <label>
                <input type="checkbox" checked={showMisalignment} onChange={(e) => setShowMisalignment(e.target.checked)} /> Misalignment heatmap
              </label>
              {d.ratings.map((r, i) => (
                <label key={r.annotator}>
                  <input
                    type="checkbox"
                    checked={!hidden.has(r.annotator)}
                    onChange={(e) =>
                      setHidden((prev) => {
                        const next = new Set(prev);
                        if (e.target.checked) next.delete(r.annotator);
                        else next.add(r.annotator);
                        return next;
                      })
                    }
                  />
                  <span className="rv-swatch" style={{ background: PALETTE[i % PALETTE.length] }} aria-hidden="true" />
                  {r.annotator}
                </label>
              ))}
              {referencePoints && (
                <label>
                  <input type="checkbox" checked={showReference} onChange={(e) => setShowReference(e.target.checked)} />
                  <span className="rv-swatch" style={{ background: REFERENCE_COLOUR }} aria-hidden="true" />
                  Reference discs
                </label>
              )}
              <p className="rv-hint">Solid discs with a ×: artifacts; dashed with a ◆: misalignment{referencePoints ? '; dotted: the reference' : ''}.</p>
            </fieldset>
            <label className="rv-slider">
              Heatmap opacity
              <input type="range" min={0} max={1} step={0.05} value={settings.opacity} onChange={(e) => setSettings({ opacity: Number(e.target.value) })} />
              <output>{settings.opacity.toFixed(2)}</output>
            </label>
            <label className="rv-slider">
              Heatmap threshold
              <input type="range" min={0} max={1} step={0.05} value={settings.threshold} onChange={(e) => setSettings({ threshold: Number(e.target.value) })} />
              <output>{settings.threshold.toFixed(2)}</output>
            </label>
            <h3>Scores</h3>
            <table className="rv-scores">
              <thead>
                <tr>
                  <th scope="col">Annotator</th>
                  {SCORE_NAMES.map((s) => (
                    <th scope="col" key={s}>
                      {LABEL[s]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {d.ratings.map((r) => (
                  <tr key={r.annotator}>
                    <th scope="row">{r.annotator}</th>
                    {SCORE_NAMES.map((s) => (
                      <td key={s}>{r.scores[s]}</td>
                    ))}
                  </tr>
                ))}
                <tr className="rv-mean">
                  <th scope="row">Mean</th>
                  {SCORE_NAMES.map((s) => (
                    <td key={s}>{d.means[s].toFixed(2)}</td>
                  ))}
                </tr>
                {d.gold?.scores && (
                  <tr className="rv-mean">
                    <th scope="row">Reference</th>
                    {SCORE_NAMES.map((s) => (
                      <td key={s}>{d.gold?.scores?.[s] ?? '–'}</td>
                    ))}
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          <PredictionCompare detail={d} />
          <div className="rv-tokens-wrap">
            <h3>Prompt tokens</h3>
            <p className="rv-hint">
              Votes of {d.ratings.length} annotators per token; a strict majority marks the token misaligned (<span className="rv-token rv-token-bad">highlighted</span>)
              {d.gold?.misalignedTokens ? (
                <>
                  ; the reference&apos;s misaligned words are <span className="rv-token rv-token-reference">underlined</span>
                </>
              ) : null}
              .
            </p>
            <ol className="rv-tokens" aria-label="Prompt tokens with misalignment votes">
              {d.tokens.map((t, i) => (
                <li key={i} className={`${d.misaligned[i] ? 'rv-token rv-token-bad' : 'rv-token'}${referenceWords.has(i) ? ' rv-token-reference' : ''}`}>
                  {t} <span className="rv-votes">{d.tokenVotes[i]}</span>
                  {d.misaligned[i] && <span className="rv-sr"> (misaligned)</span>}
                  {referenceWords.has(i) && <span className="rv-sr"> (misaligned in the reference)</span>}
                </li>
              ))}
            </ol>
          </div>
        </div>
      )}
    </section>
  );
}
