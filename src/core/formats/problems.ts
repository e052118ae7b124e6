import type { LocatedError } from './located.ts';

/**
 * Bounded error reporting. A broken file can hold millions of problems (a 180 MB file with
 * every point invalid); listing them all costs memory, time and the reader's patience. Every
 * producer of located errors (parsers, cross-file checks, the review page, the server's 400
 * answers) collects them here: the first `limit` of each file are kept, the rest are counted,
 * or, when checking stopped at the bound, only said to exist.
 */
export const MAX_PROBLEMS_PER_FILE = 50;

/** Longest message kept, in UTF-16 code units: a message can quote input (unknown keys, say). */
const MAX_MESSAGE = 300;

/** Problems of `file` found but not listed: `count` of them, or null when checking stopped at the bound. */
export interface Unlisted {
  readonly file: string;
  readonly count: number | null;
}

/** What a failed check hands back: the listed errors, in the order found, and what was left out. */
export interface ProblemReport {
  readonly errors: readonly LocatedError[];
  readonly unlisted?: readonly Unlisted[];
}

export class Problems {
  private readonly listed: LocatedError[] = [];
  private readonly perFile = new Map<string, { listed: number; unlisted: number; stopped: boolean }>();

  constructor(readonly limit: number = MAX_PROBLEMS_PER_FILE) {}

  private entry(file: string) {
    let e = this.perFile.get(file);
    if (!e) this.perFile.set(file, (e = { listed: 0, unlisted: 0, stopped: false }));
    return e;
  }

  /**
   * Records a problem: listed while `file` has fewer than `limit`, else only counted. Returns
   * false for a problem that was not listed: a producer may stop looking there (and say so
   * with stop()), since it now knows there are more problems than it can show.
   */
  add(file: string, path: string, message: string): boolean {
    const e = this.entry(file);
    if (e.listed < this.limit) {
      this.listed.push({ file, path, message: clip(message) });
      e.listed++;
      return true;
    }
    e.unlisted++;
    return false;
  }

  addError(e: LocatedError): boolean {
    return this.add(e.file, e.path, e.message);
  }

  /** Adds another report, its unlisted counts too; false if any of it went unlisted. */
  addReport(report: ProblemReport): boolean {
    let room = true;
    for (const e of report.errors) room = this.addError(e) && room;
    for (const u of report.unlisted ?? []) {
      const e = this.entry(u.file);
      if (u.count === null) e.stopped = true;
      else e.unlisted += u.count;
      room = false;
    }
    return room;
  }

  /** True when `file` has `limit` problems listed: looking further in it only costs time. */
  isFull(file: string): boolean {
    return (this.perFile.get(file)?.listed ?? 0) >= this.limit;
  }

  /** Checking of `file` ended at the bound: there may be more problems, uncounted. */
  stop(file: string): void {
    this.entry(file).stopped = true;
  }

  /** Problems found in `file`, or in any file. */
  has(file?: string): boolean {
    if (file === undefined) return this.perFile.size > 0;
    const e = this.perFile.get(file);
    return e !== undefined && (e.listed > 0 || e.unlisted > 0 || e.stopped);
  }

  /** Files with problems, in the order their first problem was found. */
  files(): string[] {
    return [...this.perFile.keys()];
  }

  report(): { readonly errors: readonly LocatedError[]; readonly unlisted: readonly Unlisted[] } {
    const unlisted: Unlisted[] = [];
    for (const [file, e] of this.perFile) {
      if (e.stopped) unlisted.push({ file, count: null });
      else if (e.unlisted > 0) unlisted.push({ file, count: e.unlisted });
    }
    return { errors: [...this.listed], unlisted };
  }
}

function clip(message: string): string {
  return message.length <= MAX_MESSAGE ? message : `${message.slice(0, MAX_MESSAGE - 1)}…`;
}

/** Control characters (C0, DEL, C1) and the bidirectional overrides, which could rewrite a terminal line. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Untrusted text made safe to print on one line: unsafe characters as \u escapes. */
export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `file: path: message`, or `file: message` when the problem is the file as a whole; always one printable line. */
export function formatLocatedError(e: LocatedError): string {
  return printable(e.path ? `${e.file}: ${e.path}: ${e.message}` : `${e.file}: ${e.message}`);
}

/** `file: … and 12 more problems`, or `… and more problems (checking stopped after the first 50)`. */
export function formatUnlisted(u: Unlisted, limit: number = MAX_PROBLEMS_PER_FILE): string {
  const more = u.count === null ? `more problems (checking stopped after the first ${limit})` : `${u.count} more problem${u.count === 1 ? '' : 's'}`;
  return printable(`${u.file}: … and ${more}`);
}

/**
 * A report as lines for people: each file's errors together (files in the order found), at
 * most `limit` per file, each file followed by its "… and N more" line. Bounded whatever the
 * report holds, so even an unbounded list from elsewhere prints safely.
 */
export function problemLines(report: ProblemReport, limit: number = MAX_PROBLEMS_PER_FILE): string[] {
  const byFile = new Map<string, { shown: string[]; extra: number; stopped: boolean }>();
  const group = (file: string) => {
    let g = byFile.get(file);
    if (!g) byFile.set(file, (g = { shown: [], extra: 0, stopped: false }));
    return g;
  };
  for (const e of report.errors) {
    const g = group(e.file);
    if (g.shown.length < limit) g.shown.push(formatLocatedError(e));
    else g.extra++;
  }
  for (const u of report.unlisted ?? []) {
    const g = group(u.file);
    if (u.count === null) g.stopped = true;
    else g.extra += u.count;
  }
  const lines: string[] = [];
  for (const [file, g] of byFile) {
    lines.push(...g.shown);
    if (g.stopped || g.extra > 0) lines.push(formatUnlisted({ file, count: g.stopped ? null : g.extra }, limit));
  }
  return lines;
}

/** Problems in a report, listed or not; null when some file's count is unknown (checking stopped). */
export function problemCount(report: ProblemReport): number | null {
  let n = report.errors.length;
  for (const u of report.unlisted ?? []) {
    if (u.count === null) return null;
    n += u.count;
  }
  return n;
}
