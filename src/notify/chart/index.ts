export { chartSvg } from './svg.js';
export { renderChartPng } from './render.js';
