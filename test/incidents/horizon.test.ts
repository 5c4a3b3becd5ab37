import { Horizon } from '../../src/incidents/index.js';

describe('Horizon', () => {
  it('is known as far as the least advanced fresh series of the services', () => {
    const h = new Horizon();
    h.scored('a:lat', 'a', 120);
    h.scored('a:cpu', 'a', 60);
    h.scored('b:lat', 'b', 30);
    expect(h.through(['a'], 0)).toBe(60);
    expect(h.through(['a', 'b'], 0)).toBe(30);
    h.scored('a:cpu', 'a', 120);
    h.scored('a:cpu', 'a', 90); // never goes back
    expect(h.through(['a'], 0)).toBe(120);
  });
  it('leaves out series silent since before `freshSince`, and knows nothing of services it has not seen', () => {
    const h = new Horizon();
    h.scored('a:lat', 'a', 120);
    h.scored('a:old', 'a', 10);
    expect(h.through(['a'], 100)).toBe(120);
    expect(h.through(['c'], 0)).toBeNull();
  });
  it('remembers how far a key has run', () => {
    const h = new Horizon();
    expect(h.doneThrough('a')).toBeUndefined();
    h.advance('a', 50);
    h.advance('a', 40);
    expect(h.doneThrough('a')).toBe(50);
  });
});
