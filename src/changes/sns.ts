/**
 * POST /webhooks/sns: an SNS HTTPS subscription endpoint (fastify plugin).
 * Inputs: SNS's JSON envelope (sent as text/plain; read as raw bytes).
 * Checks, in order: JSON and envelope fields (400 E_SNS_INVALID naming the
 * field), topic in the configured list (403 E_SNS_TOPIC; 403 E_SNS_DISABLED
 * when the list is empty), SigningCertURL / SubscribeURL https on an SNS
 * host (401 E_SNS_CERT_URL, nothing fetched), signature (401 E_SNS_SIGNATURE;
 * 502 E_SNS_CERT_UNAVAILABLE when the certificate cannot be fetched, so SNS
 * retries), Timestamp within maxAge (401 E_SNS_STALE), MessageId not seen
 * before (409 E_SNS_REPLAY).
 * Effects: a SubscriptionConfirmation is confirmed by GET SubscribeURL
 * (502 E_SNS_CONFIRM on failure); a Notification's Message is applied
 * (apply.ts): an EventBridge event or a native CloudWatch alarm message.
 * Anything else is 202 ignored. A failed handling releases the MessageId.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { describeIssue } from '../domain/index.js';
import type { DeliveryStore } from '../store/types.js';
import { applyMapped, type IntakeStore } from './apply.js';
import { mapEventBridgeEvent } from './aws-events.js';
import { alarmFromNative, isNativeAlarm } from './cloudwatch-alarm.js';
import { httpsGetText } from './https-get.js';
import type { Mapped, ServiceMap } from './mapped.js';
import { answerFailures, header, keepRawBodies, parseJson, rawBody, refuse, withDelivery } from './reply.js';
import { parseSnsMessage, type SnsMessage, type SnsNotification } from './sns-message.js';
import { SNS_HOST, snsVerifier, trustedUrl } from './sns-verify.js';

/** Code-only trust settings (tests point them at a loopback HTTPS server); not config keys. */
export interface SnsTrustOptions {
  /** Hosts SigningCertURL and SubscribeURL may name; default SNS_HOST. */
  readonly certificateHosts?: RegExp;
  /** Extra trust for the HTTPS fetches (a test CA); default Node's bundled roots. */
  readonly ca?: string | Buffer;
  /** Replaces the HTTPS GET (called only for URLs that passed the host check). */
  readonly fetchText?: (url: URL) => Promise<string>;
  /** Messages whose Timestamp is older are refused; default 7 days, the delivery log's retention. */
  readonly maxAgeMs?: number;
}

export interface SnsRouteOptions {
  readonly store: IntakeStore & DeliveryStore;
  readonly topicArns: readonly string[];
  readonly serviceMap: ServiceMap;
  readonly trust?: SnsTrustOptions;
  readonly now: () => number;
}

const SKEW_MS = 15 * 60_000;

export function snsRoutes(o: SnsRouteOptions): FastifyPluginAsync {
  const hosts = o.trust?.certificateHosts ?? SNS_HOST;
  const ca = o.trust?.ca;
  const fetchText = o.trust?.fetchText ?? ((url: URL) => httpsGetText(url, ca ? { ca } : {}));
  const maxAgeMs = o.trust?.maxAgeMs ?? 7 * 86_400_000;
  const verify = snsVerifier({ hosts, fetchText, now: o.now });
  const topics = new Set(o.topicArns);

  return async (app) => {
    keepRawBodies(app);
    answerFailures(app);
    app.post('/webhooks/sns', async (req, reply) => {
      if (topics.size === 0)
        return refuse(
          reply,
          403,
          'E_SNS_DISABLED',
          'the SNS endpoint is disabled: list topic ARNs in changeEvents.snsTopicArns',
        );
      const body = parseJson(rawBody(req));
      if (body === undefined) return refuse(reply, 400, 'E_SNS_INVALID', 'body: not JSON');
      const parsed = parseSnsMessage(body);
      if (!parsed.ok) return refuse(reply, 400, 'E_SNS_INVALID', describeIssue(parsed.error));
      const m = parsed.message;
      const typeHeader = header(req, 'x-amz-sns-message-type');
      if (typeHeader && typeHeader !== m.Type)
        return refuse(reply, 400, 'E_SNS_INVALID', `x-amz-sns-message-type: ${typeHeader} but Type is ${m.Type}`);
      if (!topics.has(m.TopicArn))
        return refuse(reply, 403, 'E_SNS_TOPIC', `TopicArn: ${m.TopicArn} is not in changeEvents.snsTopicArns`);
      if (m.Type !== 'Notification' && !trustedUrl(m.SubscribeURL, hosts)) {
        return refuse(reply, 401, 'E_SNS_CERT_URL', 'SubscribeURL: not an https URL on an SNS host');
      }
      const verdict = await verify(m);
      if (!verdict.ok) {
        if (verdict.reason === 'unavailable') return refuse(reply, 502, 'E_SNS_CERT_UNAVAILABLE', verdict.message);
        return refuse(
          reply,
          401,
          verdict.reason === 'untrusted-url' ? 'E_SNS_CERT_URL' : 'E_SNS_SIGNATURE',
          verdict.message,
        );
      }
      const age = o.now() - Date.parse(m.Timestamp);
      if (age > maxAgeMs || age < -SKEW_MS)
        return refuse(reply, 401, 'E_SNS_STALE', `Timestamp: ${m.Timestamp} is outside the accepted window`);
      return withDelivery(o.store, { source: 'sns', id: m.MessageId, at: o.now(), code: 'E_SNS_REPLAY' }, reply, () =>
        handle(m, req, reply),
      );
    });
  };

  async function handle(m: SnsMessage, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (m.Type === 'Notification')
      return applyMapped(o.store, notificationContent(m, o.serviceMap), req, reply, 'E_SNS_INVALID');
    if (m.Type === 'UnsubscribeConfirmation') {
      req.log.warn({ topic: m.TopicArn }, 'SNS unsubscribed this endpoint; not resubscribing');
      void reply.status(200).send({ ok: true });
      return;
    }
    // The host was checked above; trustedUrl cannot fail here.
    const url = trustedUrl(m.SubscribeURL, hosts);
    try {
      if (url) await fetchText(url);
    } catch (err) {
      void refuse(reply, 502, 'E_SNS_CONFIRM', `confirming the subscription failed: ${(err as Error).message}`);
      return;
    }
    req.log.info({ topic: m.TopicArn }, 'SNS subscription confirmed');
    void reply.status(200).send({ confirmed: m.TopicArn });
  }
}

/** What a notification carries: an EventBridge event, a native alarm message, or something not tracked. */
export function notificationContent(m: SnsNotification, serviceMap: ServiceMap): Mapped {
  let inner: unknown;
  try {
    inner = JSON.parse(m.Message) as unknown;
  } catch {
    return { kind: 'ignored', reason: 'Message is not JSON' };
  }
  if (isNativeAlarm(inner)) return alarmFromNative(inner, 'Message');
  if (typeof inner === 'object' && inner !== null && 'detail-type' in inner)
    return mapEventBridgeEvent(inner, serviceMap, 'Message');
  return { kind: 'ignored', reason: 'Message is neither an EventBridge event nor a CloudWatch alarm' };
}
