/**
 * The verdict stage: delivers one stored deploy verdict to one notifier.
 * Retries belong to the queue, as for incident notifications. A notifier
 * without `sendVerdict` ignores verdicts.
 */
import { VigilError } from '../domain/errors.js';
import type { Notifier } from '../notify/index.js';
import type { Store } from '../store/types.js';

export async function deliverVerdict(store: Store, notifier: Notifier, deploymentId: string): Promise<void> {
  if (!notifier.sendVerdict) return;
  const [verdict, deployment] = await Promise.all([store.getVerdict(deploymentId), store.getDeployment(deploymentId)]);
  if (!verdict || !deployment)
    throw new VigilError('E_NOTIFY_UNKNOWN_VERDICT', `no verdict stored for deployment ${deploymentId}`);
  const result = await notifier.sendVerdict({ verdict, deployment });
  if (!result.ok) throw new VigilError('E_NOTIFY_FAILED', `${notifier.name}: ${result.error}`, result.retryable);
}
