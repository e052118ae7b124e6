/**
 * What to tell a person when the browser's storage fails. IndexedDB reports its failures as
 * DOMExceptions whose `name` says what happened; the message says how it looks from here and
 * keeps the browser's own words for whoever has to dig further.
 */
const MEANINGS: Readonly<Record<string, string>> = {
  QuotaExceededError: "this browser's storage for the site is full",
  VersionError: 'the data stored in this browser was written by a newer version of richhf-studio: reload the page to get that version',
  InvalidStateError: 'the browser refused its storage (a private window, or storage turned off for this site?)',
  SecurityError: 'the browser refused its storage (a private window, or storage turned off for this site?)',
  UnknownError: "the browser's storage failed (a private window, a full disk, or storage turned off for this site?)",
  AbortError: 'the browser abandoned the write (the tab closing, or storage full?)',
};

export function describeStorageError(e: unknown): string {
  const name = e instanceof Error || e instanceof DOMException ? e.name : '';
  const raw = e instanceof Error || e instanceof DOMException ? e.message : String(e);
  const meaning = MEANINGS[name];
  return meaning ? `${meaning} (${name}: ${raw})` : raw || name || 'unknown error';
}
