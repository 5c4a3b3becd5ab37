/**
 * Which platform a suspect deploy ran on, so the rollback offered is the one
 * that can undo it. Pure. The evidence, strongest first:
 * 1. a `platform` label on the service's series (`codedeploy`, `ecs`,
 *    `lambda`, `kubernetes`, `github`; people set it where nothing else tells);
 * 2. the system that reported the deploy (Deployment.source): CodeDeploy,
 *    Argo CD (Kubernetes), GitHub;
 * 3. what the service's metrics and labels look like: AWS/Lambda metrics or
 *    a FunctionName label (Lambda), AWS/ECS metrics or ClusterName/ServiceName
 *    labels (ECS), namespace/pod/deployment labels (Kubernetes);
 * 4. otherwise `generic` (API, CLI, CodePipeline, the simulator): a deploy
 *    system Vigil has no rollback action for.
 */
import type { Deployment } from '../domain/index.js';

export const PLATFORMS = ['codedeploy', 'ecs', 'lambda', 'kubernetes', 'github', 'generic'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** How the platform is named to people (reasons, Slack); a generic one is named by how it was told. */
export const PLATFORM_NAMES: Record<Platform, string> = {
  codedeploy: 'CodeDeploy',
  ecs: 'ECS',
  lambda: 'Lambda',
  kubernetes: 'Kubernetes',
  github: 'GitHub',
  generic: 'generic',
};

const BY_SOURCE: Readonly<Record<string, { platform: Platform; via: string }>> = {
  codedeploy: { platform: 'codedeploy', via: 'CodeDeploy' },
  argocd: { platform: 'kubernetes', via: 'Argo CD' },
  github: { platform: 'github', via: 'GitHub' },
};

export interface PlatformFacts {
  readonly deployment: Pick<Deployment, 'source'> | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly metrics: readonly string[];
}

/** The platform and how it was told (e.g. "reported by Argo CD"). */
export function deployPlatform(f: PlatformFacts): { platform: Platform; via: string } {
  const labelled = f.labels['platform']?.toLowerCase();
  if (labelled && (PLATFORMS as readonly string[]).includes(labelled))
    return { platform: labelled as Platform, via: 'label platform' };
  const bySource = f.deployment ? BY_SOURCE[f.deployment.source] : undefined;
  if (bySource) return { platform: bySource.platform, via: `reported by ${bySource.via}` };
  const has = (k: string) => Object.hasOwn(f.labels, k);
  if (f.metrics.some((m) => /lambda/i.test(m)) || has('FunctionName'))
    return { platform: 'lambda', via: 'Lambda metrics' };
  if (f.metrics.some((m) => /AWS\/ECS|ECS\//i.test(m)) || (has('ClusterName') && has('ServiceName')))
    return { platform: 'ecs', via: 'ECS metrics' };
  if (has('namespace') && (has('pod') || has('deployment')))
    return { platform: 'kubernetes', via: 'Kubernetes labels' };
  return { platform: 'generic', via: f.deployment ? `reported by ${f.deployment.source}` : 'deploy record not found' };
}
