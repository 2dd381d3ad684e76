/**
 * A report table: a real <table> with a caption and column headers (screen readers announce both), the same cells
 * as CSV to download or copy. Every chart in the insights has one of these beside it with the chart's numbers.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { download, toCsv, type Cell } from './csv';

export interface Column {
  label: string;
  numeric?: boolean;
}

export interface Row {
  key: string;
  /** What the CSV holds, one per column. */
  cells: Cell[];
  /** What the page shows where it differs from the cell (a link, a highlight); else the cell. */
  show?: (ComponentChildren | undefined)[];
  /** A row to stand out (a repeat no-show), with the words that say why for those who cannot see colour. */
  flagged?: string;
}

/** `quietCaption`: the caption repeats the section's heading, so it is there for screen readers only. */
export function DataTable(props: { id: string; caption: string; columns: Column[]; rows: Row[]; filename: string; empty?: string; quietCaption?: boolean }) {
  const [copied, setCopied] = useState(false);
  const csv = () => toCsv(props.columns.map((c) => c.label), props.rows.map((r) => r.cells));
  return (
    <div class="report-table" data-liaison={`table-${props.id}`}>
      <div class="table-wrap">
        <table id={`table-${props.id}`}>
          <caption class={props.quietCaption ? 'visually-hidden' : undefined}>{props.caption}</caption>
          <thead>
            <tr>
              {props.columns.map((c) => (
                <th scope="col" class={c.numeric ? 'num' : undefined}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.rows.length === 0 && (
              <tr>
                <td colSpan={props.columns.length} class="hint">
                  {props.empty ?? t('report_empty')}
                </td>
              </tr>
            )}
            {props.rows.map((r) => (
              <tr key={r.key} class={r.flagged ? 'flagged' : undefined}>
                {r.cells.map((cell, i) => {
                  const shown = r.show?.[i] ?? (cell === null ? '' : typeof cell === 'number' ? cell.toLocaleString() : <bdi>{cell}</bdi>);
                  return i === 0 ? (
                    <th scope="row" class={props.columns[i]?.numeric ? 'num' : undefined}>
                      {shown}
                      {r.flagged && <span class="badge">{r.flagged}</span>}
                    </th>
                  ) : (
                    <td class={props.columns[i]?.numeric ? 'num' : undefined}>{shown}</td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="actions table-actions">
        <button type="button" aria-label={t('report_csv', props.caption)} onClick={() => download(props.filename, csv())} data-liaison={`csv-${props.id}`}>
          {t('report_csv_short')}
        </button>
        <button
          type="button"
          aria-label={t('report_copy', props.caption)}
          onClick={async () => {
            await navigator.clipboard?.writeText(csv()).catch(() => undefined);
            setCopied(true);
          }}
        >
          {t('report_copy_short')}
        </button>
        <span role="status" class="hint">
          {copied ? t('copied') : ''}
        </span>
      </div>
    </div>
  );
}
