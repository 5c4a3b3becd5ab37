/** The console notifier prints one block per visible change of an incident. */
import { PassThrough } from 'node:stream';
import type { Incident } from '../../../src/domain/index.js';
import { createConsoleNotifier } from '../../../src/notify/console/index.js';
import type { NotifyEvent } from '../../../src/notify/types.js';

const incident: Incident = {
  id: 'inc-web-1',
  service: 'web',
  status: 'open',
  severity: 'high',
  openedAt: Date.UTC(2026, 0, 5, 10, 0),
  lastAnomalyAt: Date.UTC(2026, 0, 5, 10, 3),
  resolvedAt: null,
  seriesKeys: ['sim:error_rate{service="web"}'],
  anomalyCount: 3,
  headline: {
    seriesKey: 'sim:error_rate{service="web"}',
    metric: 'error_rate',
    t: Date.UTC(2026, 0, 5, 10, 1),
    observed: 0.02,
    expected: 0.002,
    band: [0.001, 0.003],
    kind: 'level_shift',
    score: 0.97,
  },
  suspect: null,
};

function setup() {
  const out = new PassThrough();
  const blocks: string[] = [];
  out.on('data', (b: Buffer) => blocks.push(b.toString()));
  return { notifier: createConsoleNotifier(out), blocks };
}
const event = (kind: NotifyEvent['kind'], over: Partial<Incident> = {}): NotifyEvent => ({
  kind,
  incident: { ...incident, ...over },
  timeline: [],
  suspect: null,
});

describe('console notifier', () => {
  it('skips an update that renders exactly as the last block it printed for the incident, and says ok', async () => {
    const { notifier, blocks } = setup();
    await notifier.send(event('opened'));
    await notifier.send(event('updated', { anomalyCount: 5 }));
    expect(await notifier.send(event('updated', { anomalyCount: 5 }))).toEqual({ ok: true, ref: null });
    expect(blocks).toHaveLength(2);
    expect(blocks[1]).toContain('UPDATED [high] web');
    expect(blocks[1]).toContain('5 anomalies');
  });

  it('prints every visible change, and every update of another incident', async () => {
    const { notifier, blocks } = setup();
    await notifier.send(event('updated', { anomalyCount: 5 }));
    await notifier.send(event('updated', { anomalyCount: 5, severity: 'critical' }));
    await notifier.send(event('updated', { id: 'inc-api-2', anomalyCount: 5, severity: 'critical' }));
    expect(blocks).toHaveLength(3);
  });

  it('forgets a resolved incident: a re-opened one prints again even when it looks as before', async () => {
    const { notifier, blocks } = setup();
    await notifier.send(event('updated'));
    await notifier.send(event('resolved', { status: 'resolved', resolvedAt: Date.UTC(2026, 0, 5, 10, 20) }));
    await notifier.send(event('updated'));
    expect(blocks).toHaveLength(3);
    expect(blocks[1]).toContain('RESOLVED');
  });
});
