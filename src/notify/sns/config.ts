/**
 * Builds the SNS notifier from `notify.sns`. Credentials come from the
 * default AWS chain (env, profile, container or instance role).
 * The client never retries (maxAttempts 1): the notify stage is the one
 * place that retries (DESIGN.md, habit 3), and an SDK retry hidden under it
 * would multiply attempts and duplicate messages on standard topics.
 */
import { SNSClient } from '@aws-sdk/client-sns';
import type { Config } from '../../config/index.js';
import type { Notifier } from '../types.js';
import { createSnsNotifier, type SnsNotifierOptions } from './notifier.js';

/** The region field of a topic ARN (arn:<partition>:sns:<region>:<account>:<name>); null when it is not one. */
export function regionOfTopicArn(topicArn: string): string | null {
  const parts = topicArn.split(':');
  return parts.length === 6 && parts[0] === 'arn' && parts[2] === 'sns' && parts[3] ? parts[3] : null;
}

/** SNSClient settings for `notify.sns`: `region`, else the ARN's region. */
export function snsClientConfig(sns: Config['notify']['sns'] & { topicArn: string }): {
  region: string | undefined;
  maxAttempts: number;
} {
  return { region: sns.region ?? regionOfTopicArn(sns.topicArn) ?? undefined, maxAttempts: 1 };
}

/** Null when no topic is configured (SNS off). */
export function snsNotifierFromConfig(
  sns: Config['notify']['sns'],
  opts: Pick<SnsNotifierOptions, 'log' | 'incidentUrl'> = {},
): Notifier | null {
  if (sns.topicArn === null) return null;
  const topicArn = sns.topicArn;
  return createSnsNotifier({ client: new SNSClient(snsClientConfig({ ...sns, topicArn })), topicArn, ...opts });
}
