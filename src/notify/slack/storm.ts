/**
 * Storm mode: beyond `perMinute` top-level posts in a channel within a
 * minute (incidents, verdicts, digests), further ones go into one summary
 * message per channel and minute. In memory (a restart starts counting afresh). Pure apart from the
 * clock passed in.
 */
export interface StormSummary {
  /** Channel id and ts of the summary message. */
  readonly channel: string;
  readonly ts: string;
  readonly startedAt: number;
  readonly lines: string[];
}

const MINUTE = 60_000;

export class StormGuard {
  private readonly posts = new Map<string, number[]>();
  private readonly summaries = new Map<string, StormSummary>();

  constructor(private readonly perMinute: number) {}

  /** True when one more post fits in the channel's last minute (and counts it). */
  admit(channel: string, now: number): boolean {
    const recent = (this.posts.get(channel) ?? []).filter((t) => now - t < MINUTE);
    const ok = recent.length < this.perMinute;
    if (ok) recent.push(now);
    this.posts.set(channel, recent);
    return ok;
  }

  /** Takes back a post `admit` counted at `at` that did not land (Slack refused it): it made no noise in the channel. */
  forget(channel: string, at: number): void {
    const recent = this.posts.get(channel) ?? [];
    const i = recent.lastIndexOf(at);
    if (i >= 0) recent.splice(i, 1);
  }

  /** The channel's summary message of the current minute, if one is posted. */
  current(channel: string, now: number): StormSummary | null {
    const s = this.summaries.get(channel);
    return s && now - s.startedAt < MINUTE ? s : null;
  }

  remember(channel: string, summary: StormSummary): void {
    this.summaries.set(channel, summary);
  }
}

export function summaryText(lines: readonly string[]): string {
  return `:rotating_light: *Incident storm*: ${lines.length} more new message${lines.length === 1 ? '' : 's'} (incidents, deploy verdicts) in this channel within a minute; posting one summary instead of ${lines.length} posts.\n${lines.map((l) => `• ${l}`).join('\n')}`;
}
