/**
 * The one rule for the paths a task pack names (`items[].image`), shared by `richhf pack`,
 * `validate`, `consolidate`, the browser's pack loading and the server that serves pack
 * images. An image is either
 * - an absolute http(s) URL (checked with the URL parser, so `java\tscript:` or a leading
 *   space cannot pass as something else), or
 * - a path relative to the pack's folder, in URL syntax (`/` separators, `%20` for a space),
 *   that stays inside that folder once `.` and `..` are resolved.
 * Absolute paths (`/x`, `\x`, `//host`, `/\host`), drive letters (`C:\x`), other schemes
 * (`javascript:`, `file:`, `data:`), whitespace and control characters are refused. A
 * relative path comes back as its segments, each percent-decoded and free of separators,
 * `:` and control characters, so joining them under the pack's folder cannot leave it.
 */

/** Segments of a path inside a folder: none empty, `.` or `..`; none holding `/`, `\`, `:` or a control character. */
export type PackPath = readonly string[];

export type PackImageRef = { readonly kind: 'url'; readonly url: string } | { readonly kind: 'path'; readonly path: PackPath; readonly url: string };

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const refuse = (reason: string): Checked<never> => ({ ok: false, reason });

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const WHITESPACE = /\s/;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

/**
 * Resolves `segments` (already split and decoded) against the folder: `.` and empty segments
 * dropped, `..` removes the previous one and may not climb above the folder.
 */
function normalize(segments: readonly string[], folder: string): Checked<PackPath> {
  const out: string[] = [];
  for (const s of segments) {
    if (s === '' || s === '.') continue;
    if (s === '..') {
      if (out.length === 0) return refuse(`goes outside ${folder}`);
      out.pop();
      continue;
    }
    if (CONTROL.test(s)) return refuse('must not contain control characters');
    if (s.includes(':')) return refuse("must not contain ':' (a drive letter or a stream name)");
    out.push(s);
  }
  if (out.length === 0) return refuse('names no file');
  return { ok: true, value: out };
}

function absoluteOrDrive(p: string): string | null {
  if (p.startsWith('/') || p.startsWith('\\')) return 'is an absolute path; give a path relative to';
  if (/^[A-Za-z]:/.test(p)) return 'starts with a drive letter; give a path relative to';
  return null;
}

/** A pack's image reference checked by the rule above; `folder` names the folder in messages. */
export function packImageRef(ref: string, folder = "the pack's folder"): Checked<PackImageRef> {
  if (ref === '') return refuse('must not be empty');
  if (CONTROL.test(ref)) return refuse('must not contain control characters');
  if (WHITESPACE.test(ref)) return refuse('must not contain whitespace (write a space as %20)');
  const abs = absoluteOrDrive(ref);
  if (abs) return refuse(`${abs} ${folder}`);
  const scheme = SCHEME.exec(ref)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (scheme !== 'http' && scheme !== 'https') return refuse(`must be an http(s) URL or a relative path (not a ${scheme}: URL)`);
    if (!/^https?:\/\//i.test(ref)) return refuse('must be an http(s) URL (http://host/…) or a relative path');
    let url;
    try {
      url = new URL(ref);
    } catch {
      return refuse('is not a valid URL');
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.host === '') return refuse('must be an http(s) URL with a host');
    return { ok: true, value: { kind: 'url', url: url.href } };
  }
  if (ref.includes('?') || ref.includes('#')) return refuse("a relative path must not contain '?' or '#' (write them as %3F, %23)");
  const segments: string[] = [];
  for (const raw of ref.split(/[/\\]/)) {
    let s: string;
    try {
      s = decodeURIComponent(raw);
    } catch {
      return refuse('has an invalid %-escape');
    }
    // A decoded separator would split differently on disk than in the URL.
    if (s.includes('/') || s.includes('\\')) return refuse('must not contain an encoded / or \\ (%2F, %5C)');
    segments.push(s);
  }
  const path = normalize(segments, folder);
  if (!path.ok) return path;
  return { ok: true, value: { kind: 'path', path: path.value, url: packPathUrl(path.value) } };
}

/**
 * A file path relative to a folder, as people write them in a prompt list (`/` or `\`
 * separators, spaces as they are, no %-escapes), checked by the same rule.
 */
export function relativeFilePath(p: string, folder: string): Checked<PackPath> {
  if (p === '') return refuse('must not be empty');
  if (CONTROL.test(p)) return refuse('must not contain control characters');
  const abs = absoluteOrDrive(p);
  if (abs) return refuse(`${abs} ${folder}`);
  return normalize(p.split(/[/\\]/), folder);
}

/** A path inside the pack's folder as a relative URL: each segment percent-encoded, joined by `/`. */
export function packPathUrl(path: PackPath): string {
  return path.map(encodeURIComponent).join('/');
}
