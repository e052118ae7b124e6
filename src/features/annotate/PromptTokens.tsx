import { memo, useMemo } from 'react';
import { promptPieces } from '../../core/text/promptPieces.ts';
import { useDraftStore } from './draftStore.ts';

/**
 * The prompt, shown once: its RichHF tokens are toggle buttons (pressed = misaligned) in place,
 * with the separators between them as text, so it reads as written however long it is. Each word
 * is kept on one line with the punctuation around it, so no line starts with a comma. Space marks
 * a focused word; Enter never does (it submits: keymap.ts).
 */
export const PromptTokens = memo(function PromptTokens({ prompt, onActivity }: { prompt: string; onActivity(): void }) {
  const marked = useDraftStore((s) => s.misalignedTokens);
  const toggle = useDraftStore((s) => s.toggleToken);
  const { words, closing } = useMemo(() => promptPieces(prompt), [prompt]);
  return (
    <section className="panel-section" aria-labelledby="prompt-heading">
      <h2 id="prompt-heading">Prompt</h2>
      <p className="hint" id="prompt-hint">
        Mark the words the image misrepresents or misses.
      </p>
      <div role="group" aria-label="Prompt" aria-describedby="prompt-hint" className="tokens">
        {words.map((w, i) => {
          const pressed = marked.includes(i);
          return (
            <span key={i} className="token-wrap">
              {w.lead}
              <span className="token-stick">
                {w.before}
                <button
                  type="button"
                  data-word=""
                  className={pressed ? 'token token-on' : 'token'}
                  aria-pressed={pressed}
                  onClick={() => {
                    onActivity();
                    toggle(i);
                  }}
                >
                  {prompt.slice(w.start, w.end)}
                </button>
                {w.after}
              </span>
            </span>
          );
        })}
        {words.length > 0 && closing}
        {words.length === 0 && <span className="hint">(the prompt has no words)</span>}
      </div>
    </section>
  );
});
