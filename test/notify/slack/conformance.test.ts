/**
 * The Notifier conformance suite on the Slack notifier over real HTTP against
 * the loopback fake Web API. Slack documents one message per incident,
 * edited in place, and announces deploy verdicts. The four store calls it
 * makes are kept in a Map (notifier.test.ts runs it on the embedded store;
 * opening one here would cost seconds for nothing this suite checks).
 */
import { silentLogger } from '../../../src/observability/index.js';
import { createRouter, createSlackClient, createSlackNotifier } from '../../../src/notify/slack/index.js';
import type { NotificationRef } from '../../../src/store/types.js';
import { notifierConformance } from '../conformance.js';
import { startFakeSlack, type FakeSlack } from './fake-slack.js';

const refs = new Map<string, NotificationRef>();
const store = {
  getNotificationRef: async (notifier: string, incidentId: string) => refs.get(`${notifier}/${incidentId}`) ?? null,
  saveNotificationRef: async (notifier: string, incidentId: string, ref: NotificationRef) => {
    refs.set(`${notifier}/${incidentId}`, ref);
  },
  listFeedback: async () => [],
  listIncidents: async () => [],
};
let slack: FakeSlack;
const ready = startFakeSlack().then((s) => {
  slack = s;
});
afterAll(async () => {
  await ready;
  await slack.close();
});

const T0 = Date.UTC(2026, 0, 5, 10);
function notifier(token = 'xoxb-test', apiUrl?: string) {
  return createSlackNotifier({
    client: createSlackClient({ token, apiUrl: apiUrl ?? slack.apiUrl }),
    store,
    log: silentLogger(),
    stormPerMinute: 100,
    now: () => T0,
    maxRateLimitWaitMs: 0,
    route: createRouter([], '#alerts'),
  });
}

notifierConformance(
  'slack',
  async () => {
    await ready;
    return notifier();
  },
  {
    editsInPlace: true,
    verdicts: true,
    failures: [
      {
        name: 'a revoked token (invalid_auth)',
        retryable: false,
        arrange: async () => {
          slack.refuseToken('xoxb-revoked');
          return notifier('xoxb-revoked');
        },
      },
      {
        name: 'a 429 longer than it may wait',
        retryable: true,
        arrange: async () => {
          slack.rateLimitNext('chat.postMessage', 30);
          return notifier();
        },
      },
      {
        name: 'Slack unreachable',
        retryable: true,
        arrange: async () => notifier('xoxb-test', 'http://127.0.0.1:1/api/'),
      },
    ],
  },
);
