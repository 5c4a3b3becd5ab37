/**
 * Parses `/vigil ...` and @mention text into a command. Pure; never throws:
 * unknown or malformed input becomes { name: 'usage' } with what was wrong.
 */
import { parseDuration } from '../../domain/duration.js';

export type Command =
  | { readonly name: 'help' | 'status' | 'incidents' }
  | { readonly name: 'show' | 'ack' | 'resolve'; readonly incidentId: string }
  | {
      readonly name: 'silence';
      readonly target: { readonly kind: 'service' | 'series'; readonly value: string };
      readonly durationMs: number;
      readonly reason: string | null;
    }
  | { readonly name: 'unsilence'; readonly silenceId: string }
  | { readonly name: 'deploys'; readonly service: string | null }
  | { readonly name: 'verdict'; readonly deploymentId: string }
  | { readonly name: 'explain'; readonly seriesKey: string }
  | { readonly name: 'run'; readonly playbook: string; readonly incidentId: string | null }
  | { readonly name: 'unfeedback'; readonly feedbackId: string }
  | { readonly name: 'usage'; readonly problem: string | null };

export const USAGE = [
  '*Vigil commands* (`/vigil <command>` or mention the bot):',
  '• `help` — this list',
  '• `status` — open incidents, silences, feedback',
  '• `incidents` — open incidents',
  '• `show <incident>` — one incident in full',
  '• `ack <incident>` / `resolve <incident>`',
  '• `silence <service|series> <duration> [reason]` — e.g. `silence checkout 2h deploy window`; `unsilence <id>`',
  '• `deploys [service]` — recent deploys',
  '• `verdict <deployment>` — the deploy verdict',
  '• `explain <series>` — baseline, band, recent scores and feedback of a series',
  '• `run <playbook> [incident]` — ask to run a remediation playbook',
  '• `unfeedback <feedback id>` — take back a "not an anomaly"',
].join('\n');

const usage = (problem: string): Command => ({ name: 'usage', problem });

/** Slack wraps links and mentions in <...>; take the visible text. */
function unwrap(word: string): string {
  const m = /^<([^|>]*)(?:\|([^>]*))?>$/.exec(word);
  return m ? (m[2] ?? m[1] ?? word) : word;
}

/** Series keys look like `source:metric{labels}`; anything else names a service. */
const targetOf = (value: string) => ({ kind: /[:{]/.test(value) ? ('series' as const) : ('service' as const), value });

/** Words, keeping a `{...}` label set (which may contain spaces) in one word. */
function words(text: string): string[] {
  return (text.match(/[^\s{]*\{[^}]*\}\S*|\S+/g) ?? []).map(unwrap);
}

export function parseCommand(text: string): Command {
  const cleaned = text
    .replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, ' ')
    .replace(/[\u201c\u201d]/g, '"')
    .trim();
  const [verb = 'help', ...args] = words(cleaned);
  const need = (n: number, shape: string): string | null => (args.length < n ? `\`${verb}\` needs ${shape}` : null);
  switch (verb.toLowerCase()) {
    case 'help':
      return { name: 'help' };
    case 'status':
      return { name: 'status' };
    case 'incidents':
      return { name: 'incidents' };
    case 'show':
    case 'ack':
    case 'resolve': {
      const problem = need(1, 'an incident id');
      return problem
        ? usage(problem)
        : { name: verb.toLowerCase() as 'show' | 'ack' | 'resolve', incidentId: args[0]! };
    }
    case 'silence': {
      const problem = need(2, 'a service or series and a duration, e.g. `silence checkout 2h`');
      if (problem) return usage(problem);
      const durationMs = parseDuration(args[1]!);
      if (durationMs === null || durationMs <= 0 || durationMs > 30 * 86_400_000)
        return usage(`\`${args[1]}\` is not a duration from 1s to 30d (e.g. 90s, 15m, 2h, 1d)`);
      return {
        name: 'silence',
        target: targetOf(args[0]!),
        durationMs,
        reason: args.length > 2 ? args.slice(2).join(' ') : null,
      };
    }
    case 'unsilence': {
      const problem = need(1, 'a silence id');
      return problem ? usage(problem) : { name: 'unsilence', silenceId: args[0]! };
    }
    case 'deploys':
      return { name: 'deploys', service: args[0] ?? null };
    case 'verdict': {
      const problem = need(1, 'a deployment id');
      return problem ? usage(problem) : { name: 'verdict', deploymentId: args[0]! };
    }
    case 'explain': {
      const problem = need(1, 'a series key, e.g. `explain prometheus:latency{service="api"}`');
      return problem ? usage(problem) : { name: 'explain', seriesKey: args.join(' ') };
    }
    case 'run': {
      const problem = need(1, 'a playbook name');
      return problem ? usage(problem) : { name: 'run', playbook: args[0]!, incidentId: args[1] ?? null };
    }
    case 'unfeedback': {
      const problem = need(1, 'a feedback id');
      return problem ? usage(problem) : { name: 'unfeedback', feedbackId: args[0]! };
    }
    default:
      return usage(`unknown command \`${verb.slice(0, 50)}\``);
  }
}
