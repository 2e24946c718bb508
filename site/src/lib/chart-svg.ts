// Server-rendered charts as inline SVG strings: no chart library, no script, no style attribute
// (the site's Content-Security-Policy forbids inline styles). Colours come from classes in
// chart.css; every series also differs by its dash pattern and marker shape, so no
// meaning rests on colour alone. Each chart is `role="img"` with a title and an aria-label that
// summarises the data; the page always shows the same figures in a table as well. Pure.

export interface ChartSeries { name: string; values: readonly number[] }
export interface TimeChartInput {
  title: string;
  /** One label per point (e.g. "2026-11-05"), shown on the axis through `tickLabel`. */
  labels: readonly string[];
  series: readonly ChartSeries[];
  tickLabel?: (label: string) => string;
  width?: number;
  height?: number;
}
export interface BarChartInput {
  title: string;
  bars: ReadonlyArray<{ label: string; value: number }>;
  /** What one unit is called in the summary ("investigations"). */
  unit?: string;
  width?: number;
}

const DASHES = ['', '6 4', '2 3', '10 3 2 3', '1 0'];

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
const r1 = (n: number) => Math.round(n * 10) / 10;

/** A "nice" axis maximum and step: 1, 2 or 5 times a power of ten, at least 1. */
export function niceScale(max: number, ticks = 4): { max: number; step: number } {
  if (!(max > 0)) return { max: ticks, step: 1 };
  const raw = max / ticks;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const whole = Math.max(1, step < 1 ? 1 : step);
  return { max: Math.ceil(max / whole) * whole, step: whole };
}

/** Words for the chart's aria-label: totals and the busiest point of each series. */
export function timeSummary(input: Pick<TimeChartInput, 'title' | 'labels' | 'series' | 'tickLabel'>): string {
  const label = input.tickLabel ?? ((s: string) => s);
  const range = input.labels.length ? `, ${label(input.labels[0]!)} to ${label(input.labels.at(-1)!)}` : '';
  const parts = input.series.map((s) => {
    const total = s.values.reduce((a, b) => a + b, 0);
    if (total === 0) return `${s.name}: none`;
    let peak = 0;
    s.values.forEach((v, i) => { if (v > s.values[peak]!) peak = i; });
    return `${s.name}: ${fmt(total)} in all, most ${fmt(s.values[peak]!)} on ${label(input.labels[peak] ?? '')}`;
  });
  return `${input.title}${range}. ${parts.join('; ')}.`;
}

