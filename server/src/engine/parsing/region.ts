// Reparsing a Python file after an edit by parsing only the statements around it: those of the
// innermost block holding the edit (`reparseInBlock`), else the top-level ones. A top-level
// statement that starts at column 0 after complete, error-free statements is tokenized exactly as
// at the start of a file (no open bracket, no pending string, indentation 0), so the statements of
// a region parsed on its own are the ones a parse of the whole file would give. The region grows
// until its parse is clean or it covers the file; the parsing tests compare the result with a full
// parse after random edits.
import { SyntaxNode, type SyntaxTree } from './syntax';

/** Parses a region's text into nodes placed at `offset` / `rowOffset` of the file. */
export type RegionParser = (text: string, offset: number, rowOffset: number) => SyntaxNode;

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** Moves a subtree that follows the edit down by `rowDelta` rows (columns and offsets follow from rows). */
function shift(node: SyntaxNode, rowDelta: number): void {
  node.moveRows(rowDelta);
}

/** The indices of the first and last of `kids` an edit of [start, oldEnd) touches, with one neighbour on each side. */
function touched(kids: SyntaxNode[], start: number, oldEnd: number): [first: number, last: number] {
  const n = kids.length;
  let first = 0;
  while (first < n - 1 && kids[first]!.endIndex < start) first++;
  let last = n - 1;
  while (last > 0 && kids[last]!.startIndex > oldEnd) last--;
  first = Math.max(0, first - 1);
  return [first, Math.min(n - 1, Math.max(last, first) + 1)];
}

/** What a block's statements are parsed under: a header that opens an indented block. */
const BLOCK_HEADER = 'if 1:\n';

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** A copy of `node` (a new identity: caches keyed by nodes see a changed statement) with new children. */
function cloneWith(node: SyntaxNode, children: SyntaxNode[]): SyntaxNode {
  const copy = new SyntaxNode(node.tree, node.type, node.isNamed, node.isMissing, node.startRow, node.startColumn, node.endRow, node.endColumn);
  const fieldNames = node.fieldNames?.slice();
  copy.setChildren(children);
  copy.fieldNames = fieldNames;
  copy.hasError = node.isMissing || node.type === 'ERROR' || children.some((c) => c.hasError);
  return copy;
}

/**
 * An edit inside a compound statement (the body of a function, a class, an `if`): only the
 * statements of the innermost block around it are parsed again, as the block of an `if 1:` with
 * their own indentation, so a keystroke in a 270-line function that builds the settings (LAVA)
 * parses a few lines, not the function. The statements between a block's others start at its
 * indentation with nothing open, as top-level ones start at column 0; any doubt (the parse has an
 * error, the text leaves the block) and the caller reparses top-level statements instead. The
 * block and every node around it up to the top-level statement are new objects.
 */
