export type DeploymentStatus = 'started' | 'succeeded' | 'failed' | 'stopped';
export type DeploymentStrategy = 'all-at-once' | 'rolling' | 'blue-green' | 'canary' | 'linear';

/** One normalised change event, whatever system reported it. Times are epoch ms. */
export interface Deployment {
  readonly id: string;
  readonly service: string;
  readonly environment: string;
  readonly version: string | null;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  readonly status: DeploymentStatus;
  readonly actor: string | null;
  readonly source: string;
  readonly url: string | null;
  readonly strategy: DeploymentStrategy | null;
}
