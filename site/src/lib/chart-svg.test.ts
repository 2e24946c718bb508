import { describe, expect, it } from 'vitest';
import { barChartSvg, barSummary, escapeXml, niceScale, timeChartSvg, timeSummary } from './chart-svg.ts';

describe('chart-svg', () => {
  it('picks round axis maxima', () => {
    expect(niceScale(0)).toEqual({ max: 4, step: 1 });
    expect(niceScale(3)).toEqual({ max: 3, step: 1 });
    expect(niceScale(7)).toEqual({ max: 8, step: 2 });
    expect(niceScale(95)).toEqual({ max: 100, step: 50 });
    expect(niceScale(1234)).toEqual({ max: 1500, step: 500 });
  });

  it('summarises a time series in words: totals and the busiest period', () => {
    const text = timeSummary({ title: 'Loans and returns per day', labels: ['2026-12-01', '2026-12-02', '2026-12-03'], series: [{ name: 'Loans', values: [1, 4, 2] }, { name: 'Returns', values: [0, 0, 0] }] });
    expect(text).toBe('Loans and returns per day, 2026-12-01 to 2026-12-03. Loans: 7 in all, most 4 on 2026-12-02; Returns: none.');
  });

  it('draws one polyline per series, an accessible name and no style attribute', () => {
    const svg = timeChartSvg({ title: 'Views & downloads', labels: ['a', 'b', 'c'], series: [{ name: 'Views', values: [1, 2, 3] }, { name: 'Downloads <file>', values: [0, 1, 0] }] });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('role="img"');
    expect(svg).toContain('<title>Views &amp; downloads</title>');
    expect(svg).toContain('aria-label="Views &amp; downloads, a to c. Views: 6 in all, most 3 on c; Downloads &lt;file&gt;: 1 in all, most 1 on b."');
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(svg).not.toMatch(/style=/);
    expect(svg.match(/<svg/g)).toHaveLength(1);
    expect(svg.endsWith('</svg>')).toBe(true);
  });

  it('places the highest value at the top of the plot and zero on the baseline', () => {
    const svg = timeChartSvg({ title: 't', labels: ['a', 'b'], series: [{ name: 's', values: [0, 4] }], width: 200, height: 134 });
    // pad.top = 14 + 20 = 34, plot height 134 - 34 - 34 = 66: value 4 (axis max 4) at y 34, zero at y 100.
    expect(svg).toContain('points="44,100 184,34"');
  });

  it('copes with a single point and with all zeros', () => {
    const one = timeChartSvg({ title: 't', labels: ['2026-12-04'], series: [{ name: 's', values: [0] }] });
    expect(one).not.toContain('<polyline');
    expect(one).toContain('<circle');
    expect(one).not.toContain('NaN');
  });

  it('draws bars scaled to the largest, with labels escaped and long ones shortened', () => {
    const svg = barChartSvg({ title: 'Top records', unit: 'investigations', bars: [{ label: 'A & B', value: 10 }, { label: 'x'.repeat(200), value: 5 }], width: 300 });
    expect(svg).toContain('A &amp; B');
    expect(svg).toContain('…');
    const widths = [...svg.matchAll(/<rect[^>]* width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([236, 118]);
    expect(svg).not.toMatch(/style=/);
  });

  it('says when there is nothing to show', () => {
    expect(barSummary({ title: 'Top records', bars: [] })).toBe('Top records: nothing to show.');
    expect(barChartSvg({ title: 'Top records', bars: [] })).toContain('Nothing in this period');
  });

  it('escapes every XML special character', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
});

describe('chart-svg at a phone width', () => {
  it('stacks the legend and keeps the time labels apart', () => {
    const labels = Array.from({ length: 30 }, (_, i) => `d${i + 1}`);
    const svg = timeChartSvg({ title: 't', labels, series: [{ name: 'Searches', values: labels.map(() => 1) }, { name: 'Searches with no results', values: labels.map(() => 0) }], width: 340, height: 240 });
    // One legend entry per line: the second sits 20 units below the first.
    expect(svg).toContain('y1="12"');
    expect(svg).toContain('y1="32"');
    const ticks = [...svg.matchAll(/<text x="[\d.]+" y="[\d.]+" text-anchor="(?:start|middle|end)">d\d+<\/text>/g)];
    expect(ticks.length).toBeLessThanOrEqual(4);
    expect(svg).not.toMatch(/<circle|<rect/); // 30 points: no markers
  });
});
