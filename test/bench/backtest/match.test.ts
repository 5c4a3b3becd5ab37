import {
  matchScenario,
  summarise,
  upperMedian,
  type MatchableIncident,
  type TruthEvent,
} from '../../../src/bench/backtest/match.js';
import { parseTruth } from '../../../src/bench/backtest/truth.js';

const T0 = Date.UTC(2026, 4, 13, 12);
const at = (min: number): number => T0 + min * 60_000;
const iso = (min: number): string => new Date(at(min)).toISOString();
const ev = (service: string, start: number, end: number, kind: string, cause: string | null): TruthEvent => ({
  service,
  start: at(start),
  end: at(end),
  kind,
  cause,
});
const inc = (services: string[], openedMin: number, suspect: string | null = null): MatchableIncident => ({
  services,
  openedAt: iso(openedMin),
  suspect: suspect ? { deploymentId: suspect } : null,
});

describe('scenario matching rule', () => {
  it('matches by service and an opening between start-5 and min(end, start+30) minutes', () => {
    const truth = [ev('api', 0, 60, 'latency', 'd1')];
    expect(matchScenario(truth, [inc(['api'], -5)]).tp).toBe(1);
    expect(matchScenario(truth, [inc(['api'], -6)]).tp).toBe(0);
    expect(matchScenario(truth, [inc(['api'], 30)]).tp).toBe(1);
    expect(matchScenario(truth, [inc(['api'], 31)]).tp).toBe(0);
    expect(matchScenario(truth, [inc(['web'], 1)]).tp).toBe(0);
    // A short event: its end comes before start + 30.
    expect(matchScenario([ev('api', 0, 10, 'burst', null)], [inc(['api'], 11)]).tp).toBe(0);
    expect(matchScenario([ev('api', 0, 10, 'burst', null)], [inc(['web', 'api'], 10)]).tp).toBe(1);
  });

  it('lets each incident match one event, the first eligible in output order, events in truth order', () => {
    const truth = [ev('api', 0, 60, 'latency', 'd1'), ev('api', 2, 60, 'errors', 'd2')];
    const r = matchScenario(truth, [inc(['api'], 1, 'd1'), inc(['api'], 3, 'd1'), inc(['db'], 4)]);
    expect(r).toMatchObject({ truth: 2, predicted: 3, tp: 2, fp: 1, caused: 2, attributed: 1, delays: [1, 1] });
    expect(r.byKind).toEqual({
      latency: { events: 1, found: 1, caused: 1, attributed: 1, innocent: 0, blamed: 0 },
      errors: { events: 1, found: 1, caused: 1, attributed: 0, innocent: 0, blamed: 0 },
    });
  });

  it('counts false blame only for unrelated events whose incident names a suspect; a miss is not attributed', () => {
    const truth = [
      ev('db', 0, 60, 'backend', null),
      ev('web', 100, 160, 'host', null),
      ev('api', 200, 260, 'cpu', 'd9'),
    ];
    const r = matchScenario(truth, [inc(['db', 'api'], 2, 'd3'), inc(['web'], 101)]);
    expect(r).toMatchObject({ tp: 2, innocent: 2, blamed: 1, caused: 1, attributed: 0, fp: 0 });
  });

  it('sums scenarios like score.mjs --sum, pooling delays for the median', () => {
    const a = matchScenario([ev('api', 0, 60, 'latency', 'd1')], [inc(['api'], 4, 'd1'), inc(['api'], 500)]);
    const b = matchScenario([ev('db', 0, 60, 'backend', null), ev('web', 0, 60, 'host', null)], [inc(['db'], 2, 'd7')]);
    const s = summarise([a, b]);
    expect(s).toMatchObject({
      scenarios: 2,
      recall: 2 / 3,
      precision: 2 / 3,
      attribution: 1,
      falseBlame: 0.5,
      medianDelayMin: 4,
    });
    expect(s.totals).toEqual({
      truth: 3,
      predicted: 3,
      tp: 2,
      fp: 1,
      caused: 1,
      attributed: 1,
      innocent: 2,
      blamed: 1,
    });
    expect(Object.keys(s.byKind)).toEqual(['backend', 'host', 'latency']);
    expect(summarise([])).toMatchObject({ recall: null, precision: null, medianDelayMin: null });
  });

  it("takes score.mjs's median: the element at floor(n/2)", () => {
    expect(upperMedian([4, 1, 3, 2])).toBe(3);
    expect(upperMedian([5])).toBe(5);
  });
});

describe('truth.json', () => {
  it('reads events with ISO times and names the first bad field', () => {
    const ok = parseTruth('t.json', [
      { service: 'a', start: '2026-05-13T07:30:00Z', end: '2026-05-13T08:00:00Z', kind: 'errors', cause: null },
    ]);
    expect(ok[0]).toMatchObject({ start: Date.UTC(2026, 4, 13, 7, 30), cause: null });
    expect(() =>
      parseTruth('t.json', [{ service: 'a', start: 'soon', end: '2026-05-13T08:00:00Z', kind: 'x', cause: null }]),
    ).toThrow(/t\.json\[0\]\.start/);
    expect(() =>
      parseTruth('t.json', [
        { service: 'a', start: '2026-05-13T09:00:00Z', end: '2026-05-13T08:00:00Z', kind: 'x', cause: 'd' },
      ]),
    ).toThrow(/end is before start/);
    expect(() => parseTruth('t.json', {})).toThrow(/t\.json/);
  });
});
