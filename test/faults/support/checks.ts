/**
 * The assertions every fault test ends with: nothing lost, nothing scored
 * twice, no incident counted twice, every incident posted to Slack once.
 */
import type { Cluster } from './cluster.js';
import type { Server } from './services.js';
import type { LoopbackSlack } from './slack.js';
import type { VigilProcess } from './vigil.js';
import { reference, storeFacts, type Reference, type StoreFacts, type Workload } from './workload.js';

export function expectEveryPointScoredOnce(facts: StoreFacts, w: Workload, ref: Reference): void {
  expect(facts.pending).toBe(0);
  for (const s of w.series) {
    // Every pushed point stored once (the primary key makes more impossible, fewer is a loss)...
    expect({ series: s.ref.key, points: facts.points.get(s.ref.key) }).toEqual({
      series: s.ref.key,
      points: s.points.length,
    });
    // ...and scored once: a point lost or scored twice leaves the online detector in another state.
    const stored = facts.states.get(s.ref.key);
    const state = stored ? { state: ref.current(s.ref, stored), lastT: stored.lastT } : undefined;
    expect({ series: s.ref.key, ...state }).toEqual({
      series: s.ref.key,
      ...ref.states.get(s.ref.key),
    });
  }
  expect([...facts.anomalies].sort()).toEqual([...ref.anomalies].sort());
}

export function expectIncidentsCountedOnce(facts: StoreFacts): void {
  const anomalyTimes = new Map<string, number[]>();
  for (const a of facts.anomalies) {
    const at = a.lastIndexOf('@');
    const key = a.slice(0, at);
    anomalyTimes.set(key, [...(anomalyTimes.get(key) ?? []), Number(a.slice(at + 1))]);
  }
  for (const i of facts.incidents) {
    // An anomaly counted twice (a retried batch) makes the count exceed the anomalies the incident spans.
    const spanned = i.seriesKeys.reduce(
      (n, k) => n + (anomalyTimes.get(k) ?? []).filter((t) => t >= i.openedAt && t <= i.lastAnomalyAt).length,
      0,
    );
    expect({ incident: i.id, countedAtMost: i.anomalyCount <= spanned }).toEqual({
      incident: i.id,
      countedAtMost: true,
    });
    const timeline = facts.timelines.get(i.id) ?? [];
    expect({ incident: i.id, timeline: [...new Set(timeline)] }).toEqual({ incident: i.id, timeline });
  }
}

export function expectPostedOnce(facts: StoreFacts, slack: LoopbackSlack): void {
  const posts = slack
    .incidentPosts()
    .map((m) => m.incidentId)
    .sort();
  expect(posts).toEqual(facts.incidents.map((i) => i.id).sort());
  for (const post of slack.incidentPosts()) {
    const replies = slack.messages.filter((m) => m.threadTs === post.ts).map((m) => m.text);
    expect({ incident: post.incidentId, replies: [...new Set(replies)] }).toEqual({
      incident: post.incidentId,
      replies,
    });
  }
}

/**
 * A process's warnings and errors, in order, with the outage log's two lines
 * about `dependency` (src/observability/outage.ts) named "outage started" and
 * "outage ended"; any other line is kept as its message.
 */
export function warnings(p: VigilProcess, dependency: string): string[] {
  return p
    .lines()
    .filter((l) => l.level >= 40)
    .map((l) => {
      if (l.dependency === dependency && l.msg.startsWith(`${dependency} unavailable (`))
        return `${dependency}: outage started`;
      if (l.dependency === dependency && l.msg.startsWith(`${dependency} recovered after `))
        return `${dependency}: outage ended`;
      return l.msg;
    });
}

/** PostgreSQL's own log names no deadlock: Vigil's processes never wait for each other in a cycle. */
export function expectNoDeadlock(pg: Server): void {
  expect(
    pg
      .output()
      .split('\n')
      .filter((l) => l.includes('deadlock detected')),
  ).toEqual([]);
}

/**
 * How every fault test ends: no deadlock in PostgreSQL's log, every pushed
 * point of `w` scored exactly once (as the point-by-point reference), no
 * anomaly counted twice, every incident posted once. Returns the store's
 * facts for the test's own checks (how many incidents, what was posted).
 */
export async function expectNothingLost(
  c: Cluster,
  pg: Server,
  slack: LoopbackSlack,
  w: Workload,
): Promise<StoreFacts> {
  expectNoDeadlock(pg);
  const facts = await storeFacts(c.databaseUrl);
  expectEveryPointScoredOnce(facts, w, reference(w, c.cwd));
  expectIncidentsCountedOnce(facts);
  expectPostedOnce(facts, slack);
  return facts;
}

/**
 * Until every process that logged the start of an outage of `dependency`
 * has logged its end too (at most `ms`): a process with no work left
 * confirms the recovery with its own probe, a few seconds after it.
 */
export async function recoveryLogged(c: Cluster, dependency: string, ms = 30_000): Promise<void> {
  const settled = () =>
    c.all.every((p) => {
      const said = warnings(p, dependency);
      return !said.includes(`${dependency}: outage started`) || said.includes(`${dependency}: outage ended`);
    });
  const until = Date.now() + ms;
  while (!settled() && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
}

/**
 * After an outage of `dependency` ('store' or 'queue'): the same processes
 * as before, all still running (Vigil recovered by itself), and each logged
 * the outage once when it started and once when it ended, with no other
 * warning or error.
 */
export function expectRecoveredByItself(c: Cluster, dependency: string): void {
  expect(c.all.map((p) => `${p.name}: ${p.running() ? 'running' : 'exited'}`)).toEqual(
    c.all.map((p) => `${p.name}: running`),
  );
  for (const p of c.all) {
    expect({ process: p.name, said: warnings(p, dependency) }).toEqual({
      process: p.name,
      said: [`${dependency}: outage started`, `${dependency}: outage ended`],
    });
  }
}