/** A line chart of one or more series over time (points in order, zeros included). */
export function timeChartSvg(input: TimeChartInput): string {
  // A narrow chart (a phone) is drawn for its own width rather than shrunk: its text stays legible.
  const width = input.width ?? 640;
  const height = input.height ?? 260;
  // Legend entries side by side where they fit (about 200 units each), else one per line.
  const perRow = Math.max(1, Math.min(3, Math.floor((width - 60) / 200)));
  const legendRows = Math.ceil(input.series.length / perRow);
  const pad = { top: 14 + legendRows * 20, right: 16, bottom: 34, left: 44 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const n = input.labels.length;
  const label = input.tickLabel ?? ((s: string) => s);
  const peak = Math.max(0, ...input.series.flatMap((s) => s.values));
  const scale = niceScale(peak);
  const x = (i: number) => r1(pad.left + (n <= 1 ? plotW / 2 : (i * plotW) / (n - 1)));
  const y = (v: number) => r1(pad.top + plotH - (v / scale.max) * plotH);
  const summary = timeSummary(input);
  const out: string[] = [];
  out.push(`<svg class="chart chart-time" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(summary)}" xmlns="http://www.w3.org/2000/svg">`);
  out.push(`<title>${escapeXml(input.title)}</title>`);
  // Legend: a line sample in the series' own dash and colour, then its name.
  input.series.forEach((s, i) => {
    const lx = pad.left + (i % perRow) * Math.floor(plotW / perRow);
    const ly = 12 + Math.floor(i / perRow) * 20;
    out.push(`<g class="chart-series chart-series-${i % DASHES.length}" aria-hidden="true"><line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke-width="3"${DASHES[i % DASHES.length] ? ` stroke-dasharray="${DASHES[i % DASHES.length]}"` : ''} /><text class="chart-legend" x="${lx + 28}" y="${ly + 4}">${escapeXml(s.name)}</text></g>`);
  });
  // Grid and value axis.
  out.push('<g class="chart-axis" aria-hidden="true">');
  for (let v = 0; v <= scale.max; v += scale.step) {
    out.push(`<line class="chart-grid" x1="${pad.left}" y1="${y(v)}" x2="${width - pad.right}" y2="${y(v)}" /><text x="${pad.left - 6}" y="${y(v) + 4}" text-anchor="end">${fmt(v)}</text>`);
  }
  // About one time label per 100 units of width (six on a wide chart), always the first and the last.
  const every = Math.max(1, Math.ceil(n / Math.max(3, Math.floor(width / 100))));
  for (let i = 0; i < n; i++) {
    if (i % every !== 0 && i !== n - 1) continue;
    if (i !== n - 1 && n - 1 - i < every / 2 && i !== 0) continue;
    const anchor = n === 1 ? 'middle' : i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle';
    out.push(`<text x="${x(i)}" y="${height - pad.bottom + 18}" text-anchor="${anchor}">${escapeXml(label(input.labels[i]!))}</text>`);
  }
  out.push(`<line class="chart-baseline" x1="${pad.left}" y1="${y(0)}" x2="${width - pad.right}" y2="${y(0)}" /></g>`);
  input.series.forEach((s, i) => {
    const k = i % DASHES.length;
    const pts = s.values.map((v, j) => `${x(j)},${y(v)}`).join(' ');
    out.push(`<g class="chart-series chart-series-${k}" aria-hidden="true">`);
    if (n > 1) out.push(`<polyline points="${pts}" fill="none" stroke-width="2.5" stroke-linejoin="round"${DASHES[k] ? ` stroke-dasharray="${DASHES[k]}"` : ''} />`);
    // Markers only when there are few points; with many they would smear into a band.
    if (n <= 16) s.values.forEach((v, j) => out.push(marker(k, x(j), y(v))));
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('');
}

function marker(k: number, cx: number, cy: number): string {
  switch (k) {
    case 1: return `<rect x="${r1(cx - 3)}" y="${r1(cy - 3)}" width="6" height="6" />`;
    case 2: return `<path d="M${cx} ${r1(cy - 4)}L${r1(cx + 4)} ${r1(cy + 3)}L${r1(cx - 4)} ${r1(cy + 3)}Z" />`;
    case 3: return `<path d="M${cx} ${r1(cy - 4)}L${r1(cx + 4)} ${cy}L${cx} ${r1(cy + 4)}L${r1(cx - 4)} ${cy}Z" />`;
    default: return `<circle cx="${cx}" cy="${cy}" r="3" />`;
  }
}

export function barSummary(input: Pick<BarChartInput, 'title' | 'bars' | 'unit'>): string {
  if (!input.bars.length) return `${input.title}: nothing to show.`;
  const unit = input.unit ? ` ${input.unit}` : '';
  const shown = input.bars.slice(0, 5).map((b) => `${b.label} ${fmt(b.value)}`).join(', ');
  return `${input.title}${unit ? ` (${unit.trim()})` : ''}: ${shown}${input.bars.length > 5 ? `, and ${input.bars.length - 5} more` : ''}.`;
}

/** Horizontal bars, largest first as given; the label sits above its bar so long titles fit. */
export function barChartSvg(input: BarChartInput): string {
  const width = input.width ?? 640;
  const rowH = 38;
  const pad = { top: 8, right: 56, left: 8 };
  const height = Math.max(40, pad.top + input.bars.length * rowH + 4);
  const plotW = width - pad.left - pad.right;
  const max = Math.max(0, ...input.bars.map((b) => b.value));
  const summary = barSummary(input);
  const maxChars = Math.floor(width / 8.5);
  const out: string[] = [];
  out.push(`<svg class="chart chart-bars" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(summary)}" xmlns="http://www.w3.org/2000/svg">`);
  out.push(`<title>${escapeXml(input.title)}</title>`);
  if (!input.bars.length) out.push(`<text class="chart-empty" x="${pad.left}" y="26">Nothing in this period</text>`);
  input.bars.forEach((b, i) => {
    const top = pad.top + i * rowH;
    const w = max > 0 ? r1((b.value / max) * plotW) : 0;
    const text = b.label.length > maxChars ? `${b.label.slice(0, maxChars - 1)}…` : b.label;
    out.push(`<g class="chart-bar" aria-hidden="true"><text class="chart-label" x="${pad.left}" y="${top + 12}">${escapeXml(text)}</text>`
      + `<rect class="chart-series-0" x="${pad.left}" y="${top + 17}" width="${Math.max(w, b.value > 0 ? 2 : 0)}" height="14" rx="2" />`
      + `<text class="chart-value" x="${r1(pad.left + Math.max(w, 0) + 6)}" y="${top + 29}">${fmt(b.value)}</text></g>`);
  });
  out.push('</svg>');
  return out.join('');
}
