/**
 * Behaviour every Notifier must show (DESIGN.md: one conformance suite per
 * port), from the port's contract (src/notify/types.ts):
 * - `name` names it; `wantsChart`, when present, is a boolean;
 * - `send` answers every incident event (opened, updated, resolved), with
 *   or without the optional parts (suspect, playbook, chart), with a
 *   SendResult: `{ ok: true, ref }`, ref a non-empty string or null;
 * - the same event sent again (a queue retry after a lost answer) is
 *   answered ok again; a notifier that edits one message in place answers
 *   the same ref for every event of an incident;
 * - `sendVerdict`, where the notifier has it, answers a SendResult too;
 * - failures never reject: adapters only say whether a failure is
 *   retryable, as `{ ok: false, retryable, error }` with a message.
 * The caller declares which optional behaviours its notifier documents.
 */
import type { Incident, TimelineEntry } from '../../src/domain/index.js';
import type { Notifier, NotifyEvent, SendResult } from '../../src/notify/index.js';
import { deploy, incident, T0, verdictEvent } from './sns/events.js';

export interface NotifierFailure {
  readonly name: string;
  readonly retryable: boolean;
  /** A notifier whose next send fails this way. */
  arrange(): Promise<Notifier>;
}

export interface NotifierConformanceOptions {
  /** Documented: one message per incident, edited in place (the same ref for every event of it). */
  readonly editsInPlace?: boolean;
  /** Documented: the notifier announces deploy verdicts (has sendVerdict). */
  readonly verdicts: boolean;
  readonly failures?: readonly NotifierFailure[];
}

let n = 0;
const chart = {
  title: 'checkout · latency_p99',
  points: Array.from({ length: 30 }, (_, i) => ({ t: T0 - (30 - i) * 60_000, v: i < 25 ? 120 + (i % 4) : 900 })),
  band: Array.from({ length: 30 }, (_, i) => ({ t: T0 - (30 - i) * 60_000, lo: 80, hi: 160 })),
  anomalies: [{ t: T0 - 5 * 60_000, v: 900 }],
};

/** Opened, updated and resolved events of one fresh incident. */
function lifecycle(full: boolean): NotifyEvent[] {
  const base: Incident = incident({ id: `inc_conf_${++n}` });
  const opened: TimelineEntry = { at: T0, kind: 'opened', text: 'opened: latency_p99 level shift' };
  const escalated: TimelineEntry = { at: T0 + 60_000, kind: 'escalated', text: 'severity high -> critical' };
  const resolvedAt = T0 + 600_000;
  const extra = full
    ? {
        suspect: deploy,
        playbook: { name: 'rollback', title: 'Roll back the deploy', reason: 'suspect deploy' },
        chart,
      }
    : { suspect: null };
  return [
    { kind: 'opened', incident: base, timeline: [opened], ...extra },
    {
      kind: 'updated',
      incident: { ...base, severity: 'critical', anomalyCount: 9 },
      timeline: [opened, escalated],
      ...extra,
    },
    {
      kind: 'resolved',
      incident: { ...base, severity: 'critical', status: 'resolved', resolvedAt },
      timeline: [opened, escalated, { at: resolvedAt, kind: 'resolved', text: 'resolved: back to normal' }],
      ...extra,
    },
  ] as NotifyEvent[];
}

function expectOk(r: SendResult): string | null {
  expect(r).toEqual({ ok: true, ref: r.ok && r.ref !== null ? expect.any(String) : null });
  if (!r.ok) throw new Error('unreachable');
  if (r.ref !== null) expect(r.ref).not.toBe('');
  return r.ref;
}

export function notifierConformance(
  name: string,
  make: () => Promise<Notifier>,
  opts: NotifierConformanceOptions,
): void {
  describe(`Notifier conformance: ${name}`, () => {
    let notifier: Notifier;
    beforeAll(async () => {
      notifier = await make();
    });

    it('names itself; wantsChart is a boolean when present', () => {
      expect(typeof notifier.name).toBe('string');
      expect(notifier.name).not.toBe('');
      expect(['undefined', 'boolean']).toContain(typeof notifier.wantsChart);
    });

    for (const full of [false, true]) {
      it(`answers opened, updated and resolved ${full ? 'with suspect, playbook and chart' : 'with none of the optional parts'}`, async () => {
        const refs: Array<string | null> = [];
        for (const e of lifecycle(full)) refs.push(expectOk(await notifier.send(e)));
        if (opts.editsInPlace) {
          expect(refs[0]).not.toBeNull();
          expect(new Set(refs)).toEqual(new Set([refs[0]]));
        }
      });
    }

    it('answers the same event sent again (a retry) ok, with the same ref when it edits in place', async () => {
      const [opened] = lifecycle(false);
      const first = expectOk(await notifier.send(opened!));
      const again = expectOk(await notifier.send(opened!));
      if (opts.editsInPlace) expect(again).toBe(first);
    });

    it(
      opts.verdicts ? 'announces a deploy verdict with a SendResult' : 'has no sendVerdict (it ignores verdicts)',
      async () => {
        if (!opts.verdicts) {
          expect(notifier.sendVerdict).toBeUndefined();
          return;
        }
        expect(typeof notifier.sendVerdict).toBe('function');
        expectOk(await notifier.sendVerdict!(verdictEvent));
      },
    );

    if (opts.failures?.length) {
      it('answers failures with { ok: false, retryable, error }, never by rejecting', async () => {
        for (const f of opts.failures!) {
          const failing = await f.arrange();
          const [opened] = lifecycle(false);
          const r = await failing.send(opened!).catch((err: unknown) => {
            throw new Error(`${f.name}: send rejected (${String(err)}) instead of answering ok: false`);
          });
          expect({ name: f.name, ...r }).toEqual({
            name: f.name,
            ok: false,
            retryable: f.retryable,
            error: expect.any(String),
          });
          if (!r.ok) expect(r.error.trim()).not.toBe('');
        }
      });
    }
  });
}
