// Reparsing a Python file after an edit by parsing only the top-level statements around it. A
// top-level statement that starts at column 0 after complete, error-free statements is tokenized
// exactly as at the start of a file (no open bracket, no pending string, indentation 0), so the
// statements of a region parsed on its own are the ones a parse of the whole file would give.
// The region grows until its parse is clean or it reaches the end of the file; the parsing test
// compares the result with a full parse after random edits.
import type { SyntaxNode, SyntaxTree } from './syntax';

/** Parses a region's text into nodes placed at `offset` / `rowOffset` of the file. */
export type RegionParser = (text: string, offset: number, rowOffset: number) => SyntaxNode;

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** Moves a subtree that follows the edit: indices by `delta`, rows by `rowDelta` (columns keep). */
function shift(node: SyntaxNode, delta: number, rowDelta: number): void {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    n.startIndex += delta;
    n.endIndex += delta;
    n.startRow += rowDelta;
    n.endRow += rowDelta;
    for (const c of n.children) stack.push(c);
  }
}

/**
 * Brings `tree` (parsed from `tree.text`) up to `newText`, which replaced [start, oldEnd) of the old
 * text with text ending at `newEnd`. Returns false when the edit cannot be confined to whole
 * top-level statements; the caller then parses the whole file.
 */
export function reparseRegion(tree: SyntaxTree, newText: string, start: number, oldEnd: number, newEnd: number, parse: RegionParser): boolean {
  const root = tree.rootNode;
  const kids = root.children;
  const n = kids.length;
  if (n === 0) return false;
  const oldText = tree.text;
  const delta = newEnd - oldEnd;

  // The top-level children the edit touches, with one neighbour on each side.
  let first = 0;
  while (first < n - 1 && kids[first]!.endIndex < start) first++;
  let last = n - 1;
  while (last > 0 && kids[last]!.startIndex > oldEnd) last--;
  first = Math.max(0, first - 1);
  last = Math.min(n - 1, Math.max(last, first) + 1);
  if (root.hasError) {
    // Statements outside the region must be complete: any error there and the region takes it in.
    for (let k = 0; k < first; k++) if (kids[k]!.hasError) first = 0;
    for (let k = last + 1; k < n; k++) if (kids[k]!.hasError) last = n - 1;
  }
  // Region boundaries sit at line starts, before children that start at column 0.
  while (first > 0 && kids[first]!.startColumn !== 0) first--;

  for (;;) {
    while (last < n - 1 && kids[last + 1]!.startColumn !== 0) last++;
    const regionStart = first === 0 ? 0 : kids[first]!.startIndex;
    const regionEnd = last === n - 1 ? oldText.length : kids[last + 1]!.startIndex;
    const rowOffset = first === 0 ? 0 : kids[first]!.startRow;
    const regionText = newText.slice(regionStart, regionEnd + delta);
    const region = parse(regionText, regionStart, rowOffset);
    if (region.hasError && last < n - 1) {
      // The edit left something open (a bracket, a string, a block): take in more statements.
      const size = last - first + 1;
      last = size * 4 > n ? n - 1 : Math.min(n - 1, last + size);
      continue;
    }
    if (first === 0 && last === n - 1) {
      tree.rootNode = region;
      tree.text = newText;
      return true;
    }
    if (region.children.length === 0) return false;
    const rowDelta = countNewlines(regionText, 0, regionText.length) - countNewlines(oldText, regionStart, regionEnd);
    const after = kids.slice(last + 1);
    if (delta !== 0 || rowDelta !== 0) for (const k of after) shift(k, delta, rowDelta);
    root.setChildren([...kids.slice(0, first), ...region.children, ...after]);
    if (first === 0) {
      root.startIndex = region.startIndex;
      root.startRow = region.startRow;
      root.startColumn = region.startColumn;
    }
    if (last === n - 1) {
      root.endIndex = region.endIndex;
      root.endRow = region.endRow;
      root.endColumn = region.endColumn;
    } else {
      root.endIndex += delta;
      root.endRow += rowDelta;
    }
    root.hasError = root.children.some((c) => c.hasError);
    tree.text = newText;
    return true;
  }
}
