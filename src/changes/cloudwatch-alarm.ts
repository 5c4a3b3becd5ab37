/**
 * CloudWatch alarm state changes as alert events. Pure. Two shapes arrive:
 * the EventBridge "CloudWatch Alarm State Change" event and the native
 * message an alarm publishes to an SNS topic (AlarmName, NewStateValue, ...).
 * ALARM is firing, OK is resolved; INSUFFICIENT_DATA is ignored.
 *
 * Service: the metric dimension `ServiceName`, else `service`, else the
 * alarm name. Id: `cloudwatch-<alarm>-<state>-<ms>`, the same from both
 * shapes, so one state change delivered twice is stored once.
 */
import { z } from 'zod';
import type { ExternalEvent } from '../domain/index.js';
import { invalidAt, looseTime, nonEmpty, type Mapped } from './mapped.js';

interface AlarmChange {
  readonly name: string;
  readonly state: string;
  readonly reason: string | null;
  readonly at: number;
  readonly region: string | null;
  readonly metric: string | null;
  readonly namespace: string | null;
  readonly dimensions: Readonly<Record<string, string>>;
}

const optionalText = z.string().max(10_000).nullish();

const eventBridgeDetail = z.object({
  alarmName: nonEmpty,
  state: z.object({ value: nonEmpty, reason: optionalText, timestamp: looseTime }),
  configuration: z
    .object({
      metrics: z
        .array(
          z.object({
            metricStat: z
              .object({
                metric: z.object({
                  name: z.string().optional(),
                  namespace: z.string().optional(),
                  dimensions: z.record(z.string(), z.string()).optional(),
                }),
              })
              .optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});

/** The native alarm message; `Trigger` is absent for composite alarms. */
export const nativeAlarmSchema = z.object({
  AlarmName: nonEmpty,
  NewStateValue: nonEmpty,
  NewStateReason: optionalText,
  StateChangeTime: looseTime,
  AlarmArn: z.string().optional(),
  Trigger: z
    .object({
      MetricName: z.string().nullish(),
      Namespace: z.string().nullish(),
      Dimensions: z.array(z.object({ name: z.string(), value: z.string() })).nullish(),
    })
    .nullish(),
});

/** True when `m` looks like a native alarm message (it has the alarm's name and new state). */
export function isNativeAlarm(m: unknown): boolean {
  return typeof m === 'object' && m !== null && 'AlarmName' in m && 'NewStateValue' in m;
}

/** The parts of an EventBridge event an alarm change needs (aws-events.ts parsed the rest). */
export function alarmFromEventBridge(
  e: { readonly region?: string | undefined; readonly detail: unknown },
  prefix: string,
): Mapped {
  const parsed = eventBridgeDetail.safeParse(e.detail);
  if (!parsed.success) return invalidAt(prefix, parsed.error);
  const d = parsed.data;
  const metric = d.configuration?.metrics?.find((m) => m.metricStat)?.metricStat?.metric;
  return alarmEvent({
    name: d.alarmName,
    state: d.state.value,
    reason: d.state.reason ?? null,
    at: d.state.timestamp,
    region: e.region ?? null,
    metric: metric?.name ?? null,
    namespace: metric?.namespace ?? null,
    dimensions: metric?.dimensions ?? {},
  });
}

export function alarmFromNative(body: unknown, prefix: string): Mapped {
  const parsed = nativeAlarmSchema.safeParse(body);
  if (!parsed.success) return invalidAt(prefix, parsed.error);
  const m = parsed.data;
  const dimensions = Object.fromEntries((m.Trigger?.Dimensions ?? []).map((d) => [d.name, d.value]));
  return alarmEvent({
    name: m.AlarmName,
    state: m.NewStateValue,
    reason: m.NewStateReason ?? null,
    at: m.StateChangeTime,
    region: m.AlarmArn?.split(':')[3] || null,
    metric: m.Trigger?.MetricName ?? null,
    namespace: m.Trigger?.Namespace ?? null,
    dimensions,
  });
}

function alarmEvent(a: AlarmChange): Mapped {
  const status = a.state === 'ALARM' ? 'firing' : a.state === 'OK' ? 'resolved' : null;
  if (!status) return { kind: 'ignored', reason: `alarm state ${a.state} is not tracked` };
  const labels: Record<string, string> = { alarmName: a.name, ...a.dimensions };
  if (a.metric) labels.metric = a.metric;
  if (a.namespace) labels.namespace = a.namespace;
  const event: ExternalEvent = {
    id: `cloudwatch-${a.name}-${a.state}-${a.at}`,
    source: 'cloudwatch',
    service: a.dimensions.ServiceName || a.dimensions.service || a.name,
    at: a.at,
    kind: 'alert',
    status,
    title: a.name,
    detail: a.reason,
    url: a.region
      ? `https://${a.region}.console.aws.amazon.com/cloudwatch/home?region=${a.region}#alarmsV2:alarm/${encodeURIComponent(a.name)}`
      : null,
    labels,
  };
  return { kind: 'alert', event };
}
