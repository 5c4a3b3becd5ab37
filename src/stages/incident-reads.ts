/**
 * The store as one batch's incident lifecycle sees it (lifecycle.ts): a
 * listIncidents repeated with the same query gets a copy of what the first
 * one returned, instead of another statement, until anything is written to
 * the incidents through this view. The lifecycle asks for the same open
 * incident up to three times per part of a batch (src/incidents), and most
 * batches write nothing in between.
 *
 * Why a repeat answers what the database would: the view lives for one
 * batch, which runs holding its incident lock (lock.ts). Every incident
 * write of this process's pipeline (lifecycle, attribution, neighbours'
 * reranking) takes that lock first; with co-onset grouping, the lock every
 * batch shares, since a batch then reads other groups' incidents too. So
 * between two reads only this batch writes, and it writes through this
 * view. Each answer is a deep copy, a fresh object as a read returns. A
 * failed read is not kept. Other writers (a person resolving in Slack,
 * another process) are no more atomic with the lifecycle than before: the
 * next batch reads what they wrote.
 * Effects: those of the store's methods it passes on.
 */
import type { Incident } from '../domain/index.js';
import type { AnomalyStore, IncidentQuery, IncidentStore, PointStore } from '../store/types.js';

export type LifecycleStore = IncidentStore & AnomalyStore & PointStore;

export function incidentReadsOnce(store: LifecycleStore): LifecycleStore {
  const known = new Map<string, Incident[]>();
  /** A write of incidents: nothing read before it is answered again. */
  const writing =
    <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      known.clear();
      try {
        return await write(...args);
      } finally {
        known.clear();
      }
    };
  return {
    async listIncidents(query?: IncidentQuery) {
      const key = JSON.stringify(query ?? {});
      const hit = known.get(key);
      if (hit) return structuredClone(hit);
      const read = await store.listIncidents(query);
      known.set(key, structuredClone(read));
      return read;
    },
    getIncident: (id) => store.getIncident(id),
    timeline: (id) => store.timeline(id),
    openOrGetIncident: writing((draft: Incident) => store.openOrGetIncident(draft)),
    updateIncident: writing((incident: Incident) => store.updateIncident(incident)),
    appendTimeline: writing((id: string, entry: Parameters<IncidentStore['appendTimeline']>[1]) =>
      store.appendTimeline(id, entry),
    ),
    insertAnomalies: (anomalies) => store.insertAnomalies(anomalies),
    listAnomalies: (query) => store.listAnomalies(query),
    countAnomalies: () => store.countAnomalies(),
    insertPoints: (key, points) => store.insertPoints(key, points),
    insertPointsMany: (batch) => store.insertPointsMany(batch),
    recordFetched: (refs, batch) => store.recordFetched(refs, batch),
    listPoints: (key, range) => store.listPoints(key, range),
    prunePoints: (before) => store.prunePoints(before),
  };
}
