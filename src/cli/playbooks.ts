/**
 * `vigil playbooks validate [dir]` and `vigil playbooks list [dir]` (dir
 * defaults to remediation.playbooksDir). validate prints every error as
 * file:line:col: field: message and exits 1 when any file is invalid;
 * list prints each valid playbook's name, approval, steps and title.
 * Effects: reads the directory. Failure modes: unreadable dir exits 1.
 */
import type { Command } from 'commander';
import { formatError, loadPlaybooks } from '../remediate/index.js';
import { configFromEnv, fail } from './context.js';

const dirOf = (dir: string | undefined) => dir ?? configFromEnv().remediation.playbooksDir;

export function register(program: Command): void {
  const playbooks = program.command('playbooks').description('Remediation playbooks: validate and list');
  playbooks
    .command('validate [dir]')
    .description('Check every playbook (schema, action params); exit 1 listing all errors')
    .action(async (dir?: string) => {
      try {
        const { playbooks: ok, errors } = await loadPlaybooks(dirOf(dir));
        for (const e of errors) process.stderr.write(`${formatError(e)}\n`);
        const bad = new Set(errors.map((e) => e.file)).size;
        process.stdout.write(
          `${ok.length} playbooks valid${bad ? `, ${bad} files invalid (${errors.length} errors)` : ''}\n`,
        );
        if (bad) process.exitCode = 1;
      } catch (err) {
        fail(err);
      }
    });
  playbooks
    .command('list [dir]')
    .description('List the valid playbooks')
    .action(async (dir?: string) => {
      try {
        const { playbooks: ok, errors } = await loadPlaybooks(dirOf(dir));
        for (const p of ok) {
          const writes = p.steps.filter((s) => s.effect === 'write').length;
          process.stdout.write(
            `${p.name.padEnd(32)} ${p.policy.approval.padEnd(5)} ${String(p.steps.length).padStart(2)} steps (${writes} write)  ${p.title}\n`,
          );
        }
        if (errors.length) process.stderr.write(`${errors.length} errors: run vigil playbooks validate\n`);
      } catch (err) {
        fail(err);
      }
    });
}
