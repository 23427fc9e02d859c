// RFC 4180 output, readable by the import's own parser, pandas and spreadsheets.
export type CsvValue = string | number | null | undefined;

/** Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection"). */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * A text cell a spreadsheet would run as a formula gets a leading `'`, which spreadsheets show
 * as text. Values that already start with `'`s before such a character get one more, so
 * `unneutraliseCell` undoes it exactly; plain numbers such as `-1` are left alone.
 */
export function neutraliseCell(s: string): string {
  return FORMULA_START.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
}

/** The inverse of neutraliseCell, for CSV files Winnow wrote and reads back (labels files). */
export function unneutraliseCell(s: string): string {
  return s.startsWith("'") && FORMULA_START.test(s.slice(1)) && !PLAIN_NUMBER.test(s.slice(1)) ? s.slice(1) : s;
}

export function csvField(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : neutraliseCell(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: CsvValue[]): string {
  return `${values.map(csvField).join(',')}\n`;
}
