/** Shapes of the CSV replay source: options, the source itself and the issues it reports. */
import type { TimeRange } from '../../domain/index.js';
import type { MetricSource } from '../types.js';

export type ReplayIssueCode =
  | 'missing_header'
  | 'malformed_row'
  | 'bad_timestamp'
  | 'bad_value'
  | 'out_of_order'
  | 'duplicate_timestamp'
  | 'too_many_issues'
  | 'ignored_path'
  | 'duplicate_series';

/** One problem with the input. The row (or file) it names was skipped; everything else is served. */
export interface ReplayIssue {
  /** Path of the file, as found under the root. */
  readonly file: string;
  /** 1-based line number; 0 for problems with the whole file. */
  readonly line: number;
  readonly code: ReplayIssueCode;
  readonly reason: string;
}

export interface ReplayOptions {
  /** A CSV file, or a directory laid out as described in source.ts. */
  readonly root: string;
  /** Sample spacing the data is expected to have; default 60_000. Not enforced on the data. */
  readonly stepMs?: number;
  /** Called once per issue as files are discovered and parsed. Exceptions it throws are ignored. */
  readonly onIssue?: (issue: ReplayIssue) => void;
}

export interface ReplaySource extends MetricSource {
  /** Issues found so far: discovery plus every file parsed so far (dataRange() parses all). */
  issues(): readonly ReplayIssue[];
  /** [first timestamp, last timestamp + 1) over all files, or null when no file has a point. Parses every file. */
  dataRange(): Promise<TimeRange | null>;
}
