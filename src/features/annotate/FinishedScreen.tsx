/**
 * The end of a pack: a heading, what the annotator did, what they can do next. It only lays out
 * what it is given, so each mode brings its own counts and actions: the static mode shows the
 * counts of the annotator's file with "Export annotations" (PackDone.tsx); the mode on a server
 * (issue 9: "nothing left", the count done, sign out) can pass its own. The heading takes the
 * focus when the screen appears, so keyboard and screen-reader users land on it.
 */
import { useEffect, useRef, type ReactNode } from 'react';

export interface FinishedScreenProps {
  heading: string;
  /** One short line each, e.g. "8 of 8 items submitted". */
  stats: readonly string[];
  /** What to do next, in a sentence. */
  note?: ReactNode;
  /** The actions, as buttons; the first is the main one. */
  children: ReactNode;
}

export function FinishedScreen({ heading, stats, note, children }: FinishedScreenProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus({ preventScroll: true }), []);
  return (
    <section className="finished" aria-labelledby="finished-heading">
      <div className="finished-card">
        <h1 id="finished-heading" ref={headingRef} tabIndex={-1}>
          {heading}
        </h1>
        <ul className="finished-stats" aria-label="Your work on this pack">
          {stats.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
        {note && <p className="finished-note">{note}</p>}
        <div className="finished-actions">{children}</div>
      </div>
    </section>
  );
}
