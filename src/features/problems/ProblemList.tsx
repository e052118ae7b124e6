/**
 * The first problems of a rejected file, as the pages show them: a list that scrolls inside a
 * bounded box (a report holds at most 50 lines per file plus "… and N more"), focusable so it
 * can be scrolled from the keyboard. Lines are untrusted text and rendered as text only.
 */
export function ProblemList({ label, lines }: { label: string; lines: readonly string[] }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className="problem-list">
      <ul aria-label={label}>
        {lines.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ul>
    </div>
  );
}
