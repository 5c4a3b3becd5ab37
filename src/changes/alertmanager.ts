/**
 * Alertmanager webhook payloads (version "4") as alert events. Pure.
 * One ExternalEvent per alert in the group. Service: label `service`, else
 * `job`, else `alertname`. Id: `alertmanager-<fingerprint>-<startsAt ms>-<status>`,
 * so the repeats Alertmanager sends every repeat_interval are one event.
 * Title: annotation `summary`, else `alertname`; detail: `description`.
 */
import { z } from 'zod';
import type { ExternalEvent } from '../domain/index.js';
import { looseTime } from './mapped.js';

const labels = z.record(z.string(), z.string());

export const alertmanagerPayloadSchema = z.object({
  version: z.literal('4', { error: 'payload version "4"' }),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().optional(),
  externalURL: z.string().optional(),
  alerts: z
    .array(
      z
        .object({
          status: z.enum(['firing', 'resolved']),
          labels,
          annotations: labels.default({}),
          startsAt: looseTime,
          endsAt: z.string().optional(),
          generatorURL: z.string().optional(),
          fingerprint: z.string().min(1).max(200),
        })
        .superRefine((a, ctx) => {
          if (a.status === 'resolved' && !Number.isFinite(Date.parse(a.endsAt ?? ''))) {
            ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'a date-time (the alert is resolved)' });
          }
        }),
    )
    .min(1)
    .max(1000),
});

export type AlertmanagerPayload = z.output<typeof alertmanagerPayloadSchema>;

const httpUrl = (u: string | undefined) => (u && /^https?:\/\//.test(u) ? u : null);

export function alertsFromAlertmanager(p: AlertmanagerPayload): ExternalEvent[] {
  return p.alerts.map((a) => {
    const name = a.labels.alertname ?? 'alert';
    return {
      id: `alertmanager-${a.fingerprint}-${a.startsAt}-${a.status}`,
      source: 'alertmanager',
      service: a.labels.service || a.labels.job || name,
      at: a.status === 'resolved' ? Date.parse(a.endsAt ?? '') : a.startsAt,
      kind: 'alert',
      status: a.status,
      title: a.annotations.summary || name,
      detail: a.annotations.description || null,
      url: httpUrl(a.generatorURL) ?? httpUrl(p.externalURL),
      labels: a.labels,
    };
  });
}
