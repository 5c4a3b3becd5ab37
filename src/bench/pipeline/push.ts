/**
 * Sends the run's data through the real ingestion path, POST /api/v1/metrics,
 * minute after minute: the bodies of one minute go out `concurrency` at a
 * time, and the next minute starts only when all of them were answered, so
 * every series' points arrive in time order, as the API requires.
 * Effects: HTTP requests. Contract: a body's arrival time is when its
 * request was sent (the last try's), so latencies measured from it include
 * the push API's own time and are never shortened by the answer's way back
 * (a point can be scored before its 202 is read). Failure modes: a 503 is retried
 * after its Retry-After (at most 5 times); any other answer but 202 throws
 * E_BENCH_PUSH with the status and the server's message.
 */
import { VigilError } from '../../domain/errors.js';
import type { PushBody } from '../../sources/push/index.js';

export interface Arrival {
  /** when the request was sent */
  readonly at: number;
  /** when its 202 was read */
  readonly answeredAt: number;
  readonly minute: number;
  readonly chunk: number;
  readonly accepted: number;
  readonly duplicates: number;
}

const MAX_RETRIES = 5;

async function pushOne(
  url: string,
  token: string,
  body: PushBody,
): Promise<{ sentAt: number; accepted: number; duplicates: number }> {
  for (let attempt = 0; ; attempt++) {
    const sentAt = Date.now();
    const res = await fetch(`${url}/api/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status === 202) {
      const answer = JSON.parse(text) as { accepted?: unknown; duplicates?: unknown };
      if (typeof answer.accepted !== 'number' || typeof answer.duplicates !== 'number') {
        throw new VigilError('E_BENCH_PUSH', `the push API answered 202 without counts: ${text.slice(0, 200)}`);
      }
      return { sentAt, accepted: answer.accepted, duplicates: answer.duplicates };
    }
    if (res.status === 503 && attempt < MAX_RETRIES) {
      const wait = Number(res.headers.get('retry-after') ?? '1');
      await new Promise((r) => setTimeout(r, (Number.isFinite(wait) ? wait : 1) * 1000));
      continue;
    }
    throw new VigilError('E_BENCH_PUSH', `the push API answered ${res.status}: ${text.slice(0, 300)}`);
  }
}

/** Pushes one minute's bodies; calls `onArrival` as each is answered and resolves with one Arrival per body. */
export async function pushMinute(
  url: string,
  token: string,
  minute: number,
  bodies: readonly PushBody[],
  concurrency: number,
  onArrival: (a: Arrival) => void = () => undefined,
): Promise<Arrival[]> {
  const arrivals: Arrival[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < bodies.length) {
      const chunk = next++;
      const { sentAt, accepted, duplicates } = await pushOne(url, token, bodies[chunk]!);
      const arrival = { at: sentAt, answeredAt: Date.now(), minute, chunk, accepted, duplicates };
      arrivals.push(arrival);
      onArrival(arrival);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, bodies.length)) }, lane));
  return arrivals;
}
