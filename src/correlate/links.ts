/**
 * Linked services (vigil.yaml `correlate.dependsOn`): a service and what it
 * calls. Linked services share one incident (anomalies on checkout and on the
 * payments service it calls are one insight), and a deploy of a dependency
 * is a suspect for its callers. Groups are the connected components of the
 * links; a group's key names its members, sorted, joined by "+", and an
 * unlinked service is its own group. Pure.
 */
export interface ServiceLinks {
  /** Key of the service's group: the incident is kept under it. */
  groupOf(service: string): string;
  /** Every service of the group that `key` names. */
  membersOf(key: string): readonly string[];
  /** Services `service` depends on, directly or through others. */
  dependsOn(service: string): readonly string[];
}

export function compileLinks(dependsOn: Readonly<Record<string, readonly string[]>>): ServiceLinks {
  const parent = new Map<string, string>();
  const find = (s: string): string => {
    const p = parent.get(s) ?? s;
    if (p === s) return s;
    const root = find(p);
    parent.set(s, root);
    return root;
  };
  const union = (a: string, b: string) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  };
  for (const [service, deps] of Object.entries(dependsOn)) for (const d of deps) union(service, d);
  const members = new Map<string, string[]>();
  for (const s of new Set([...Object.keys(dependsOn), ...Object.values(dependsOn).flat()])) {
    const list = members.get(find(s)) ?? [];
    list.push(s);
    members.set(find(s), list);
  }
  const keyOfRoot = new Map([...members].map(([root, list]) => [root, list.sort().join('+')]));
  const byKey = new Map([...members].map(([root, list]) => [keyOfRoot.get(root)!, list]));

  const transitive = (service: string): string[] => {
    const seen = new Set<string>();
    const stack = [...(dependsOn[service] ?? [])];
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (seen.has(s) || s === service) continue;
      seen.add(s);
      stack.push(...(dependsOn[s] ?? []));
    }
    return [...seen].sort();
  };
  return {
    groupOf: (service) => keyOfRoot.get(find(service)) ?? service,
    membersOf: (key) => byKey.get(key) ?? [key],
    dependsOn: transitive,
  };
}
