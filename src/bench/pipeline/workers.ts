/**
 * Starts `vigil worker` child processes for a run on PostgreSQL + Redis,
 * each with its own metrics port, and waits until each answers /healthz.
 * Inputs: the command to run (`bin`, as `node <bin> worker`) and the
 * environment every worker shares. Effects: child processes and loopback
 * ports; `stop()` sends SIGTERM (the worker finishes running jobs) and waits
 * for the exit. Failure modes: E_BENCH_WORKER when a worker exits or does not
 * answer within `readyMs`, with the end of its stderr (the other workers are
 * stopped first); later, reading the metrics of a worker that died throws
 * E_BENCH_WORKER with its exit code and the end of its stderr.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { VigilError } from '../../domain/errors.js';
import type { BenchProcess } from './types.js';

export interface SpawnedWorker extends BenchProcess {
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  if (typeof address !== 'object' || address === null)
    throw new VigilError('E_BENCH_WORKER', 'could not find a free loopback port');
  return address.port;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((r) => child.once('exit', () => r()));
}

async function startOne(n: number, bin: string, env: NodeJS.ProcessEnv, readyMs: number): Promise<SpawnedWorker> {
  const port = await freePort();
  const child = spawn(process.execPath, [bin, 'worker'], {
    env: { ...env, VIGIL_WORKER_METRICS_PORT: String(port), VIGIL_HTTP_HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-16_000);
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited(child);
  };
  const deadline = Date.now() + readyMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new VigilError(
        'E_BENCH_WORKER',
        `worker ${n} exited (${child.exitCode ?? child.signalCode}) before it was ready: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
      );
    }
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new VigilError(
        'E_BENCH_WORKER',
        `worker ${n} did not answer ${url}/healthz within ${readyMs / 1000} s: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const tail = () => {
    const lines = stderr.trim().split('\n');
    return lines.find((l) => /FATAL|out of memory/i.test(l)) ?? lines.slice(-3).join(' | ');
  };
  return {
    role: `worker ${n}`,
    pid: child.pid ?? 0,
    metrics: async () => {
      try {
        return await (await fetch(`${url}/metrics`)).text();
      } catch (err) {
        // A worker that died (out of memory, a crash) says why on stderr; give that rather than a refused connection.
        await Promise.race([exited(child), new Promise((r) => setTimeout(r, 2000))]);
        const how = child.exitCode ?? child.signalCode;
        throw new VigilError(
          'E_BENCH_WORKER',
          how === null
            ? `worker ${n} did not answer ${url}/metrics: ${(err as Error).message}`
            : `worker ${n} (pid ${child.pid}) exited (${how}) during the run: ${tail()}`,
          false,
          { cause: err },
        );
      }
    },
    stop,
  };
}

export async function spawnWorkers(
  count: number,
  o: { readonly bin: string; readonly env: NodeJS.ProcessEnv; readonly readyMs?: number },
): Promise<SpawnedWorker[]> {
  const started = await Promise.allSettled(
    Array.from({ length: count }, (_, i) => startOne(i + 1, o.bin, o.env, o.readyMs ?? 120_000)),
  );
  const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failure = started.find((s) => s.status === 'rejected');
  if (failure) {
    await Promise.all(workers.map((w) => w.stop()));
    throw failure.reason;
  }
  return workers;
}
