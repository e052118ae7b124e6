/**
 * File names made from untrusted text (pack names, annotator ids, item ids) for downloads and
 * ZIP entries: only A-Z a-z 0-9 . _ - survive, every other run of characters becomes one "_",
 * a leading dot becomes "_" (no hidden files, no ".."), and the result is at most `maxLength`
 * characters; text with nothing left gives `fallback`.
 */
export function safeFileName(text: string, maxLength = 80, fallback = 'file'): string {
  return (
    text
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^\./, '_')
      .slice(0, maxLength) || fallback
  );
}

/**
 * safeFileName, made unique among the names in `used` (compared case-insensitively, since
 * some file systems ignore case) by appending ~2, ~3, ...; the name is added to `used`.
 */
export function uniqueFileName(text: string, used: Set<string>, maxLength = 80, fallback = 'file'): string {
  const base = safeFileName(text, maxLength, fallback);
  let name = base;
  for (let k = 2; used.has(name.toLowerCase()); k++) name = `${base}~${k}`;
  used.add(name.toLowerCase());
  return name;
}

/**
 * The one rule for the name of a file the app or the server hands out: each part made safe
 * (safeFileName: "Ocean trial" -> "Ocean_trial"), joined by "-", then the extension:
 * downloadName(['Ocean trial', 'dataset'], 'json') = "Ocean_trial-dataset.json". The server's
 * Content-Disposition and the page's downloads both use it, so a file has one name wherever it
 * comes from.
 */
export function downloadName(parts: readonly string[], extension: string): string {
  return `${parts.map((p) => safeFileName(p)).join('-')}.${extension}`;
}
