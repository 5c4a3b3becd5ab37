/**
 * Renders a chart to PNG with resvg (no browser). Inputs: ChartData.
 * Effects: reads the DejaVu font files once. Failure modes: none expected
 * beyond out-of-memory; without the font the text is simply not drawn.
 */
import { Resvg } from '@resvg/resvg-js';
import type { ChartData } from '../types.js';
import { chartSvg } from './svg.js';

const FONT_DIR = '/usr/share/fonts/truetype/dejavu';

export function renderChartPng(c: ChartData): Buffer {
  const resvg = new Resvg(chartSvg(c), {
    font: { loadSystemFonts: false, fontDirs: [FONT_DIR], defaultFontFamily: 'DejaVu Sans' },
    fitTo: { mode: 'original' },
  });
  return Buffer.from(resvg.render().asPng());
}
