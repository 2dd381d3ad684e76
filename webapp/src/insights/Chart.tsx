/**
 * Charts for trends and breakdowns, drawn by Chart.js (a maintained library, tree-shaken to the line and bar
 * charts used here). A canvas says nothing to a screen reader, so each chart is an image with a one-sentence
 * summary, and the numbers are in the data table beside it (DataTable), which is also what gets copied or
 * exported. Chart.js styles its canvas through the CSSOM, never with inline style attributes or <style>
 * elements, so the web app's strict Content-Security-Policy holds.
 */
import { useEffect, useRef } from 'preact/hooks';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

/** Colours that stay apart for the common colour-vision deficiencies (Okabe–Ito), darkened for contrast on white. */
export const PALETTE = ['#0b6bcb', '#c25e00', '#1c7c54', '#b4237a', '#6b4fbb', '#8a6d00', '#3a3a3a', '#0e7c86'];

export interface Series {
  label: string;
  data: (number | null)[];
  color?: string;
}

export function ChartView(props: { id: string; kind: 'line' | 'bar'; title: string; summary: string; labels: string[]; series: Series[]; stacked?: boolean; percent?: boolean; horizontal?: boolean }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const config: ChartConfiguration = {
      type: props.kind,
      data: {
        labels: props.labels,
        datasets: props.series.map((s, i) => {
          const color = s.color ?? PALETTE[i % PALETTE.length]!;
          return { label: s.label, data: s.data, borderColor: color, backgroundColor: color, borderWidth: 2, pointRadius: 3, spanGaps: true, tension: 0.2 };
        }),
      },
      options: {
        // Screenshots and tests read the finished chart; people lose nothing without the animation.
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: props.horizontal ? 'y' : 'x',
        plugins: { legend: { display: props.series.length > 1, position: 'bottom' } },
        scales: {
          // Every category of a breakdown is named; only long runs of weeks may skip labels.
          x: { stacked: props.stacked, ticks: { autoSkip: props.labels.length > 12, maxRotation: props.labels.length > 12 ? 0 : 45, ...(props.horizontal ? { precision: 0 } : {}) } },
          y: {
            stacked: props.stacked,
            beginAtZero: true,
            ...(props.percent ? { max: 100, ticks: { callback: (v: string | number) => `${v}%` } } : { ticks: { precision: 0 } }),
          },
        },
      },
    };
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [JSON.stringify([props.labels, props.series, props.kind, props.stacked, props.percent, props.horizontal])]);
  return (
    <figure class="chart" data-liaison={`chart-${props.id}`}>
      <figcaption>{props.title}</figcaption>
      <div class={props.horizontal ? 'chart-box tall' : 'chart-box'}>
        <canvas ref={canvas} role="img" aria-label={`${props.title}. ${props.summary}`} />
      </div>
    </figure>
  );
}
