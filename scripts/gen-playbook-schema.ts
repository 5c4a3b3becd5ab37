/**
 * Regenerates playbooks/playbook.schema.json (editor completion for playbook
 * YAML) from the zod schema in src/remediate/playbook/schema.ts. A test fails
 * when the committed file differs from what this writes.
 *
 *   npx tsx scripts/gen-playbook-schema.ts
 */
import { writeFileSync } from 'node:fs';
import { playbookJsonSchema } from '../src/remediate/index.js';

const out = new URL('../playbooks/playbook.schema.json', import.meta.url);
writeFileSync(out, `${JSON.stringify(playbookJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${out.pathname}\n`);
