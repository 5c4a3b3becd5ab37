/** The Notifier conformance suite on the console notifier, writing to an in-memory stream. */
import { PassThrough } from 'node:stream';
import { createConsoleNotifier } from '../../../src/notify/console/index.js';
import { notifierConformance } from '../conformance.js';

const out = new PassThrough();
const written: string[] = [];
out.on('data', (b: Buffer) => written.push(b.toString()));

notifierConformance('console', async () => createConsoleNotifier(out), { verdicts: false });

// Runs after the suite (definition order): its sends reached the stream.
test('the console notifier wrote what it answered ok for', () => {
  expect(written.join('')).toContain('inc_conf_');
});
