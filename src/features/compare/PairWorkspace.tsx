/**
 * The workspace for a pair (issue 18): the prompt, both images side by side at the same size
 * (stacked on a phone, the left one on top), and one five-answer scale per criterion in the
 * paper's wording. Keys: 1-5 answer the highlighted scale (the highlight moves on to the next
 * scale without an answer), [ and ] move the highlight, Enter submits, Page Down / Page Up go to
 * the next / previous pair; + and − zoom both images, 0 fits them, and a drag (or the wheel) on
 * either pans (or zooms) both: they always show the same part at the same zoom. No system is named anywhere: the pack the page opened names none.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { SCREEN_ANSWERS, screenAnswerOfKey } from '../../core/compare/answerScale.ts';
import { screenAnswer } from '../../core/compare/sides.ts';
import { criteriaOf } from '../../core/formats/comparison.ts';
import { answersOf, choose, chooseHighlighted, exportPairs, fitView, highlight, panBy, showPair, submitPair, unanswered, usePairStore, zoomBy } from './pairStore.ts';
import './pairs.css';

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
  else if (e.key === '+' || e.key === '=') zoomBy(1.25);
  else if (e.key === '-' || e.key === '−') zoomBy(0.8);
  else if (e.key === '0') fitView();
  else return;
  e.preventDefault();
}

/**
 * On a collection server: `topBar` (the outbox, Sign out) joins the bar, `floating(allSubmitted)`
 * says what the outbox has to say (and, with every pair held submitted, what the next one waits
 * for), and `counts` are the items submitted (both kinds) of the server's pack.
 */
export function PairWorkspace({
  topBar,
  floating,
  counts,
}: { topBar?: ReactNode; floating?: (allSubmitted: boolean) => ReactNode; counts?: { done: number; total: number } } = {}) {
  const s = usePairStore();
  const imagesRef = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number; w: number; h: number } | null>(null);
  useEffect(() => {
    window.addEventListener('keydown', onKey);
    // Not passive, so the wheel zooms the images instead of scrolling the page.
    const box = imagesRef.current;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      zoomBy(e.deltaY < 0 ? 1.25 : 0.8);
    };
    box?.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      window.removeEventListener('keydown', onKey);
      box?.removeEventListener('wheel', onWheel);
    };
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
        {/* On a server the pairs held so far are not the pack's: the count line says where the pack stands. */}
        <h1>{s.loaded.source === 'server' ? `Pair ${s.index + 1}` : `Pair ${s.index + 1} of ${s.items.length}`}</h1>
        <p className="pairs-count">
          {counts?.done ?? s.submitted.size} of {counts?.total ?? s.items.length} submitted{submitted ? ' · this pair is submitted (you may change it)' : ''}
        </p>
        {topBar && <div className="pairs-server">{topBar}</div>}
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
      {floating?.(s.items.every((it) => s.submitted.has(it.id)))}
      <p className="pairs-prompt">
        <span className="pairs-prompt-label">Prompt</span> {item.prompt}
      </p>
      <div className="pairs-view">
        <button type="button" onClick={() => zoomBy(1.25)} aria-keyshortcuts="+">
          Zoom in
        </button>
        <button type="button" onClick={() => zoomBy(0.8)} aria-keyshortcuts="-">
          Zoom out
        </button>
        <button type="button" onClick={fitView} aria-keyshortcuts="0" disabled={s.view.zoom === 1}>
          Fit
        </button>
      </div>
      <div className="pairs-images" ref={imagesRef}>
        {(['Left', 'Right'] as const).map((side, at) => {
          const index = (at === 0 ? left : 1 - left) as 0 | 1;
          return (
            <figure key={`${item.id}-${side}`}>
              <div
                className={s.view.zoom > 1 ? 'pairs-frame zoomed' : 'pairs-frame'}
                onPointerDown={(e) => {
                  const r = e.currentTarget.getBoundingClientRect();
                  drag.current = { x: e.clientX, y: e.clientY, w: r.width, h: r.height };
                  e.currentTarget.setPointerCapture(e.pointerId);
                }}
                onPointerMove={(e) => {
                  const d = drag.current;
                  if (!d) return;
                  panBy((e.clientX - d.x) / d.w, (e.clientY - d.y) / d.h);
                  drag.current = { ...d, x: e.clientX, y: e.clientY };
                }}
                onPointerUp={() => (drag.current = null)}
                onPointerCancel={() => (drag.current = null)}
              >
                <img
                  src={urls[index]}
                  alt={`${side} image`}
                  draggable={false}
                  style={{ transform: `translate(${(s.view.x * 100).toFixed(3)}%, ${(s.view.y * 100).toFixed(3)}%) scale(${s.view.zoom.toFixed(4)})` }}
                />
              </div>
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
