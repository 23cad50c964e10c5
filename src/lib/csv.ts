/**
 * CSV (RFC 4180) for merchants' spreadsheets: quoted fields with "" escapes, commas and line
 * breaks inside quotes, CRLF or LF, an optional UTF-8 BOM (Excel writes one, and needs one to
 * read Chinese correctly). Each record keeps the line it started on, for error reports.
 */
export interface CsvRecord {
  /** 1-based line number in the file where the record starts. */
  line: number;
  cells: string[];
}

export type CsvParse = { ok: true; records: CsvRecord[] } | { ok: false; line: number; message: string };

export function parseCsv(text: string): CsvParse {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let start = 1;
  let i = 0;
  let quotedStart = 0;
  const endRecord = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === '')) records.push({ line: start, cells });
    cells = [];
    cell = '';
  };
  while (i < s.length) {
    const ch = s[i];
    if (ch === '"' && cell === '') {
      quotedStart = line;
      i++;
      for (;;) {
        if (i >= s.length) return { ok: false, line: quotedStart, message: 'a quoted field is never closed' };
        if (s[i] === '"') {
          if (s[i + 1] === '"') { cell += '"'; i += 2; continue; }
          i++;
          break;
        }
        if (s[i] === '\n') line++;
        cell += s[i++];
      }
      if (i < s.length && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') return { ok: false, line, message: 'text after a closing quote' };
      continue;
    }
    if (ch === ',') { cells.push(cell); cell = ''; i++; continue; }
    if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && s[i + 1] === '\n' ? 2 : 1;
      line++;
      start = line;
      continue;
    }
    cell += ch;
    i++;
  }
  if (cell !== '' || cells.length) endRecord();
  return { ok: true, records };
}

/** Cells that a spreadsheet would run as a formula get a leading apostrophe (CSV injection). */
const FORMULA_RE = /^[=+\-@\t\r]/;
const NUMBER_RE = /^-?\d+(\.\d+)?$/;

function escapeCell(v: string): string {
  const safe = FORMULA_RE.test(v) && !NUMBER_RE.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Undoes `formatCsv`'s formula guard on import. */
export function unguardCell(v: string): string {
  return v.startsWith("'") && FORMULA_RE.test(v.slice(1)) ? v.slice(1) : v;
}

export function formatCsv(rows: readonly (readonly (string | number | null)[])[]): string {
  return '\uFEFF' + rows.map((r) => r.map((c) => escapeCell(c === null ? '' : String(c))).join(',')).join('\r\n') + '\r\n';
}
