/**
 * CSV as spreadsheets import it: UTF-8 with a byte order mark (Excel needs it to read
 * Cyrillic), `;` between fields (Russian-locale Excel expects it), CRLF line ends, and a field
 * quoted when it holds `;`, `"`, CR or LF, with quotes doubled (RFC 4180 with `;`).
 * Numbers are written as given: money stays a decimal string with a point.
 * A cell that begins with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`, so that a spreadsheet
 * shows it as text instead of running it as a formula (OWASP "CSV injection"); this holds for
 * every value, a part name typed by a service center as much as a number.
 */
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
export const CSV_SEPARATOR = ';';
const BOM = '\uFEFF';
const NEEDS_QUOTES = /[;"\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

export type CsvValue = string | number | null | undefined;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const raw = String(value);
  const text = FORMULA_START.test(raw) ? `'${raw}` : raw;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, ended by CRLF. */
export function csvRow(row: readonly CsvValue[]): string {
  return row.map(csvField).join(CSV_SEPARATOR) + '\r\n';
}

/** The start of a document: the BOM and the header row. */
export function csvHead(header: readonly string[]): string {
  return BOM + csvRow(header);
}

/** The whole document: BOM, the header row, then one row per record, each ended by CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return csvHead(header) + rows.map(csvRow).join('');
}
