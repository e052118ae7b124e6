/**
 * A message written to be joined into others (the server's errors read "this token is not known
 * to this server: …" so that a command line can prefix them) shown on its own: a capital first
 * letter and a closing full stop. Text that already ends a sentence keeps its ending.
 */
export function asSentence(text: string): string {
  const t = text.trim();
  if (t === '') return t;
  const first = t.charAt(0).toLocaleUpperCase() + t.slice(1);
  return /[.!?…]$/.test(first) ? first : `${first}.`;
}
