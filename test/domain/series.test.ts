import { seriesKey } from '../../src/domain/index.js';

describe('seriesKey', () => {
  it('does not depend on label order', () => {
    expect(seriesKey('sim', 'cpu', { b: '2', a: '1' })).toBe(seriesKey('sim', 'cpu', { a: '1', b: '2' }));
  });
  it('keeps values with separators apart', () => {
    expect(seriesKey('sim', 'cpu', { a: '1,b=2' })).not.toBe(seriesKey('sim', 'cpu', { a: '1', b: '2' }));
  });
});
