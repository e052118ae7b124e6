/**
 * Files the page makes for the person to keep (their annotations, exports, what waits in the
 * outbox): saved through an object URL and a temporary <a download>, no server round trip.
 * Names are the caller's, made with core/text/fileName.ts from untrusted text.
 */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Give the browser time to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** `value` as pretty-printed JSON with a final newline (what every richhf file looks like). */
export function downloadJson(value: unknown, fileName: string): void {
  downloadBlob(new Blob([JSON.stringify(value, null, 2) + '\n'], { type: 'application/json' }), fileName);
}
