/**
 * Loads what recommending reads besides the incident (types.ts IncidentFacts):
 * its anomalies on every series since onset, the suspect deploy, and the
 * labels of its series. Effects: store reads only. Failure modes: store
 * errors reject; a series or deploy that is gone is simply absent.
 */
import type { Anomaly, Deployment, Incident, SeriesRef } from '../domain/index.js';
import type { IncidentFacts } from './types.js';

export interface FactsStore {
  listAnomalies(q: {
    readonly services?: readonly string[];
    readonly since?: number;
    readonly limit?: number;
  }): Promise<Anomaly[]>;
  getDeployment(id: string): Promise<Deployment | null>;
  getSeries(key: string): Promise<SeriesRef | null>;
}

/** At most this many series are read for labels (an incident can group hundreds). */
const LABEL_SERIES = 20;

export async function incidentFacts(store: FactsStore, incident: Incident): Promise<IncidentFacts> {
  const services = incident.services ?? [incident.service];
  const keys = new Set(incident.seriesKeys);
  const [anomalies, deployment, refs] = await Promise.all([
    store.listAnomalies({ services, since: incident.openedAt, limit: 2000 }),
    incident.suspect ? store.getDeployment(incident.suspect.deploymentId) : Promise.resolve(null),
    Promise.all(
      [incident.headline.seriesKey, ...incident.seriesKeys].slice(0, LABEL_SERIES).map((k) => store.getSeries(k)),
    ),
  ]);
  const labels: Record<string, string> = {};
  for (const ref of refs) for (const [k, v] of Object.entries(ref?.labels ?? {})) if (!(k in labels)) labels[k] = v;
  // Strongest first, so the reason quotes the anomaly that says most.
  const own = anomalies.filter((a) => keys.has(a.seriesKey)).sort((a, b) => b.score - a.score);
  return { labels, anomalies: own, deployment };
}
