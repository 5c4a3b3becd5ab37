/**
 * Runs one executable with an argv array, never through a shell: every
 * argument reaches the program as one literal string. Effects: a child
 * process, killed when `signal` aborts. Failure modes: a non-zero exit, a
 * missing executable or an abort give ok=false with the reason; output is
 * kept to the last 2,000 characters.
 */
import { execFile } from 'node:child_process';

export interface ExecResult {
  readonly ok: boolean;
  readonly code: number | null;
  readonly output: string;
}

const tail = (s: string) => (s.length > 2000 ? `…${s.slice(-2000)}` : s);

export function runArgv(file: string, args: readonly string[], signal: AbortSignal): Promise<ExecResult> {
  return new Promise((resolve) => {
    // The environment is passed through, not read: the child (and its PATH lookup) sees exactly this process's.
    // eslint-disable-next-line no-restricted-syntax
    const env = process.env;
    execFile(
      file,
      [...args],
      { shell: false, env, signal, maxBuffer: 1 << 20, windowsHide: true },
      (err, stdout, stderr) => {
        const output = tail(`${stdout}${stderr}`.trim());
        if (!err) return resolve({ ok: true, code: 0, output });
        const code = typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null;
        resolve({ ok: false, code, output: output || err.message });
      },
    );
  });
}
