/**
 * `vigil start` and `vigil worker` as real child processes (bin/vigil.js, as
 * a user runs them), in a temporary working directory holding a vigil.yaml,
 * with a clean environment plus what the test passes. Their JSON log lines
 * (stderr) are kept, so a test can wait for a line or count them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cleanEnv } from '../../cli/support/env.js';
import { waitFor } from './services.js';

const BIN = resolve('bin/vigil.js');

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [k: string]: unknown;
}

export interface VigilProcess {
  readonly name: string;
  readonly pid: number;
  /** Parsed JSON log lines so far (non-JSON output is in `text()`). */
  lines(): LogLine[];
  text(): string;
  /** Resolves with the first log line matching, waiting up to `timeoutMs`. */
  waitForLine(what: RegExp, timeoutMs?: number): Promise<LogLine>;
  /** True while the process has not exited. */
  running(): boolean;
  /** SIGKILL (kill -9); resolves once it is gone. */
  kill(): Promise<void>;
  /** SIGTERM; resolves with the exit code once it is gone. */
  stop(): Promise<number | null>;
  readonly exited: Promise<number | null>;
}

/** A working directory whose vigil.yaml is `yaml`. */
export function workDir(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-fault-'));
  writeFileSync(join(dir, 'vigil.yaml'), yaml);
  return dir;
}

export function spawnVigil(
  name: string,
  command: 'start' | 'worker',
  cwd: string,
  env: Record<string, string>,
): VigilProcess {
  const child: ChildProcess = spawn(process.execPath, [BIN, command], {
    cwd,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const parsed: LogLine[] = [];
  let partial = '';
  const take = (d: Buffer) => {
    const s = String(d);
    text += s;
    partial += s;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const p of parts) {
      if (!p.startsWith('{')) continue;
      try {
        parsed.push(JSON.parse(p) as LogLine);
      } catch {
        /* not a log line */
      }
    }
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    name,
    pid: child.pid!,
    exited,
    lines: () => parsed,
    running: () => child.exitCode === null && child.signalCode === null,
    text: () => text,
    waitForLine: (what, timeoutMs = 60_000) =>
      waitFor(
        `${name} to log ${what}`,
        () => {
          if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${text.slice(-3000)}`);
          return parsed.find((l) => what.test(l.msg));
        },
        timeoutMs,
      ),
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
