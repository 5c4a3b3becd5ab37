/**
 * kubectl.rollout-undo and kubectl.rollout-restart: `kubectl rollout undo|restart
 * <kind>/<name> -n <namespace> [--context <ctx>]`, run by execFile with an argv
 * array (no shell). Names match Kubernetes' own rules (lowercase, no leading
 * dash), so a value can never become an option or shell syntax.
 * Effects: one kubectl process. RBAC: patch on the workload (restart), and for
 * undo also list/get on its replicasets/controllerrevisions.
 * Failure modes: a non-zero exit gives ok=false with kubectl's output.
 */
import { z } from 'zod';
import type { Action } from '../types.js';
import { runArgv } from './exec.js';
import { ident, K8S_NAME, K8S_NS } from './params.js';

const params = z
  .object({
    kind: z.enum(['deployment', 'statefulset', 'daemonset']).default('deployment'),
    name: ident(K8S_NAME, 'name', 253),
    namespace: ident(K8S_NS, 'namespace', 63).default('default'),
    context: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.:@/-]{0,127}$/, { message: 'a kubeconfig context name' })
      .optional(),
  })
  .strict();
type Params = z.output<typeof params>;

export function kubectlArgv(verb: 'undo' | 'restart', p: Params): string[] {
  return [
    'rollout',
    verb,
    `${p.kind}/${p.name}`,
    '--namespace',
    p.namespace,
    ...(p.context ? ['--context', p.context] : []),
  ];
}

function rollout(verb: 'undo' | 'restart'): Action<Params> {
  return {
    name: `kubectl.rollout-${verb}`,
    effect: 'write',
    params,
    plan: (p) => [`kubectl ${kubectlArgv(verb, p).join(' ')}`],
    async run(p, ctx) {
      const r = await runArgv('kubectl', kubectlArgv(verb, p), ctx.signal);
      return {
        ok: r.ok,
        summary: `kubectl rollout ${verb} ${p.kind}/${p.name}: ${r.ok ? 'done' : `failed (exit ${r.code ?? '?'})`}${r.output ? ` — ${r.output.split('\n')[0]}` : ''}`,
        data: { output: r.output },
      };
    },
  };
}

export const kubectlRolloutUndo = rollout('undo');
export const kubectlRolloutRestart = rollout('restart');
