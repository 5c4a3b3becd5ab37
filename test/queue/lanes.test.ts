import { checkLanes, laneOf, lanesOwned, laneQueueName, MAX_LANES } from '../../src/queue/lanes.js';

const query = (id: string, shard?: number) => ({ sourceId: 'push', id, ...(shard === undefined ? {} : { shard }) });

describe('pull lanes', () => {
  it('puts shards of a source in consecutive lanes, so they spread evenly', () => {
    const lanes = Array.from({ length: 8 }, (_, i) => laneOf(query(`push:${i + 1}of8`, i), 4));
    expect(lanes).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
  });

  it('puts a query without a shard in a lane by its id: always the same one, within range', () => {
    for (const id of ['cpu_user', 'node_load1', 'sim:checkout', 'a-very-long-query-id-'.repeat(5)]) {
      const lane = laneOf({ sourceId: 'prometheus', id }, 8);
      expect(lane).toBeGreaterThanOrEqual(0);
      expect(lane).toBeLessThan(8);
      expect(laneOf({ sourceId: 'prometheus', id }, 8)).toBe(lane);
    }
    const spread = new Set(Array.from({ length: 64 }, (_, i) => laneOf({ sourceId: 'sim', id: `q${i}` }, 8)));
    expect(spread.size).toBe(8);
  });

  it('has one lane, 0, when lanes are off', () => {
    expect(laneOf(query('push:3of4', 2), 1)).toBe(0);
    expect(laneOf({ sourceId: 'sim', id: 'x' }, 1)).toBe(0);
  });

  it('gives every lane to exactly one member, evenly, the same split whatever order members are listed in', () => {
    const members = ['host:42:b', 'host:7:a', 'other:1:c'];
    const split = members.map((m) => lanesOwned([...members].reverse(), m, 8));
    expect(split.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const sizes = split.map((s) => s.length).sort();
    expect(sizes).toEqual([2, 3, 3]);
    expect(members.map((m) => lanesOwned(members, m, 8))).toEqual(split);
  });

  it('counts a member live when its own heartbeat is missing from the list', () => {
    expect(lanesOwned([], 'me', 4)).toEqual([0, 1, 2, 3]);
    expect(lanesOwned(['you'], 'me', 4)).toEqual([0, 2]);
    expect(lanesOwned(['you'], 'you', 4)).toEqual([0, 1, 2, 3]);
  });

  it('gives members beyond the lane count nothing', () => {
    expect(lanesOwned(['a', 'b', 'c'], 'c', 2)).toEqual([]);
  });

  it('keeps the plain queue name for lane 0', () => {
    expect(laneQueueName('pull', 0)).toBe('pull');
    expect(laneQueueName('pull', 5)).toBe('pull-lane-5');
  });

  it('refuses lane counts outside 1..MAX_LANES', () => {
    for (const bad of [0, -1, 1.5, MAX_LANES + 1, Number.NaN]) expect(() => checkLanes(bad)).toThrow(/lanes must be/);
    expect(checkLanes(MAX_LANES)).toBe(MAX_LANES);
  });
});
