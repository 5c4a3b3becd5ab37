/** `vigil backtest`: recorded metrics and deploys through the real pipeline. */
export { runBacktest, type BacktestOptions, type BacktestResult } from './run.js';
export { readDeployments } from './deployments.js';
export { silentOnFailedVerdicts } from './silent.js';
