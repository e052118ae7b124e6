/**
 * The pack's items with their state, for jumping back to an earlier item. Rows have a fixed
 * height and only the visible ones are rendered, so a 20,000-item pack opens without a stall.
 * A long id is cut with an ellipsis and shown whole while its row is hovered or focused.
 */
import { useState } from 'react';
import { showItem } from './session.ts';
import { useWorkspaceStore } from './workspaceStore.ts';

/** Row height in CSS px: a touch target's 40 px on touch screens. */
const ROW = typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches ? 40 : 26;
const VISIBLE = 10;

export function Queue() {
  const loaded = useWorkspaceStore((s) => s.loaded)!;
  const submitted = useWorkspaceStore((s) => s.submitted);
  const drafts = useWorkspaceStore((s) => s.drafts);
  const index = useWorkspaceStore((s) => s.index);
  const [open, setOpen] = useState(false);
  const [scrollTop, setScrollTop] = useState(() => Math.max(0, (index - 3) * ROW));
  const items = loaded.pack.items;
  const first = Math.max(0, Math.floor(scrollTop / ROW) - 3);
  const last = Math.min(items.length, first + VISIBLE + 6);
  return (
    <details className="queue" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Queue ({items.length} items)</summary>
      {open && (
        <div
          className="queue-list"
          data-keeps-focus
          role="list"
          aria-label="Items"
          style={{ height: Math.min(items.length, VISIBLE) * ROW }}
          onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
          ref={(el) => {
            if (el && el.dataset.init !== '1') {
              el.dataset.init = '1';
              el.scrollTop = scrollTop;
            }
          }}
        >
          <div style={{ height: items.length * ROW, position: 'relative' }}>
            {items.slice(first, last).map((it, k) => {
              const i = first + k;
              const state = submitted.has(it.id) ? 'done' : drafts.has(it.id) || i === index ? 'started' : 'to do';
              return (
                <div role="listitem" key={it.id} className={i === index ? 'queue-row current' : 'queue-row'} style={{ top: i * ROW, height: ROW }}>
                  <button type="button" onClick={() => showItem(i)} aria-current={i === index ? 'true' : undefined} title={it.prompt}>
                    <span className={`queue-state queue-${state.replace(' ', '')}`} aria-label={state}>
                      {state === 'done' ? '✓' : state === 'started' ? '•' : ''}
                    </span>
                    <span className="queue-id trunc">{it.id}</span>
                    <span className="queue-prompt">{it.prompt}</span>
                  </button>
                </div>
              );
            })}
          </div>
        </div>
      )}
    </details>
  );
}
