import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VigilError } from '../../../src/domain/index.js';
import { loadNab } from '../../../src/bench/nab/data.js';
import { parseNabTimestamp } from '../../../src/bench/nab/timestamp.js';
import { rowsOf, tempDir, writeNab } from '../support/fixture.js';

async function errorOf(p: Promise<unknown>): Promise<VigilError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(VigilError);
    expect((err as VigilError).code).toBe('E_NAB_DATA');
    return err as VigilError;
  }
  throw new Error('expected E_NAB_DATA');
}

describe('parseNabTimestamp', () => {
  it('reads data and label forms as UTC', () => {
    expect(parseNabTimestamp('2014-04-10 07:15:00')).toBe(Date.UTC(2014, 3, 10, 7, 15));
    expect(parseNabTimestamp('2014-04-10 07:15:00.000000')).toBe(Date.UTC(2014, 3, 10, 7, 15));
  });
  it('rejects malformed or rolled-over dates', () => {
    expect(parseNabTimestamp('2014-04-10T07:15:00')).toBeNull();
    expect(parseNabTimestamp('2014-02-30 00:00:00')).toBeNull();
    expect(parseNabTimestamp('2014-13-01 00:00:00')).toBeNull();
  });
});

describe('loadNab', () => {
  it('loads files by position, keeps text verbatim and maps windows to rows', async () => {
    const rows = rowsOf(20, (i) => (i === 3 ? '1.50' : String(i)));
    // a duplicate timestamp and a jump back: windows still map by position
    rows[11] = [rows[10]?.[0] ?? '', '11'];
    const root = writeNab(
      {
        'b/two.csv': {
          rows,
          windows: [
            [rows[4]?.[0] ?? '', rows[6]?.[0] ?? ''],
            [rows[10]?.[0] ?? '', rows[12]?.[0] ?? ''],
          ],
          trailingNewline: false,
        },
        'a/one.csv': { rows: rowsOf(10), windows: [] },
      },
      { 'holdout/x.csv': [] },
    );
    const c = await loadNab(root);
    expect(c.files.map((f) => f.key)).toEqual(['a/one.csv', 'b/two.csv']);
    expect(c.rows).toBe(30);
    expect(c.windows).toBe(2);
    const two = c.files[1];
    expect(two?.rows).toBe(20);
    expect(two?.valueText[3]).toBe('1.50');
    expect(two?.v[3]).toBe(1.5);
    expect(two?.timestampText[0]).toBe('2014-04-01 00:00:00');
    expect(two?.t[0]).toBe(Date.UTC(2014, 3, 1));
    expect(two?.windows).toEqual([
      { start: 4, end: 6 },
      { start: 10, end: 12 },
    ]);
    expect(two?.file).toBe('two.csv');
    expect(two?.category).toBe('b');
  });

  it('names the path when the layout is wrong', async () => {
    const empty = tempDir('vigil-nab-empty-');
    expect((await errorOf(loadNab(empty))).message).toContain(join(empty, 'labels', 'combined_windows.json'));

    const noData = writeNab({});
    expect((await errorOf(loadNab(noData))).message).toContain(join(noData, 'data'));

    const noLabel = writeNab({ 'a/one.csv': { rows: rowsOf(5), windows: [] } });
    writeFileSync(join(noLabel, 'labels', 'combined_windows.json'), '{}');
    expect((await errorOf(loadNab(noLabel))).message).toMatch(/no entry for "a\/one.csv"/);

    const badHeader = writeNab({ 'a/one.csv': { rows: rowsOf(5), windows: [] } });
    writeFileSync(join(badHeader, 'data', 'a', 'one.csv'), 'time,value\n2014-04-01 00:00:00,1\n');
    expect((await errorOf(loadNab(badHeader))).message).toContain(join(badHeader, 'data', 'a', 'one.csv'));

    const badRow = writeNab({ 'a/one.csv': { rows: [['2014-04-01 00:00:00', 'x']], windows: [] } });
    expect((await errorOf(loadNab(badRow))).message).toMatch(/line 2/);

    const badWindow = writeNab({
      'a/one.csv': { rows: rowsOf(5), windows: [['2015-01-01 00:00:00', '2015-01-01 00:05:00']] },
    });
    expect((await errorOf(loadNab(badWindow))).message).toMatch(/matches no row/);

    const badJson = writeNab({ 'a/one.csv': { rows: rowsOf(5), windows: [] } });
    writeFileSync(join(badJson, 'labels', 'combined_windows.json'), '[');
    expect((await errorOf(loadNab(badJson))).message).toMatch(/not valid JSON/);

    const noCsv = writeNab({ 'a/one.csv': { rows: rowsOf(5), windows: [] } });
    rmSync(join(noCsv, 'data', 'a', 'one.csv'));
    mkdirSync(join(noCsv, 'data', 'b'));
    expect((await errorOf(loadNab(noCsv))).message).toMatch(/no <category>\/<file>.csv files/);
  });
});

describe('parseNabTimestamp against Date.UTC', () => {
  it('agrees on many dates, leap days included', () => {
    for (let ms = Date.UTC(1999, 0, 1); ms < Date.UTC(2031, 0, 1); ms += 29 * 3_600_000 + 123_000) {
      const text = new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
      expect(parseNabTimestamp(text)).toBe(ms);
    }
    expect(parseNabTimestamp('2016-02-29 12:00:00')).toBe(Date.UTC(2016, 1, 29, 12));
    expect(parseNabTimestamp('2015-02-29 12:00:00')).toBeNull();
    expect(parseNabTimestamp('2014-04-10 24:00:00')).toBeNull();
    expect(parseNabTimestamp('2014-04-10 07:15:00.250')).toBe(Date.UTC(2014, 3, 10, 7, 15, 0, 250));
  });
});
