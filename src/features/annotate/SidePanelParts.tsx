/** The smaller parts of the side panel: instructions, hints, Submit, the list of points. */
import { useMemo, useState } from 'react';
import { contradictions } from '../../core/annotate/contradictions.ts';
import { KIND_LABEL } from './colors.ts';
import { isComplete, useDraftStore } from './draftStore.ts';
import { KindMark } from './KindMark.tsx';
import { useViewStore } from './viewStore.ts';
import { useWorkspaceStore } from './workspaceStore.ts';

/** The pack's instructions, line breaks kept, collapsible; open at first, closed once the annotator has submitted work on the pack. */
export function Instructions({ text }: { text: string | undefined }) {
  const [open] = useState(() => useWorkspaceStore.getState().submitted.size === 0);
  if (!text) return null;
  return (
    <details className="instructions" open={open}>
      <summary>Instructions</summary>
      <p className="instructions-text" tabIndex={0}>
        {text}
      </p>
    </details>
  );
}

/** Soft hints for answers that contradict each other; they never block Submit. */
export function Warnings() {
  const scores = useDraftStore((s) => s.scores);
  const points = useDraftStore((s) => s.points);
  const tokenCount = useDraftStore((s) => s.misalignedTokens.length);
  const warnings = useMemo(
    () =>
      contradictions({
        scores,
        misalignedTokenCount: tokenCount,
        artifactPointCount: points.filter((p) => p.kind === 'artifact').length,
        misalignmentPointCount: points.filter((p) => p.kind === 'misalignment').length,
      }),
    [scores, points, tokenCount],
  );
  return (
    <div role="status" aria-live="polite" className="warnings">
      {warnings.map((w) => (
        <p key={w} className="warning">
          ⚠ {w}
        </p>
      ))}
    </div>
  );
}

export function SubmitBar({ isSubmitted, onSubmit, canSubmitImage }: { isSubmitted: boolean; onSubmit(): void; canSubmitImage: boolean }) {
  const complete = useDraftStore((s) => isComplete(s.scores));
  return (
    <div className="submit-bar">
      <button type="button" className="submit" disabled={!complete || !canSubmitImage} onClick={onSubmit}>
        Submit
      </button>
      <span className="hint">{complete ? (isSubmitted ? 'Submitted: submit again to save changes.' : 'Enter to submit.') : 'Give all four scores to submit.'}</span>
    </div>
  );
}

/** The points as a list: a keyboard and screen-reader way to see and delete them. */
export function PointList() {
  const points = useDraftStore((s) => s.points);
  const selectedId = useViewStore((s) => s.selectedId);
  return (
    <details className="point-list">
      <summary>Points ({points.length})</summary>
      <ul aria-label="Points">
        {points.map((p, i) => (
          <li key={p.id} className={p.id === selectedId ? 'selected' : undefined}>
            <KindMark kind={p.kind} size={14} />
            {KIND_LABEL[p.kind]} {i + 1} at ({p.x.toFixed(1)}, {p.y.toFixed(1)})
            <button
              type="button"
              aria-label={`Delete ${KIND_LABEL[p.kind]} point ${i + 1}`}
              onClick={() => {
                useDraftStore.getState().deletePoint(p.id);
                if (useViewStore.getState().selectedId === p.id) useViewStore.getState().select(null);
              }}
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
