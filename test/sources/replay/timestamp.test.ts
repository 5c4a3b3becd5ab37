import { parseTimestamp } from '../../../src/sources/replay/index.js';

describe('parseTimestamp', () => {
  const t = Date.UTC(2024, 0, 2, 3, 4, 5);
  it.each([
    ['2024-01-02T03:04:05Z', t],
    ['2024-01-02T03:04:05', t], // no zone: UTC, not local time
    ['2024-01-02 03:04:05', t],
    ['2024-01-02T03:04:05.250Z', t + 250],
    ['2024-01-02T05:04:05+02:00', t],
    ['2024-01-02T01:04:05-0200', t],
    ['2024-01-02 03:04', t - 5000],
    ['2024-01-02', Date.UTC(2024, 0, 2)],
    [String(t / 1000), t], // epoch seconds
    [String(t), t], // epoch ms
    ['1704164645.5', t + 500],
  ])('reads %s', (text, expected) => {
    expect(parseTimestamp(text)).toBe(expected);
  });

  it.each([
    '',
    'yesterday',
    '2024-13-01',
    '2023-02-29',
    '2024-01-02T25:00:00',
    '2024/01/02 03:04:05',
    '2024-01-02T03:04:05+25:00',
    '1e9',
  ])('rejects %j', (text) => {
    expect(parseTimestamp(text)).toBeNull();
  });

  it('accepts 29 February in a leap year', () => {
    expect(parseTimestamp('2024-02-29 00:00:00')).toBe(Date.UTC(2024, 1, 29));
  });
});
