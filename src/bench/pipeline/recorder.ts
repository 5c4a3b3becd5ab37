/**
 * The run's only notifier: records when each incident's 'opened' notify job
 * runs, and delivers nothing. It takes the console notifier's name, the one
 * notifier every process has without Slack or SNS configured, so notify jobs
 * queued by worker processes (which queue one job per notifier they know)
 * reach it. Effects: memory only.
 */
import type { Notifier } from '../../notify/index.js';

export interface OpenedNotice {
  /** wall time the notify job ran */
  readonly at: number;
  readonly incidentId: string;
  /** the series and data time whose arrival let the incident open: its headline series at detection */
  readonly seriesKey: string;
  readonly t: number;
}

export function openedRecorder(): {
  readonly notifier: Notifier;
  readonly opened: readonly OpenedNotice[];
  clear(): void;
} {
  const opened: OpenedNotice[] = [];
  const seen = new Set<string>();
  return {
    opened,
    /** Forgets what was recorded (incidents of the warm-up); an incident seen before is still not recorded again. */
    clear: () => {
      opened.splice(0);
    },
    notifier: {
      name: 'console',
      async send(event) {
        const i = event.incident;
        if (event.kind === 'opened' && !seen.has(i.id)) {
          seen.add(i.id);
          opened.push({
            at: Date.now(),
            incidentId: i.id,
            seriesKey: i.headline.seriesKey,
            t: i.detectedAt ?? i.openedAt,
          });
        }
        return { ok: true, ref: null };
      },
    },
  };
}
