/**
 * Which Vigil process is mid-batch right now: the one owning the client end
 * of a PostgreSQL backend that is running a query (pg_stat_activity's
 * client_port, matched to the process's sockets through /proc). Linux only,
 * like the rest of these tests.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import pg from 'pg';
import type { VigilProcess } from './vigil.js';

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m?.[1]) inodes.add(m[1]);
    } catch {
      /* closed meanwhile */
    }
  }
  return inodes;
}

/** Local TCP port -> socket inode, for IPv4 and IPv6 sockets. */
function portsByInode(): Map<string, number> {
  const out = new Map<string, number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      const inode = cols[9];
      if (!local || !inode) continue;
      out.set(inode, parseInt(local.split(':').pop()!, 16));
    }
  }
  return out;
}

/** The first of `candidates` with a query running in database `url`, or null. */
export async function busyProcess(url: string, candidates: readonly VigilProcess[]): Promise<VigilProcess | null> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  let ports: Set<number>;
  try {
    const rows = (
      await c.query<{ port: number }>(
        `SELECT client_port AS port FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')`,
      )
    ).rows;
    ports = new Set(rows.map((r) => r.port));
  } finally {
    await c.end();
  }
  if (ports.size === 0) return null;
  const byInode = portsByInode();
  for (const p of candidates) {
    for (const inode of socketInodes(p.pid)) {
      const port = byInode.get(inode);
      if (port !== undefined && ports.has(port)) return p;
    }
  }
  return null;
}
