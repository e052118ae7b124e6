import { memo, useMemo } from 'react';
import { tokenSpans } from '../../core/text/tokenize.ts';
import { useDraftStore } from './draftStore.ts';

/**
 * The prompt, shown once: its RichHF tokens are toggle buttons (pressed = misaligned) in place,
 * with the separators between them as text, so it reads as written however long it is. Space
 * marks a focused word; Enter never does (it submits: keymap.ts).
 */
export const PromptTokens = memo(function PromptTokens({ prompt, onActivity }: { prompt: string; onActivity(): void }) {
  const marked = useDraftStore((s) => s.misalignedTokens);
  const toggle = useDraftStore((s) => s.toggleToken);
  const spans = useMemo(() => tokenSpans(prompt), [prompt]);
  return (
    <section className="panel-section" aria-labelledby="prompt-heading">
      <h2 id="prompt-heading">Prompt</h2>
      <p className="hint" id="prompt-hint">
        Mark the words the image misrepresents or misses.
      </p>
      <div role="group" aria-label="Prompt" aria-describedby="prompt-hint" className="tokens">
        {spans.map((s, i) => {
          const pressed = marked.includes(i);
          const before = prompt.slice(i === 0 ? 0 : spans[i - 1]!.end, s.start);
          return (
            <span key={i} className="token-wrap">
              {before}
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
                {prompt.slice(s.start, s.end)}
              </button>
            </span>
          );
        })}
        {spans.length > 0 && prompt.slice(spans[spans.length - 1]!.end)}
        {spans.length === 0 && <span className="hint">(the prompt has no words)</span>}
      </div>
    </section>
  );
});
