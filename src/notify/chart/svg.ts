/**
 * Builds the SVG of a metric chart by hand: the observed line, the expected
 * band (shaded), anomalies as red dots, time and value axes. Pure; text is
 * XML-escaped. Ranges with a single point or a flat line still draw.
 */
import type { ChartData } from '../types.js';

export const WIDTH = 800;
export const HEIGHT = 300;
const PAD = { left: 64, right: 16, top: 32, bottom: 36 } as const;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function label(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6 || (a > 0 && a < 1e-3)) return v.toExponential(1);
  return a >= 100 ? v.toFixed(0) : String(Number(v.toPrecision(3)));
}

const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);

export function chartSvg(c: ChartData): string {
  const ts = [...c.points.map((p) => p.t), ...(c.band ?? []).map((b) => b.t), ...c.anomalies.map((a) => a.t)];
  const vs = [
    ...c.points.map((p) => p.v),
    ...(c.band ?? []).flatMap((b) => [b.lo, b.hi]),
    ...c.anomalies.map((a) => a.v),
  ].filter(Number.isFinite);
  let t0 = Math.min(...ts),
    t1 = Math.max(...ts);
  let v0 = Math.min(...vs),
    v1 = Math.max(...vs);
  if (!Number.isFinite(t0)) {
    t0 = 0;
    t1 = 1;
  }
  if (!Number.isFinite(v0)) {
    v0 = 0;
    v1 = 1;
  }
  if (t1 === t0) {
    t0 -= 60_000;
    t1 += 60_000;
  }
  const margin = (v1 - v0) * 0.08 || Math.abs(v0) * 0.1 || 1;
  v0 -= margin;
  v1 += margin;
  const w = WIDTH - PAD.left - PAD.right,
    h = HEIGHT - PAD.top - PAD.bottom;
  const x = (t: number) => (PAD.left + ((t - t0) / (t1 - t0)) * w).toFixed(1);
  const y = (v: number) => (PAD.top + (1 - (v - v0) / (v1 - v0)) * h).toFixed(1);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="DejaVu Sans" font-size="11">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${PAD.left}" y="20" font-size="13" font-weight="bold" fill="#222">${esc(c.title.slice(0, 110))}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = v0 + ((v1 - v0) * i) / 4;
    parts.push(
      `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e5e5"/>`,
      `<text x="${PAD.left - 6}" y="${Number(y(v)) + 4}" text-anchor="end" fill="#555">${label(v)}</text>`,
    );
    const t = t0 + ((t1 - t0) * i) / 4;
    parts.push(`<text x="${x(t)}" y="${HEIGHT - 12}" text-anchor="middle" fill="#555">${hhmm(t)}</text>`);
  }
  const band = [...(c.band ?? [])].sort((a, b) => a.t - b.t);
  const pts = c.points.filter((p) => Number.isFinite(p.v));
  if (band.length > 1 && pts.length > 1) {
    const upper = band.map((b) => `${x(b.t)},${y(b.hi)}`);
    const lower = band.map((b) => `${x(b.t)},${y(b.lo)}`).reverse();
    parts.push(
      `<polygon points="${[...upper, ...lower].join(' ')}" fill="#4c9be8" fill-opacity="0.18" stroke="none"/>`,
    );
  } else {
    // Without a line, bands are known only at isolated points (anomalies): one whisker each.
    for (const b of band)
      parts.push(
        `<line x1="${x(b.t)}" x2="${x(b.t)}" y1="${y(b.lo)}" y2="${y(b.hi)}" stroke="#4c9be8" stroke-width="6" stroke-opacity="0.35"/>`,
      );
  }
  if (pts.length > 1)
    parts.push(
      `<polyline points="${pts.map((p) => `${x(p.t)},${y(p.v)}`).join(' ')}" fill="none" stroke="#1f5fa8" stroke-width="1.5"/>`,
    );
  for (const a of c.anomalies) parts.push(`<circle cx="${x(a.t)}" cy="${y(a.v)}" r="4" fill="#d7263d"/>`);
  parts.push(
    `<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${HEIGHT - PAD.bottom}" stroke="#999"/>`,
    '</svg>',
  );
  return parts.join('');
}
