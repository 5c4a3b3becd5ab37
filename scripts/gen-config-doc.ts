/**
 * Regenerates docs/configuration.md from the config schema and the
 * environment mapping (scripts/config-doc.ts). A test fails when the
 * committed file differs from what this writes.
 *
 *   npm run docs:config
 */
import { writeFileSync } from 'node:fs';
import { renderConfigDoc } from './config-doc.js';

const out = new URL('../docs/configuration.md', import.meta.url);
writeFileSync(out, renderConfigDoc());
process.stdout.write(`wrote ${out.pathname}\n`);
