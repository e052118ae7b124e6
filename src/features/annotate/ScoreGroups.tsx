import { memo } from 'react';
import { SCORE_NAMES, type ScoreName } from '../../core/formats/index.ts';
import { useDraftStore } from './draftStore.ts';
import { scoreScale } from './scoring.ts';
import { useViewStore } from './viewStore.ts';

export const SCORE_INFO: Record<ScoreName, { label: string; low: string; high: string }> = {
  plausibility: { label: 'Plausibility', low: '1: severe artifacts', high: '5: fully plausible' },
  alignment: { label: 'Alignment', low: '1: ignores the prompt', high: '5: shows all of it' },
  aesthetics: { label: 'Aesthetics', low: '1: ugly', high: '5: beautiful' },
  overall: { label: 'Overall', low: '1: very poor result', high: '5: excellent result' },
};

/** The four 1-5 Likert scales as radio groups; the highlighted one is what the digit keys set (none when all have a score). */
export const ScoreGroups = memo(function ScoreGroups({ onActivity }: { onActivity(): void }) {
  return (
    <section className="panel-section" aria-labelledby="scores-heading">
      <div className="section-head">
        <h2 id="scores-heading">Scores</h2>
        <span className="hint">keys 1–5 score the highlighted scale; [ ] pick one</span>
      </div>
      {SCORE_NAMES.map((name) => (
        <ScoreGroup key={name} name={name} onActivity={onActivity} />
      ))}
    </section>
  );
});

function ScoreGroup({ name, onActivity }: { name: ScoreName; onActivity(): void }) {
  const value = useDraftStore((s) => s.scores[name]);
  const focused = useViewStore((s) => s.scoreFocus === name);
  const info = SCORE_INFO[name];
  const descId = `score-desc-${name}`;
  return (
    <div role="radiogroup" aria-label={info.label} aria-describedby={descId} className={focused ? 'score score-focus' : 'score'}>
      <div className="score-head">
        <span className="score-label" aria-hidden="true">
          {info.label}
        </span>
        <span className="score-radios">
          {[1, 2, 3, 4, 5].map((v) => (
            <label key={v} className={value === v ? 'radio radio-on' : 'radio'}>
              <input
                type="radio"
                name={`score-${name}`}
                value={v}
                checked={value === v}
                aria-label={String(v)}
                onChange={() => {
                  onActivity();
                  scoreScale(name, v);
                }}
              />
              <span aria-hidden="true">{v}</span>
            </label>
          ))}
        </span>
      </div>
      <div id={descId} className="score-ends">
        <span>{info.low}</span>
        <span>{info.high}</span>
      </div>
    </div>
  );
}
