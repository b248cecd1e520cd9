// Tree-sitter nodes → engine ranges and locations (the units already match: UTF-16, 0-based).
import type { SyntaxNode } from './syntax';
import type { Location, Position, Range } from '../types';

export function nodeRange(n: SyntaxNode): Range {
  return {
    start: { line: n.startPosition.row, character: n.startPosition.column },
    end: { line: n.endPosition.row, character: n.endPosition.column },
  };
}

export function nodeLocation(file: string, n: SyntaxNode): Location {
  return { file, range: nodeRange(n) };
}

/** The position of a string offset, given the offsets where lines start. */
export function positionAtOffset(lineStarts: number[], offset: number): Position {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - lineStarts[lo]! };
}
