/**
 * Service mapping: vigil.yaml rules that name the service of a series from
 * its labels (Prometheus labels, CloudWatch dimensions), its metric or its
 * source. The first rule whose every pattern matches wins; a series no rule
 * matches keeps the service its source gave it. Patterns are anchored
 * regular expressions, compiled once at start-up (a bad one is a config error).
 * The service template may use `{label}` (a label's value) and `$1`.. (groups
 * captured by the patterns, in rule order).
 */
import type { SeriesRef } from '../domain/index.js';
import { VigilError } from '../domain/errors.js';

export interface ServiceRule {
  /** label name (or `metric` / `source`) -> regular expression the whole value must match */
  readonly match: Readonly<Record<string, string>>;
  readonly service: string;
}

export type ServiceMapper = (ref: SeriesRef) => SeriesRef;

export function compileServiceRules(rules: readonly ServiceRule[]): ServiceMapper {
  const compiled = rules.map((rule, i) => ({
    service: rule.service,
    patterns: Object.entries(rule.match).map(([name, pattern]) => {
      try {
        return { name, re: new RegExp(`^(?:${pattern})$`) };
      } catch (err) {
        throw new VigilError(
          'E_CONFIG',
          `config: serviceRules[${i}].match.${name} = ${JSON.stringify(pattern)}: not a valid regular expression (${(err as Error).message})`,
        );
      }
    }),
  }));
  if (compiled.length === 0) return (ref) => ref;
  return (ref) => {
    for (const rule of compiled) {
      const groups: string[] = [];
      const ok = rule.patterns.every(({ name, re }) => {
        const value = name === 'metric' ? ref.metric : name === 'source' ? ref.source : ref.labels[name];
        const m = value === undefined ? null : re.exec(value);
        if (m) groups.push(...m.slice(1).map((g) => g ?? ''));
        return m !== null;
      });
      if (!ok) continue;
      const service = rule.service
        .replace(/\{([\w.-]+)\}/g, (_, label: string) => ref.labels[label] ?? '')
        .replace(/\$(\d)/g, (_, n: string) => groups[Number(n) - 1] ?? '');
      return service && service !== ref.service ? { ...ref, service } : ref;
    }
    return ref;
  };
}
