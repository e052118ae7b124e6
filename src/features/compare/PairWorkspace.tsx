/**
 * The workspace for a pair (issue 18): the prompt, both images side by side at the same size
 * (stacked on a phone, the left one on top), and one five-answer scale per criterion in the
 * paper's wording. Keys: 1-5 answer the highlighted scale (the highlight moves on to the next
 * scale without an answer), [ and ] move the highlight, Enter submits, Page Down / Page Up go to
 * the next / previous pair. No system is named anywhere: the pack the page opened names none.
 */
import { useEffect } from 'react';
import { SCREEN_ANSWERS, screenAnswerOfKey } from '../../core/compare/answerScale.ts';
import { screenAnswer } from '../../core/compare/sides.ts';
import { criteriaOf } from '../../core/formats/comparison.ts';
import { answersOf, choose, chooseHighlighted, exportPairs, highlight, showPair, submitPair, unanswered, usePairStore } from './pairStore.ts';

const CRITERION_LABEL: Record<string, string> = { plausibility: 'Plausibility', alignment: 'Alignment', aesthetics: 'Aesthetics', overall: 'Overall' };

/** Keys typed into a text field or on a focused button keep their own meaning. */
function ownKeys(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || (target.tagName === 'INPUT' && (target as HTMLInputElement).type === 'text')) return true;
  return key === 'Enter' && (target.tagName === 'BUTTON' || target.tagName === 'A');
}

function onKey(e: KeyboardEvent): void {
  if (e.altKey || e.metaKey || e.ctrlKey || ownKeys(e.target, e.key)) return;
  const screen = screenAnswerOfKey(e.key);
  const s = usePairStore.getState();
  if (screen !== undefined) chooseHighlighted(screen);
  else if (e.key === ']') highlight(1);
  else if (e.key === '[') highlight(-1);
  else if (e.key === 'Enter') submitPair();
  else if (e.key === 'PageDown') showPair(s.index + 1);
  else if (e.key === 'PageUp') showPair(s.index - 1);
  else return;
  e.preventDefault();
}

export function PairWorkspace() {
  const s = usePairStore();
  useEffect(() => {
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const item = s.items[s.index];
  if (!s.loaded || !item) return null;
  const left = s.sides[s.index]!;
  const urls = s.loaded.imageUrls[s.index]!;
  const answers = answersOf(s, s.index);
  const criteria = criteriaOf(item);
  const submitted = s.submitted.has(item.id);
  const missing = unanswered(s);
  return (
    <main className="pairs">
      <header className="pairs-bar">
        <h1>
          Pair {s.index + 1} of {s.items.length}
        </h1>
        <p className="pairs-count">
          {s.submitted.size} of {s.items.length} submitted{submitted ? ' · this pair is submitted (you may change it)' : ''}
        </p>
        <nav aria-label="Pairs">
          <button type="button" onClick={() => showPair(s.index - 1)} disabled={s.index === 0}>
            Previous pair
          </button>
          <button type="button" onClick={() => showPair(s.index + 1)} disabled={s.index === s.items.length - 1}>
            Next pair
          </button>
          <button type="button" onClick={exportPairs}>
            Export annotations
          </button>
        </nav>
      </header>
      <p className="pairs-prompt">
        <span className="pairs-prompt-label">Prompt</span> {item.prompt}
      </p>
      <div className="pairs-images">
        {(['Left', 'Right'] as const).map((side, at) => {
          const index = (at === 0 ? left : 1 - left) as 0 | 1;
          return (
            <figure key={`${item.id}-${side}`}>
              <img src={urls[index]} alt={`${side} image`} draggable={false} />
              <figcaption>{side}</figcaption>
            </figure>
          );
        })}
      </div>
      <form
        className="pairs-scales"
        onSubmit={(e) => {
          e.preventDefault();
          submitPair();
        }}
      >
        {criteria.map((c, ci) => {
          const chosen = answers[c] === undefined ? undefined : screenAnswer(answers[c], left);
          return (
            <fieldset key={c} className={ci === s.highlighted ? 'pairs-scale highlighted' : 'pairs-scale'} aria-current={ci === s.highlighted ? 'true' : undefined}>
              <legend>{CRITERION_LABEL[c]}</legend>
              {SCREEN_ANSWERS.map((a) => (
                <label key={a.key}>
                  <input type="radio" name={`${item.id}-${c}`} checked={chosen === a.screen} onChange={() => choose(c, a.screen)} />
                  <kbd aria-hidden="true">{a.key}</kbd> {a.label}
                </label>
              ))}
            </fieldset>
          );
        })}
        <button type="submit" className="primary" aria-describedby="pairs-missing">
          Submit
        </button>
        <p id="pairs-missing" className="hint">
          {missing.length > 0 ? `To answer: ${missing.map((c) => CRITERION_LABEL[c]).join(', ')}.` : 'Every question is answered.'} Keys: 1-5 answer, [ ] move between questions,
          Enter submits.
        </p>
      </form>
      {s.notice && (
        <p role={s.notice.error ? 'alert' : 'status'} className={s.notice.error ? 'error' : 'hint'}>
          {s.notice.text}
        </p>
      )}
    </main>
  );
}
