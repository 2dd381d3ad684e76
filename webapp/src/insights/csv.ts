/**
 * CSV for every table the insights show: RFC 4180 through csv-stringify (the writer that pairs with the csv-parse
 * the hub imports with). A text cell a spreadsheet would run as a formula — starting with = + - @, a tab or a
 * carriage return — is prefixed with a quote (CSV injection); numbers stay numbers.
 */
import { stringify } from 'csv-stringify/browser/esm/sync';

export type Cell = string | number | null;

export const defuse = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

export function toCsv(header: string[], rows: Cell[][]): string {
  return stringify([header.map(defuse), ...rows.map((r) => r.map((c) => (typeof c === 'string' ? defuse(c) : c ?? '')))], {
    record_delimiter: 'windows',
    bom: true,
  });
}

/** Saves text as a file through a temporary blob: link (no server round trip, nothing inline for the CSP). */
export function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
