// Bundled by bench/extension.ts: the Gmail adapter's per-mutation-batch detection, timed in real Chromium.
import { detectGmailPage } from '../../utils/gmail/gmail-adapter';

(window as any).__detectBench = (batches: number) => {
  const tbody = document.querySelector('tbody')!;
  const times: number[] = [];
  let kind = '';
  for (let b = 0; b < batches; b++) {
    // A typical batch: Gmail re-renders a row (new mail arrives at the top, the last row drops off).
    const row = tbody.lastElementChild!;
    tbody.prepend(row);
    row.classList.toggle('zE');
    const t = performance.now();
    kind = detectGmailPage(document, location.href).kind;
    times.push(performance.now() - t);
  }
  return { times, kind };
};