function reparseInBlock(tree: SyntaxTree, newText: string, start: number, oldEnd: number, newEnd: number, parse: RegionParser): boolean {
  const root = tree.rootNode;
  if (root.hasError) return false;
  const oldText = tree.text;
  const delta = newEnd - oldEnd;
  // The innermost block whose extent holds the edit, below a top-level statement.
  let block: SyntaxNode | undefined;
  for (let node = root; ; ) {
    const child = node.children.find((c) => c.startIndex < start && oldEnd < c.endIndex);
    if (!child) break;
    if (child.type === 'block' && node !== root) block = child;
    node = child;
  }
  if (!block) return false;
  const kids = block.children;
  const n = kids.length;
  if (n === 0) return false;
  const column = kids[0]!.startColumn;
  if (column === 0) return false;
  let [first, last] = touched(kids, start, oldEnd);
  while (first > 0 && kids[first]!.startColumn !== column) first--;
  while (last < n - 1 && kids[last + 1]!.startColumn !== column) last++;
  const firstKid = kids[first]!;
  const regionStart = lineStart(oldText, firstKid.startIndex);
  // The first statement must begin its line (not `if x: y = 1`).
  if (firstKid.startColumn !== column || !/^[ \t]*$/.test(oldText.slice(regionStart, firstKid.startIndex))) return false;
  const regionEnd = last === n - 1 ? kids[last]!.endIndex : lineStart(oldText, kids[last + 1]!.startIndex);
  if (start < regionStart || oldEnd > regionEnd) return false;
  // Through the block's end: nothing may follow on its last line (a comment there would move sideways).
  if (last === n - 1) {
    const eol = oldText.indexOf('\n', regionEnd);
    if (!/^[ \t\r]*$/.test(oldText.slice(regionEnd, eol < 0 ? oldText.length : eol))) return false;
  }
  const regionText = newText.slice(regionStart, regionEnd + delta);
  const rowDelta = countNewlines(regionText, 0, regionText.length) - countNewlines(oldText, regionStart, regionEnd);
  // Where the block and the nodes around it end now, before anything moves.
  const blockEnd = [block.endRow, block.endColumn] as const;
  const endsWithBlock = (node: SyntaxNode) => last === n - 1 && node.endRow === blockEnd[0] && node.endColumn === blockEnd[1];
  const region = parse(BLOCK_HEADER + regionText, regionStart - BLOCK_HEADER.length, firstKid.startRow - 1);
  const header = region.children[0];
  const body = header?.childForFieldName('consequence');
  if (region.hasError || region.children.length !== 1 || header?.type !== 'if_statement' || !body || body.type !== 'block' || header.children[header.children.length - 1] !== body) return false;
  const fresh = body.children;
  if (fresh.length === 0 || fresh[0]!.startRow !== firstKid.startRow || fresh[0]!.startColumn !== column) return false;
  // The new nodes' offsets are those of the new text.
  tree.text = newText;
  // Nothing of the region may be left out of the block (text after its end on the region's lines).
  if (!/^\s*$/.test(newText.slice(body.endIndex, regionEnd + delta))) {
    tree.text = oldText;
    return false;
  }

  // The rows after the region move: the block's later statements, then each enclosing node's
  // later siblings, up to the top-level statements after this one.
  const after = kids.slice(last + 1);
  if (rowDelta !== 0) {
    for (const k of after) shift(k, rowDelta);
    for (let node: SyntaxNode = block; node.parent; node = node.parent) {
      const siblings = node.parent.children;
      for (let i = node.indexInParent + 1; i < siblings.length; i++) shift(siblings[i]!, rowDelta);
    }
  }
  // The block and its ancestors are copied with their new children and ends: a node that ended
  // with the region ends where the new statements end, one that ended later moved with the text.
  const lastFresh = fresh[fresh.length - 1]!;
  const endAt = (node: SyntaxNode, ended: SyntaxNode) => {
    if (endsWithBlock(ended)) {
      node.endRow = lastFresh.endRow;
      node.endColumn = lastFresh.endColumn;
    } else {
      node.endRow = ended.endRow + rowDelta;
    }
  };
  let copy = cloneWith(block, [...kids.slice(0, first), ...fresh, ...after]);
  endAt(copy, block);
  let original = block;
  while (original.parent !== root) {
    const parent: SyntaxNode = original.parent!;
    const children = parent.children.slice();
    children[original.indexInParent] = copy;
    const parentCopy = cloneWith(parent, children);
    endAt(parentCopy, parent);
    copy = parentCopy;
    original = parent;
  }
  const top = root.children.slice();
  top[original.indexInParent] = copy;
  const rootEnded = endsWithBlock(root);
  root.setChildren(top);
  if (rootEnded) {
    root.endRow = lastFresh.endRow;
    root.endColumn = lastFresh.endColumn;
  } else {
    root.endRow += rowDelta;
  }
  root.hasError = false;
  return true;
}

/**
 * An edit on the lines after a module's last complete statement (typing at the end of a module):
 * the lines from the edit's to the end are parsed on their own, without that statement, which the
 * general way takes in as a neighbour (LAVA's settings end with a 270-line function: it was parsed
 * again on every keystroke after it). This holds when the lines start complete module-level
 * statements. What would continue the statement before them instead (an indented line, an `else:`
 * or `except:` clause, a decorator without its definition) does not parse on its own, so an error,
 * or a first statement not at column 0, leaves the edit to the general way; so does anything but
 * blank lines between that statement and the edit's line, or an error before.
 */
