import { chartSvg, renderChartPng } from '../../../src/notify/chart/index.js';
import type { ChartData } from '../../../src/notify/index.js';

const t0 = Date.UTC(2026, 0, 5, 10, 0);
const points = Array.from({ length: 120 }, (_, i) => ({ t: t0 + i * 60_000, v: i < 100 ? 100 + (i % 7) : 400 }));
const data: ChartData = {
  title: 'checkout latency_p99 <level shift> & more',
  points,
  band: points.map((p) => ({ t: p.t, lo: 80, hi: 160 })),
  anomalies: points.filter((p) => p.v > 300).slice(0, 3),
};

test('the SVG has the line, the band, one dot per anomaly and an escaped title', () => {
  const svg = chartSvg(data);
  expect(svg.match(/<polyline /g)).toHaveLength(1);
  expect(svg.match(/<polygon /g)).toHaveLength(1);
  expect(svg.match(/<circle /g)).toHaveLength(3);
  expect(svg).toContain('checkout latency_p99 &lt;level shift&gt; &amp; more');
  expect(svg).toContain('>10:00<');
});

test('anomalies alone (no stored points) draw one whisker per band', () => {
  const svg = chartSvg({ title: 't', points: [], band: [{ t: t0, lo: 1, hi: 2 }], anomalies: [{ t: t0, v: 5 }] });
  expect(svg).not.toContain('<polyline');
  expect(svg.match(/stroke-width="6"/g)).toHaveLength(1);
});

test('renders a PNG of the chart size', () => {
  const png = renderChartPng(data);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(png.readUInt32BE(16)).toBe(800);
  expect(png.readUInt32BE(20)).toBe(300);
  expect(png.length).toBeGreaterThan(5000);
});
