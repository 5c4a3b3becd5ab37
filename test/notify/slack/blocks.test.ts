import { capBlocks, context, incidentMessage, verdictMessage, type Block } from '../../../src/notify/slack/blocks.js';
import { shorten } from '../../../src/notify/slack/text.js';
import { ACTIONS, LIMITS } from '../../../src/notify/slack/types.js';
import { deploy, event } from './events.js';

function texts(blocks: readonly Block[]): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.type === 'header' || b.type === 'section') out.push(b.text.text);
    if (b.type === 'context') out.push(...b.elements.map((e) => e.text));
  }
  return out;
}

function assertLimits(blocks: readonly Block[]): void {
  expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
  for (const b of blocks) {
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.headerText);
    if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    if (b.type === 'actions') {
      for (const e of b.elements) {
        expect(e.text.text.length).toBeLessThanOrEqual(LIMITS.buttonText);
        expect(e.value.length).toBeLessThanOrEqual(LIMITS.buttonValue);
      }
    }
  }
}

describe('incident post', () => {
  test('says what, where, since when, expected vs observed, severity, suspect and buttons', () => {
    const m = incidentMessage(event({ playbook: { name: 'rollback', title: 'Roll back the last deploy' } }));
    const all = texts(m.blocks).join('\n');
    expect(all).toContain('Opened [high] checkout — latency_p99 level shift');
    expect(all).toContain('latency_p99 level shift: 900 vs expected 120');
    expect(all).toContain('*Expected* 120 (band 80 to 160), *observed* 900');
    expect(all).toContain('*Since* 2026-01-05 10:00 UTC');
    expect(all).toContain('`dep-42` (v42) of checkout at 2026-01-05 09:56 UTC, confidence 82%');
    expect(all).toContain('checkout v42 started 4 min before onset');
    expect(all).toContain('*Recommended playbook* `rollback`');
    const actions = m.blocks.find((b) => b.type === 'actions');
    expect(actions?.type === 'actions' && actions.elements.map((e) => e.action_id)).toEqual([
      ACTIONS.ack,
      ACTIONS.resolve,
      ACTIONS.silence,
      ACTIONS.notAnomaly,
      ACTIONS.runPlaybook,
    ]);
    expect(m.text).toContain('checkout');
  });

  test('without a suspect it says so, with the attribution reason', () => {
    const m = incidentMessage(
      event({ suspect: null }, { suspect: null, attribution: 'no deploy within 2h before onset' }),
    );
    expect(texts(m.blocks).join('\n')).toContain('*No deploy suspected*\nno deploy within 2h before onset');
  });

  test('a resource growing towards its limit says how fast and when it is full; without growth, no such line', () => {
    const at = Date.UTC(2026, 0, 5, 10, 30);
    const growth = {
      seriesKey: 'k',
      metric: 'memory_pct',
      perMinute: 0.213,
      limit: 100,
      fullAt: at + 4.2 * 3_600_000,
      at,
    };
    expect(texts(incidentMessage(event({}, { growth })).blocks).join('\n')).toContain(
      '*Growing* memory_pct +0.21 a minute; 100 in about 4 h at this rate',
    );
    expect(texts(incidentMessage(event()).blocks).join('\n')).not.toContain('*Growing*');
  });

  test('an incident other services joined says where the change started and who felt it after; one service, no such line', () => {
    const t = Date.UTC(2026, 0, 5, 10, 0);
    const joined = {
      services: ['checkout', 'db', 'web'],
      onsets: { web: t + 3 * 60_000, db: t, checkout: t + 60_000 },
    };
    const all = texts(incidentMessage(event({}, joined)).blocks).join('\n');
    expect(all).toContain('(services checkout, db, web)');
    expect(all).toContain('started on db; then checkout (+1 min), web (+3 min)');
    expect(texts(incidentMessage(event({}, { onsets: { checkout: t } })).blocks).join('\n')).not.toContain(
      'started on',
    );
  });

  test('a resolved incident keeps only the feedback button; feedback given shows undo', () => {
    const m = incidentMessage(
      event({ kind: 'resolved' }, { status: 'resolved', resolvedAt: Date.UTC(2026, 0, 5, 10, 30) }),
      { feedbackId: 'fb-1' },
    );
    const actions = m.blocks.find((b) => b.type === 'actions');
    expect(actions?.type === 'actions' && actions.elements.map((e) => [e.action_id, JSON.parse(e.value)])).toEqual([
      [ACTIONS.unfeedback, { incidentId: 'inc_checkout_1', feedbackId: 'fb-1' }],
    ]);
    expect(texts(m.blocks)[0]).toContain('Resolved');
  });

  test('very long names stay within every limit and are shortened with an ellipsis', () => {
    const long = 'service-'.repeat(600) + '😀'.repeat(500);
    const keys = Array.from({ length: 500 }, (_, n) => `sim:${long}{pod="${n}"}`);
    const m = incidentMessage(
      event(
        { playbook: { name: 'p'.repeat(3000), title: long } },
        {
          service: long,
          seriesKeys: keys,
          headline: { ...event().incident.headline, metric: long },
          suspect: { deploymentId: 'd', confidence: 0.5, reason: long },
        },
      ),
    );
    assertLimits(m.blocks);
    expect(m.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
    const head = m.blocks[0];
    expect(head?.type === 'header' && head.text.text.endsWith('…')).toBe(true);
    // The run-playbook button drops a name too long for its value instead of cutting it.
    const actions = m.blocks.find((b) => b.type === 'actions');
    const run =
      actions?.type === 'actions' ? actions.elements.find((e) => e.action_id === ACTIONS.runPlaybook) : undefined;
    expect(JSON.parse(run?.value ?? '{}')).toEqual({ incidentId: 'inc_checkout_1' });
  });
});

describe('limits', () => {
  test('shorten never splits a multi-byte character', () => {
    const s = shorten('ab😀😀😀', 5);
    expect(s).toBe('ab😀…');
    expect(s.length).toBeLessThanOrEqual(5);
    expect(shorten('e\u0301e\u0301e\u0301', 4)).toBe('e\u0301…');
    expect(shorten('short', 10)).toBe('short');
  });

  test('more than 50 blocks are capped, the last saying how many are left out', () => {
    const capped = capBlocks(Array.from({ length: 70 }, (_, n) => context(`line ${n}`)));
    expect(capped).toHaveLength(50);
    expect(texts(capped).at(-1)).toBe('… 21 more not shown');
  });

  test('a verdict with many shifts splits into sections and stays within limits', () => {
    const shifts = Array.from({ length: 400 }, (_, n) => ({
      seriesKey: `k${n}`,
      metric: `metric_${'x'.repeat(100)}_${n}`,
      beforeMedian: 1,
      afterMedian: 2,
      beforeCount: 30,
      afterCount: 30,
      pValue: 0.0001,
      effect: 0.9,
      moved: true,
      worse: true,
    }));
    const m = verdictMessage({
      verdict: {
        deploymentId: 'dep-42',
        service: 'checkout',
        outcome: 'fail',
        decidedAt: deploy.startedAt + 3_600_000,
        shifts,
        summary: 'fail: latency rose 2x',
      },
      deployment: deploy,
    });
    assertLimits(m.blocks);
    expect(texts(m.blocks)[0]).toBe('🔴 Deploy verdict: fail — checkout v42');
    expect(texts(m.blocks).join('\n')).toContain('metric_');
  });
});
