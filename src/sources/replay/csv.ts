/**
 * Parses one replay CSV (header, then `timestamp,value` rows) into ascending
 * columns. Pure: never throws on bad input. A row that is malformed, has a
 * bad timestamp or a non-numeric/non-finite value, or whose timestamp is not
 * after the previous kept row's, is skipped and reported with its line
 * number. Empty lines are skipped silently. A missing header is reported and
 * the first line read as data. Column choice: a header cell named
 * timestamp/time/ts/date/datetime marks the time column and one named value
 * the value column; otherwise the first two columns. Extra columns are ignored.
 */
import { parseTimestamp } from './timestamp.js';
import type { ReplayIssue } from './types.js';

export interface ParsedCsv {
  /** Ascending, strictly increasing epoch ms. */
  readonly t: Float64Array;
  readonly v: Float64Array;
  readonly issues: ReplayIssue[];
}

/** Per file; past it one summary issue says how many more there were. */
export const MAX_ISSUES_PER_FILE = 100;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const TIME_NAMES = new Set(['timestamp', 'time', 'ts', 'date', 'datetime']);

function splitRow(line: string): string[] {
  if (!line.includes('"')) return line.split(',').map((c) => c.trim());
  // Quoted cells ("2024-01-01 00:00:00","1,5" is not valid data, but a quoted timestamp is common).
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') {
      if (quoted && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      cells.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  cells.push(cur.trim());
  return cells;
}

export function parseCsv(text: string, file: string): ParsedCsv {
  const issues: ReplayIssue[] = [];
  let dropped = 0;
  const report = (line: number, code: ReplayIssue['code'], reason: string) => {
    if (issues.length < MAX_ISSUES_PER_FILE) issues.push({ file, line, code, reason });
    else dropped++;
  };
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const ts: number[] = [];
  const vs: number[] = [];
  let tCol = 0;
  let vCol = 1;
  let headerSeen = false;
  let prev = -Infinity;
  let prevLine = 0;
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n] ?? '';
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    const cells = splitRow(line);
    const lineNo = n + 1;
    if (!headerSeen) {
      headerSeen = true;
      if (parseTimestamp(cells[0] ?? '') === null) {
        const names = cells.map((c) => c.toLowerCase());
        const ti = names.findIndex((c) => TIME_NAMES.has(c));
        const vi = names.indexOf('value');
        tCol = ti >= 0 ? ti : 0;
        vCol = vi >= 0 && vi !== tCol ? vi : tCol === 0 ? 1 : 0;
        if (cells.length < 2)
          report(lineNo, 'malformed_row', `header has ${cells.length} column; expected "timestamp,value"`);
        continue;
      }
      report(lineNo, 'missing_header', 'no "timestamp,value" header; line 1 read as data');
    }
    const tCell = cells[tCol];
    const vCell = cells[vCol];
    if (tCell === undefined || vCell === undefined) {
      report(
        lineNo,
        'malformed_row',
        `expected ${Math.max(tCol, vCol) + 1} comma-separated fields, got ${cells.length}`,
      );
      continue;
    }
    const t = parseTimestamp(tCell);
    if (t === null) {
      report(lineNo, 'bad_timestamp', `unreadable timestamp ${JSON.stringify(tCell.slice(0, 40))}`);
      continue;
    }
    if (!NUMBER.test(vCell)) {
      report(lineNo, 'bad_value', `value ${JSON.stringify(vCell.slice(0, 40))} is not a finite number`);
      continue;
    }
    const v = Number(vCell);
    if (!Number.isFinite(v)) {
      report(lineNo, 'bad_value', `value ${JSON.stringify(vCell.slice(0, 40))} is not a finite number`);
      continue;
    }
    if (t <= prev) {
      const what = t === prev ? 'duplicate_timestamp' : 'out_of_order';
      report(
        lineNo,
        what,
        `timestamp ${new Date(t).toISOString()} is ${t === prev ? 'the same as' : 'before'} line ${prevLine}'s`,
      );
      continue;
    }
    ts.push(t);
    vs.push(v);
    prev = t;
    prevLine = lineNo;
  }
  if (dropped > 0)
    issues.push({ file, line: 0, code: 'too_many_issues', reason: `${dropped} more issues in this file not listed` });
  return { t: Float64Array.from(ts), v: Float64Array.from(vs), issues };
}
