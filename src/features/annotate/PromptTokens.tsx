import { memo } from 'react';
import { useDraftStore } from './draftStore.ts';

/** The prompt as RichHF tokens; each is a toggle button, pressed = misaligned. Space marks a focused word; Enter never does (keymap.ts). */
export const PromptTokens = memo(function PromptTokens({ tokens, onActivity }: { tokens: readonly string[]; onActivity(): void }) {
  const marked = useDraftStore((s) => s.misalignedTokens);
  const toggle = useDraftStore((s) => s.toggleToken);
  return (
    <section className="panel-section" aria-labelledby="prompt-heading">
      <h2 id="prompt-heading">Prompt words</h2>
      <p className="hint">Mark the words the image misrepresents or misses.</p>
      <div role="group" aria-label="Prompt" className="tokens">
        {tokens.map((t, i) => {
          const pressed = marked.includes(i);
          return (
            <button
              key={i}
              type="button"
              data-word=""
              className={pressed ? 'token token-on' : 'token'}
              aria-pressed={pressed}
              onClick={() => {
                onActivity();
                toggle(i);
              }}
            >
              {t}
            </button>
          );
        })}
        {tokens.length === 0 && <span className="hint">(the prompt has no words)</span>}
      </div>
    </section>
  );
});
