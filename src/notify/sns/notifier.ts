/**
 * The SNS notifier: every incident event (opened, updated, resolved) and
 * every deploy verdict is one Publish to one topic, for the email, SMS, pager
 * and queue subscribers behind it (message.ts: body, Subject, attributes).
 *
 * Effects: sns:Publish. No store: SNS keeps nothing to edit in place, so an
 * update is a new message.
 * Delivery: at least once on standard topics (a retry after a lost answer
 * may publish twice); on FIFO topics (ARN ends in .fifo) messages carry
 * MessageGroupId (the service) and a MessageDeduplicationId derived from the
 * event, so a retry within SNS's 5-minute window is delivered once.
 * Failure modes: errors.ts; the notify stage decides when to try again.
 */
import { PublishCommand, type PublishCommandInput, type SNSClient } from '@aws-sdk/client-sns';
import type { Notifier, SendResult } from '../types.js';
import { classify } from './errors.js';
import { incidentPublication, verdictPublication, type Publication } from './message.js';

export const SNS_NOTIFIER = 'sns';

export interface SnsNotifierOptions {
  readonly client: SNSClient;
  readonly topicArn: string;
  readonly log?: { warn(obj: object, msg: string): void };
  /** A link to the incident for people (a dashboard); absent or null: no `url` in the document. */
  readonly incidentUrl?: (incidentId: string) => string | null;
}

export const isFifoTopic = (topicArn: string): boolean => topicArn.endsWith('.fifo');

export function publishInput(topicArn: string, p: Publication): PublishCommandInput {
  return {
    TopicArn: topicArn,
    Subject: p.subject,
    Message: p.message,
    MessageAttributes: p.attributes,
    ...(isFifoTopic(topicArn) ? { MessageGroupId: p.groupId, MessageDeduplicationId: p.deduplicationId } : {}),
  };
}

export function createSnsNotifier(o: SnsNotifierOptions): Notifier {
  async function publish(p: Publication, what: Record<string, string>): Promise<SendResult> {
    try {
      const out = await o.client.send(new PublishCommand(publishInput(o.topicArn, p)));
      return { ok: true, ref: out.MessageId ?? null };
    } catch (err) {
      const f = classify(err, o.topicArn);
      o.log?.warn({ ...what, retryable: f.retryable, err: f.message }, 'SNS notification failed');
      return { ok: false, retryable: f.retryable, error: f.message };
    }
  }

  return {
    name: SNS_NOTIFIER,
    async send(e) {
      const p = incidentPublication(e, o.incidentUrl?.(e.incident.id) ?? null);
      return publish(p, { incident: e.incident.id, kind: e.kind });
    },
    async sendVerdict(e) {
      return publish(verdictPublication(e), { deployment: e.deployment.id, outcome: e.verdict.outcome });
    },
  };
}
