/**
 * Which way a metric moving is bad, from its name: latency, errors and
 * saturation are bad when they rise; traffic and success are bad when they
 * fall; anything else is judged both ways. A heuristic on common metric
 * names (Prometheus and CloudWatch conventions), documented in docs/incidents.md.
 */
export type BadDirection = 'up' | 'down' | 'both';

const UP =
  /latenc|duration|response_?time|p9\d|p50|error|fault|fail|5xx|4xx|exception|cpu|memory|mem_|heap|disk|saturat|queue|backlog|lag|throttl|retr(y|ies)|timeout|restart|oom|gc_/i;
const DOWN = /request|traffic|throughput|rps|qps|success|availab|invocation|hits|sessions|orders|revenue/i;

export function badDirection(metric: string): BadDirection {
  if (UP.test(metric)) return 'up';
  if (DOWN.test(metric)) return 'down';
  return 'both';
}

/**
 * Levels of a finite resource, by the names exporters give them: memory
 * (heap, RSS, swap), disk or filesystem use or free space, inodes, file
 * descriptors, queues and backlogs, connections, threads. Disk I/O rates
 * (`disk_write_bytes`) are not levels and do not match.
 */
export const ACCUMULATING =
  /memory|mem_|heap|rss|swap|inode|queue|backlog|connection|file_?desc|open_?files|threads|goroutine|(disk|filesystem|fs|volume)_?(used|usage|util|pct|percent|full|free|avail)/i;

/** Names of the room left rather than the room used: these fill by falling. */
const HEADROOM = /free|avail|remaining|headroom/i;

/**
 * Resources that accumulate towards a limit (memory, disk, queues,
 * connections, threads): a leak shows as their steady growth. Latency and
 * traffic also trend with the time of day, so only these count as trending
 * when attribution and verdicts look for a leak.
 */
export function isAccumulating(metric: string): boolean {
  return ACCUMULATING.test(metric);
}

/**
 * Which way a resource level moves as it fills: up for use (memory_pct,
 * connections), down for headroom (MemAvailable, disk_free). Meaningful
 * for accumulating metrics only.
 */
export function fillDirection(metric: string): 1 | -1 {
  return HEADROOM.test(metric) ? -1 : 1;
}

/**
 * Resources whose use follows the service's load: CPU (CloudWatch
 * CPUUtilization, node and container CPU seconds, cpu_pct). Against load,
 * not against the clock, is where a costlier release shows (detect/stats/load).
 */
export const LOAD_DRIVEN = /cpu/i;

/**
 * The series that measures a service's load, by name: its request (or
 * invocation) rate or count. The load test (detect/stats/load) judges
 * LOAD_DRIVEN series against it. Error and latency series named after
 * requests (`request_errors`, `request_duration`) are not load.
 */
export const LOAD =
  /^(requests?|request_?(rate|count|total)|requests_(per_\w+|total)|http_requests(_total)?|rps|qps|throughput|requestcount|invocations)$/i;

/** Demand metrics: a rise is load arriving from outside, which a deploy does not cause. */
export function isDemandMetric(metric: string): boolean {
  return !UP.test(metric) && /request|traffic|rps|qps|invocation|sessions/i.test(metric);
}

const INHERITED = /latenc|duration|response_?time|p9\d|p50|error|fault|fail|5xx|exception|timeout|retr(y|ies)/i;

/**
 * Symptoms a service inherits from a slow or failing dependency: its own
 * latency, errors, timeouts and retries. Its cpu, memory, disk or queue
 * saturating are local: waiting on a dependency does not cause them.
 */
export function isInheritedSymptom(metric: string): boolean {
  return INHERITED.test(metric);
}

/** Whether a shift with this rank-biserial effect is in the bad direction for the metric. */
export function isWorse(metric: string, effect: number): boolean {
  const d = badDirection(metric);
  return d === 'both' ? effect !== 0 : d === 'up' ? effect > 0 : effect < 0;
}

/**
 * Whether an anomaly only shows a metric getting better: a metric that is bad
 * when it rises (latency, errors, saturation, memory) falling below its
 * expected value. That is recovery (a leak fixed by a restart, a rollback
 * landing), not something to page for. Metrics bad when they fall (traffic,
 * success) are not covered; demand has a rule of its own (the incident
 * lifecycle's `openOnDemand`: load from outside does not open an incident).
 */
export function isImprovement(a: {
  readonly metric: string;
  readonly observed: number;
  readonly expected: number;
}): boolean {
  return badDirection(a.metric) === 'up' && a.observed < a.expected;
}
