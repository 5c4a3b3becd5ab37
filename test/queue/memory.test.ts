import { openQueue } from '../../src/queue/index.js';
import { MemoryQueue } from '../../src/queue/memory/index.js';
import { queueConformance } from './conformance.js';

// A 5 ms base backoff keeps retry tests quick; the production default is 1 s.
queueConformance('memory', async () => new MemoryQueue({ backoffMs: 5 }));

describe('memory queue', () => {
  it('is what openQueue returns without a Redis URL', async () => {
    for (const redisUrl of [undefined, null, '']) {
      const q = await openQueue({ redisUrl });
      expect(q.backend).toBe('memory');
      await q.close();
    }
  });

  it('hands each job its own copy of the payload', async () => {
    const q = new MemoryQueue();
    const payload = { incidentId: 'inc-1', event: 'opened' as const, notifier: 'console' };
    const seen: unknown[] = [];
    q.process('notify', async (p) => {
      seen.push(p);
    });
    await q.enqueue('notify', payload);
    (payload as { incidentId: string }).incidentId = 'changed later';
    await q.whenIdle();
    expect(seen).toEqual([{ incidentId: 'inc-1', event: 'opened', notifier: 'console' }]);
    await q.close();
  });

  it('rejects a payload that is not plain JSON', async () => {
    const q = new MemoryQueue();
    const cyclic: Record<string, unknown> = { incidentId: 'x', event: 'opened', notifier: 'console' };
    cyclic.self = cyclic;
    await expect(q.enqueue('notify', cyclic as never)).rejects.toMatchObject({ code: 'E_QUEUE_PAYLOAD' });
    await q.close();
  });
});
