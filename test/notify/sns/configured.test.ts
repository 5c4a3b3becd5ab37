import { configSchema } from '../../../src/config/schema.js';
import { configuredNotifiers } from '../../../src/compose/notifiers.js';
import { openStore, type Store } from '../../../src/store/index.js';

const log = { info: () => {}, warn: () => {}, error: () => {} };
let store: Store;
beforeAll(async () => {
  store = await openStore({ dataDir: 'memory://' });
});
afterAll(async () => {
  await store.close();
});

describe('configuredNotifiers and SNS', () => {
  it('adds the SNS notifier only when a topic is configured', async () => {
    const off = configSchema.parse({});
    expect((await configuredNotifiers(off, { store, log })).map((n) => n.name)).toEqual(['console']);
    const on = configSchema.parse({
      notify: { sns: { topicArn: 'arn:aws:sns:eu-west-1:123456789012:vigil-incidents' } },
    });
    expect((await configuredNotifiers(on, { store, log })).map((n) => n.name)).toEqual(['console', 'sns']);
  });
});