/** At most this many statements, and this much text, after the edit's line for `reparseTail`. */
const TAIL_STATEMENTS = 8;
const TAIL_CHARACTERS = 4096;

function reparseTail(tree: SyntaxTree, newText: string, start: number, parse: RegionParser): boolean {
  const root = tree.rootNode;
  // A module that error recovery turned into one ERROR node has no complete statements to keep.
  if (root.type !== 'module') return false;
  const kids = root.children;
  const from = lineStart(newText, start);
  let p = kids.length - 1;
  while (p >= 0 && kids[p]!.endIndex >= from) p--;
  // Only the end of the module: an edit further up is the general way's (this would parse
  // everything after it).
  if (p < 0 || kids.length - 1 - p > TAIL_STATEMENTS || newText.length - from > TAIL_CHARACTERS) return false;
  for (let k = 0; k <= p; k++) if (kids[k]!.hasError) return false;
  const oldText = tree.text;
  const before = kids[p]!;
  // Between the statement and the edit's line only blank lines (comments are statements of their
  // own here; a backslash continuing the statement onto the edit's line is ruled out too).
  if (!/^[ \t\f]*(\r?\n[ \t\f]*)*\r?\n$/.test(oldText.slice(before.endIndex, from))) return false;
  const rowOffset = before.endRow + countNewlines(oldText, before.endIndex, from);
  const regionText = newText.slice(from);
  const region = parse(regionText, from, rowOffset);
  if (region.hasError || (region.children.length > 0 && region.children[0]!.startColumn !== 0)) return false;
  // A backslash before the first statement continues the line before the region (a full parse
  // takes it into that statement's line): not a region of its own.
  if (/^\s*\\/.test(regionText)) return false;
  root.setChildren([...kids.slice(0, p + 1), ...region.children]);
  root.endRow = region.endRow;
  root.endColumn = region.endColumn;
  root.hasError = false;
  tree.text = newText;
  return true;
}

/**
 * Brings `tree` (parsed from `tree.text`) up to `newText`, which replaced [start, oldEnd) of the old
 * text with text ending at `newEnd`. Returns false when the edit cannot be confined to whole
 * top-level statements; the caller then parses the whole file.
 */
export function reparseRegion(tree: SyntaxTree, newText: string, start: number, oldEnd: number, newEnd: number, parse: RegionParser): boolean {
  if (reparseInBlock(tree, newText, start, oldEnd, newEnd, parse)) return true;
  if (reparseTail(tree, newText, start, parse)) return true;
  const root = tree.rootNode;
  const kids = root.children;
  const n = kids.length;
  if (n === 0) return false;
  const oldText = tree.text;
  const delta = newEnd - oldEnd;

  let [first, last] = touched(kids, start, oldEnd);
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
    if (region.hasError && (first > 0 || last < n - 1)) {
      // The edit left something open (a bracket, a string, a block): take in more statements.
      // A region that still has an error once it reaches the end is parsed from the start of
      // the file: tree-sitter's error recovery may take the statements before it into the error.
      const size = last - first + 1;
      if (last < n - 1) last = size * 4 > n ? n - 1 : Math.min(n - 1, last + size);
      else first = 0;
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
    if (rowDelta !== 0) for (const k of after) shift(k, rowDelta);
    root.setChildren([...kids.slice(0, first), ...region.children, ...after]);
    if (first === 0) {
      root.startRow = region.startRow;
      root.startColumn = region.startColumn;
    }
    if (last === n - 1) {
      root.endRow = region.endRow;
      root.endColumn = region.endColumn;
    } else {
      root.endRow += rowDelta;
    }
    root.hasError = root.children.some((c) => c.hasError);
    tree.text = newText;
    return true;
  }
}
