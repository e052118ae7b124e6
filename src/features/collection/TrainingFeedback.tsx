import { useEffect, useRef } from 'react';
import { SCORE_NAMES } from '../../core/formats/names.ts';
import { tokenize } from '../../core/text/tokenize.ts';
import { feedbackSeen, type FeedbackToShow } from './trainingFeedbackStore.ts';

/**
 * After Submit on a training item: the annotator's answer beside the reference (issue 17). Their
 * discs and the reference discs over the image (filled blue against dashed orange rings, both
 * at the RichHF-18K radius of H / 20 image pixels, with a legend), the words each marked, their
 * scores against the reference's range (±1, the quality model's agreement), and the
 * explanation. Continue (focused first) goes back to the work. Reference parts the lead left out
 * are said to be not judged.
 */
const LABELS: Record<(typeof SCORE_NAMES)[number], string> = { plausibility: 'Plausibility', alignment: 'Alignment', aesthetics: 'Aesthetics', overall: 'Overall' };

function Discs({ f }: { f: FeedbackToShow }) {
  const { imageWidth: w, imageHeight: h } = f.record;
  const r = h / 20;
  const stroke = h / 200;
  return (
    <figure className="feedback-figure">
      <div className="feedback-image">
        <img src={f.item.image} alt="The training image" width={w} height={h} />
        <svg viewBox={`0 0 ${w} ${h}`} aria-hidden="true" focusable="false">
          {(f.reference.points ?? []).map((p, i) => (
            <circle key={`r${i}`} className="disc-reference" cx={p.x} cy={p.y} r={r} strokeWidth={stroke * 2} strokeDasharray={`${stroke * 4} ${stroke * 3}`} />
          ))}
          {f.record.points.map((p, i) => (
            <circle key={`y${i}`} className="disc-yours" cx={p.x} cy={p.y} r={r} strokeWidth={stroke} />
          ))}
        </svg>
      </div>
      <figcaption>
        <ul className="feedback-legend">
          <li>
            <span className="swatch swatch-yours" aria-hidden="true" /> Your points: {f.record.points.length}
          </li>
          <li>
            <span className="swatch swatch-reference" aria-hidden="true" /> Reference points: {f.reference.points === undefined ? 'not judged' : f.reference.points.length}
          </li>
        </ul>
      </figcaption>
    </figure>
  );
}

function Words({ f }: { f: FeedbackToShow }) {
  const tokens = tokenize(f.item.prompt);
  const yours = new Set(f.record.misalignedTokens);
  const reference = f.reference.misalignedTokens === undefined ? null : new Set(f.reference.misalignedTokens);
  const marked = tokens.flatMap((t, i) => (yours.has(i) || reference?.has(i) ? [{ t, i }] : []));
  return (
    <section aria-labelledby="feedback-words">
      <h2 id="feedback-words">Misaligned words</h2>
      {reference === null && <p>The reference does not judge words.</p>}
      {marked.length === 0 ? (
        <p>Neither you nor the reference marked a word.</p>
      ) : (
        <table className="feedback-table">
          <thead>
            <tr>
              <th scope="col">Word</th>
              <th scope="col">You</th>
              <th scope="col">Reference</th>
            </tr>
          </thead>
          <tbody>
            {marked.map(({ t, i }) => (
              <tr key={i}>
                <th scope="row">{t}</th>
                <td>{yours.has(i) ? 'marked' : '–'}</td>
                <td>{reference === null ? 'not judged' : reference.has(i) ? 'marked' : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Scores({ f }: { f: FeedbackToShow }) {
  return (
    <section aria-labelledby="feedback-scores">
      <h2 id="feedback-scores">Scores</h2>
      <table className="feedback-table">
        <thead>
          <tr>
            <th scope="col">Scale</th>
            <th scope="col">You</th>
            <th scope="col">Reference range</th>
          </tr>
        </thead>
        <tbody>
          {SCORE_NAMES.map((name) => {
            const ref = f.reference.scores?.[name];
            const mine = f.record.scores[name];
            const within = ref !== undefined && Math.abs(mine - ref) <= 1;
            return (
              <tr key={name}>
                <th scope="row">{LABELS[name]}</th>
                <td>{mine}</td>
                <td>{ref === undefined ? 'not judged' : `${Math.max(1, ref - 1)} to ${Math.min(5, ref + 1)} (${ref}) ${within ? '– within' : '– outside'}`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

export function TrainingFeedback({ feedback }: { feedback: FeedbackToShow }) {
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => button.current?.focus(), [feedback]);
  return (
    <main className="training-feedback" aria-labelledby="feedback-title">
      <h1 id="feedback-title">Training item: your answer and the reference</h1>
      <p>This was a training item. Compare your answer with the reference, then continue.</p>
      <button ref={button} type="button" className="primary" onClick={feedbackSeen}>
        Continue
      </button>
      <Discs f={feedback} />
      <Words f={feedback} />
      <Scores f={feedback} />
      {feedback.reference.explanation !== undefined && (
        <section aria-labelledby="feedback-explanation">
          <h2 id="feedback-explanation">Why</h2>
          <p className="feedback-explanation">{feedback.reference.explanation}</p>
        </section>
      )}
    </main>
  );
}
