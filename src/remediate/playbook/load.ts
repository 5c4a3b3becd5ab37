/**
 * Loads playbooks/*.yaml: YAML syntax, the playbook schema, then every
 * step's params against its action's own schema. Inputs: a directory.
 * Effects: reads files. Never throws for a bad playbook: each problem is a
 * PlaybookError naming file, line, column and field, and the valid
 * playbooks still load. Failure modes: an unreadable directory rejects.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ACTIONS } from '../actions/index.js';
import { locate } from './locate.js';
import { playbookSchema, type Playbook } from './schema.js';

export interface PlaybookError {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Dotted path of the field, e.g. steps.0.params.service ('' for the whole file). */
  readonly field: string;
  readonly message: string;
}

export interface LoadedPlaybooks {
  readonly playbooks: readonly Playbook[];
  readonly files: ReadonlyMap<string, string>;
  readonly errors: readonly PlaybookError[];
}

export function formatError(e: PlaybookError): string {
  return `${e.file}:${e.line}:${e.col}: ${e.field || '(file)'}: ${e.message}`;
}

/** Parses and validates one playbook file's text. */
export function parsePlaybook(file: string, text: string): { playbook: Playbook | null; errors: PlaybookError[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      playbook: null,
      errors: doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return { file, line: pos.line, col: pos.col, field: '', message: `YAML: ${e.message.split('\n')[0]}` };
      }),
    };
  }
  const issuesToErrors = (issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]): PlaybookError[] =>
    issues.flatMap((issue) => {
      const path = [...prefix, ...issue.path];
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
      return keys.map((key) => {
        const pos = locate(doc, lines, path, key);
        const field = [...path, ...(key !== undefined ? [key] : [])].map(String).join('.');
        const message = issue.code === 'unrecognized_keys' ? `unknown field "${key}"` : issue.message;
        return { file, line: pos.line, col: pos.col, field, message };
      });
    });

  const raw: unknown = doc.toJS();
  const parsed = playbookSchema.safeParse(raw);
  const errors = parsed.success ? [] : issuesToErrors(parsed.error.issues, []);
  // Step params are checked even when the rest is invalid, so one run lists every error.
  const steps = (raw as { steps?: unknown } | null)?.steps;
  (Array.isArray(steps) ? steps : []).forEach((step: unknown, i) => {
    const s = step as { action?: unknown; params?: unknown; revert?: { action?: unknown; params?: unknown } } | null;
    const checks: Array<[unknown, unknown, PropertyKey[]]> = [[s?.action, s?.params ?? {}, ['steps', i, 'params']]];
    if (s?.revert) checks.push([s.revert.action, s.revert.params ?? {}, ['steps', i, 'revert', 'params']]);
    for (const [name, params, at] of checks) {
      const action =
        typeof name === 'string' && Object.hasOwn(ACTIONS, name) ? ACTIONS[name as keyof typeof ACTIONS] : null;
      const result = action?.params.safeParse(params);
      if (result && !result.success) errors.push(...issuesToErrors(result.error.issues, at));
    }
  });
  errors.sort((a, b) => a.line - b.line || a.col - b.col);
  return parsed.success && errors.length === 0 ? { playbook: parsed.data, errors } : { playbook: null, errors };
}

/** Every *.yaml / *.yml in `dir`, sorted by name; a name used by two files is an error in the second. */
export async function loadPlaybooks(dir: string): Promise<LoadedPlaybooks> {
  const names = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  const playbooks: Playbook[] = [];
  const files = new Map<string, string>();
  const errors: PlaybookError[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const result = parsePlaybook(file, await readFile(file, 'utf8'));
    errors.push(...result.errors);
    if (!result.playbook) continue;
    const first = files.get(result.playbook.name);
    if (first) {
      errors.push({
        file,
        line: 1,
        col: 1,
        field: 'name',
        message: `playbook name "${result.playbook.name}" is already used by ${first}`,
      });
      continue;
    }
    files.set(result.playbook.name, file);
    playbooks.push(result.playbook);
  }
  return { playbooks, files, errors };
}
