/**
 * What the library trims (vite.config.ts for Konva, reactTrim.ts for React) do to a function they
 * leave out: its body becomes a call that throws "LIBRARY: NAME is left out of richhf-studio
 * (WHERE)", the message the e2e fixtures watch for (tests/e2e/fixtures.ts), or, for one whose
 * work is not needed but which is still called, an empty body.
 */
export interface Cut {
  /** The body's braces, as the parser gives them. */
  readonly start: number;
  readonly end: number;
  /** What the error names. */
  readonly name: string;
  /** Emptied instead of made to throw. */
  readonly empty?: boolean;
}

/** `code` with every cut made (the last first, so positions hold), or the name of a cut whose positions do not fall on braces (nothing is cut then). */
export function cutBodies(code: string, cuts: readonly Cut[], library: string, where: string): { code: string } | { misplaced: string } {
  let out = code;
  for (const c of [...cuts].sort((a, b) => b.start - a.start)) {
    if (code[c.start] !== '{' || code[c.end - 1] !== '}') return { misplaced: c.name };
    out = `${out.slice(0, c.start)}${c.empty ? '{}' : `{ __leftOut(${JSON.stringify(c.name)}); }`}${out.slice(c.end)}`;
  }
  return {
    code: `${out}\nfunction __leftOut(name) { throw new Error(${JSON.stringify(`${library}: `)} + name + ${JSON.stringify(` is left out of richhf-studio (${where})`)}); }\n`,
  };
}
