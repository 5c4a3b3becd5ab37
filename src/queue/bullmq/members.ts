/**
 * Who consumes a laned job name right now: each consuming process beats a
 * heartbeat into one sorted set under the prefix (member id -> Redis server
 * time of its last beat), and reads back the members whose last beat is
 * younger than `ttlMs`. Redis's own clock stamps every beat, so clocks of
 * the machines never matter. A process that stops removes itself at once;
 * one that dies (kill -9) drops out `ttlMs` after its last beat, and the
 * others take its lanes (its held jobs come back as stalled ones).
 * Effects: one small Lua script per beat. Failure modes: a beat that fails
 * (Redis down) goes to `onError` and keeps the last known members; `onChange`
 * runs only on a change, from the second answer on (a process joining takes
 * no lane until every member has had a beat to see it, and it them).
 */
import type { Redis } from 'ioredis';

/** Stamps `ARGV[1]` now, forgets members older than `ARGV[2]` ms, returns the rest. */
const BEAT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 10)
return redis.call('ZRANGE', KEYS[1], 0, -1)
`;

export interface MembersOptions {
  readonly key: string;
  readonly self: string;
  /** Time between beats, in ms. */
  readonly beatMs: number;
  /** A member not heard of for this long is gone, in ms (several beats). */
  readonly ttlMs: number;
  readonly onChange: (members: readonly string[]) => void;
  /** A beat failed (Redis down, or a script error): reported, and the next beat tries again. */
  readonly onError: (err: Error) => void;
}

export class Members {
  private timer: NodeJS.Timeout | undefined;
  private last = '';
  private answered = 0;
  private stopped = false;
  private beating: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: Redis,
    private readonly o: MembersOptions,
  ) {}

  start(): void {
    this.beating = this.beat();
  }

  /**
   * Stops beating and removes this member, so the others take its lanes now
   * rather than after `ttlMs`. Waits at most `leaveMs` for Redis: when it is
   * down the entry expires on its own.
   */
  async stop(leaveMs = 1000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const leave = this.beating.then(() => this.client.zrem(this.o.key, this.o.self)).catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, leaveMs);
    });
    await Promise.race([leave, late]);
    clearTimeout(timer);
  }

  private async beat(): Promise<void> {
    if (this.stopped) return;
    try {
      const members = (await this.client.eval(BEAT, 1, this.o.key, this.o.self, String(this.o.ttlMs))) as string[];
      const sorted = [...members].sort();
      const id = sorted.join('\n');
      // The first answer is not acted on: processes started together have not all beaten yet,
      // and each would take lanes it gives up a beat later (its detectors then move twice).
      this.answered++;
      if (!this.stopped && this.answered > 1 && id !== this.last) {
        this.o.onChange(sorted);
        this.last = id;
      }
    } catch (err) {
      // Keep the last members; the next beat tries again.
      this.o.onError(err instanceof Error ? err : new Error(String(err)));
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.beating = this.beat();
    }, this.o.beatMs);
    this.timer.unref();
  }
}
