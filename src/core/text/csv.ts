/**
 * RFC 4180 CSV: comma-separated fields, double quotes around fields that hold commas,
 * quotes or line breaks, `""` for a quote inside quotes; CRLF or LF line ends; a UTF-8 BOM
 * is ignored. Each row remembers the line it starts on, for error messages.
 */
export interface CsvRow {
  readonly line: number;
  readonly fields: string[];
}

export function parseCsv(text: string): { rows: CsvRow[]; error?: { line: number; message: string } } {
  const rows: CsvRow[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) return { rows, error: { line: start, message: 'unterminated quoted field' } };
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n') line++;
          field += ch;
          i++;
        }
        if (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') return { rows, error: { line, message: 'text after a closing quote' } };
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      }
      fields.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    // Blank lines are skipped.
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ line: start, fields });
  }
  return { rows };
}

/** One CSV line (CRLF-terminated, as RFC 4180 writes it): fields quoted when they hold a comma, a quote or a line break. */
export function csvLine(fields: readonly (string | number)[]): string {
  return `${fields.map((f) => (typeof f === 'string' && /[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : String(f))).join(',')}\r\n`;
}
