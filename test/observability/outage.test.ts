import { createOutageLog } from '../../src/observability/index.js';

function recorder() {
  const lines: Array<{ level: string; msg: string; obj: Record<string, unknown> }> = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg: string) => {
    lines.push({ level, msg, obj });
  };
  return { lines, log: { error: at('error'), warn: at('warn') } as never };
}

describe('outage log', () => {
  it('logs one line when a dependency goes down and one when it recovers, with the count in between', () => {
    const { lines, log } = recorder();
    let t = 1_000_000;
    const outage = createOutageLog(log, () => t);
    outage.ok('store');
    expect(lines).toEqual([]);
    for (let i = 0; i < 3992; i++)
      outage.failed('store', { code: 'E_STORE_UNAVAILABLE', message: 'store: connect ECONNREFUSED' });
    t += 20_000;
    outage.ok('store');
    outage.ok('store');
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['error', 'store unavailable (E_STORE_UNAVAILABLE); affected work is retried, and recovery will be logged'],
      ['warn', 'store recovered after 20s; 3992 operations failed meanwhile and are retried'],
    ]);
  });

  it('keeps dependencies apart and logs a second outage again', () => {
    const { lines, log } = recorder();
    const outage = createOutageLog(log, () => 0);
    outage.failed('store', { code: 'E_STORE_UNAVAILABLE', message: 'x' });
    outage.failed('redis', { code: 'E_QUEUE_UNAVAILABLE', message: 'y' });
    outage.ok('store');
    outage.failed('store', { code: 'E_STORE_UNAVAILABLE', message: 'x' });
    expect(lines.map((l) => `${l.level} ${String(l.obj.dependency)}`)).toEqual([
      'error store',
      'error redis',
      'warn store',
      'error store',
    ]);
  });
});
