/** The Store conformance suite on embedded PGlite: in memory, and in a fresh directory (incl. reopen). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { storeConformance } from './conformance.js';
import { eventsConformance } from './events.conformance.js';
import { remediationConformance } from './remediation.conformance.js';
import { slackStoreConformance } from './slack.conformance.js';

const tmp = mkdtempSync(join(tmpdir(), 'vigil-pglite-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

storeConformance('PGlite in memory', () => openStore({ dataDir: 'memory://' }));
eventsConformance('PGlite in memory', () => openStore({ dataDir: 'memory://' }));
remediationConformance('PGlite in memory', () => openStore({ dataDir: 'memory://' }));

// The parent directories do not exist yet: openStore creates them.
storeConformance(
  'PGlite in a directory',
  () => openStore({ databaseUrl: null, dataDir: join(tmp, 'nested', 'pglite') }),
  { persistent: true },
);

slackStoreConformance('PGlite in memory', () => openStore({ dataDir: 'memory://' }));
