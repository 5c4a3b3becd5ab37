/**
 * `npx vigil demo` on a real terminal (a pseudo-terminal from util-linux
 * `script`), where the progress bar is drawn. Regression: the bar buffered
 * the incident lines until a timed redraw that never came while the demo ran
 * flat out, and dropped them at stop(): a newcomer saw no incident at all.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cleanEnv } from './support/env.js';

const BIN = resolve('bin/vigil.js');

describe('vigil demo on a terminal', () => {
  it('shows every incident as it opens, then the summary, and exits', async () => {
    // The smallest demo: one service, the shortest span.
    const command = `${process.execPath} ${BIN} demo --duration 30m --seed 2 --services 1`;
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: mkdtempSync(join(tmpdir(), 'vigil-tty-')),
      env: cleanEnv({ TERM: 'xterm' }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    child.stdout.on('data', (d) => {
      screen += String(d);
    });
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(0);
    const summary = /Summary: [\d,]+ points scored, [\d,]+ anomalies, (\d+) incidents/.exec(screen);
    expect(summary).not.toBeNull();
    const incidents = Number(summary?.[1]);
    expect(incidents).toBeGreaterThan(0);
    expect(screen.match(/OPENED/g)?.length).toBe(incidents);
    // Shown while the demo ran, not held back and flushed after the summary.
    const before = screen.slice(0, summary?.index);
    expect(before.match(/OPENED/g)?.length).toBe(incidents);
    const opened = [...screen.slice(summary?.index).matchAll(/-> (inc-\S+), opened/g)].map((m) => m[1]);
    expect(opened.length).toBeGreaterThan(0);
    for (const id of opened) expect(before).toContain(`incident ${id}`);
  }, 240_000);
});
