/** reportStalledJobs: one warning line naming the job, and vigil_jobs_stalled_total counts it. */
import { pino } from 'pino';
import { createMetrics } from '../../src/observability/index.js';
import { reportStalledJobs } from '../../src/observability/stalled.js';

describe('reportStalledJobs', () => {
  it('logs one warning naming the job and counts it by job name', async () => {
    const lines: string[] = [];
    const log = pino(
      { level: 'info' },
      {
        write: (s: string) => {
          lines.push(s);
        },
      },
    );
    const metrics = createMetrics(false);
    let emit: ((name: string, jobId: string) => void) | undefined;
    reportStalledJobs(
      {
        onStalled: (l) => {
          emit = l;
        },
      },
      log,
      metrics,
    );
    emit!('pull', 'pull:sim:cpu:1700000000000');

    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as { level: number; msg: string; job: string; jobId: string };
    expect(entry.level).toBe(40); // warn
    expect(entry).toMatchObject({ job: 'pull', jobId: 'pull:sim:cpu:1700000000000' });
    expect(entry.msg).toContain('pull job pull:sim:cpu:1700000000000 stalled');
    expect(await metrics.registry.getSingleMetricAsString('vigil_jobs_stalled_total')).toContain(
      'vigil_jobs_stalled_total{queue="pull"} 1',
    );
  });
});
