/**
 * Maps a zod issue path to the line and column of the YAML node it names, so
 * errors point into the file. A missing field points at its nearest parent.
 */
import { isMap, isNode, isScalar, type Document, type LineCounter } from 'yaml';

export interface Position {
  readonly line: number;
  readonly col: number;
}

export function locate(doc: Document, lines: LineCounter, path: readonly PropertyKey[], key?: string): Position {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true);
    if (!isNode(node) || !node.range) continue;
    if (n === path.length && key !== undefined && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (isScalar(pair?.key) && pair.key.range) return lines.linePos(pair.key.range[0]);
    }
    return lines.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}
