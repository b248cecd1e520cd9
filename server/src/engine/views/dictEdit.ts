// Inserting an entry into a Python dict (or list) literal (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]) while
// keeping the layout: a new line before the closing brace of a multi-line dict (adding the missing
// comma after the previous entry), or inline for one-line dicts.
import type { SyntaxNode } from '../parsing/syntax';
import type { TextEdit } from '../types';
import { lineIndent, named, nodeRange, stringValue, unparen } from './py';
import { lineAt } from '../parsing/lines';

/** The dictionary node exactly covering a location (a settings binding's right-hand side). */
export function dictAt(root: SyntaxNode, range: { start: { line: number; character: number }; end: { line: number; character: number } }): SyntaxNode | undefined {
  let n: SyntaxNode | null = root.descendantForPosition({ row: range.start.line, column: range.start.character }, { row: range.end.line, column: Math.max(0, range.end.character - 1) });
  while (n && n.type !== 'dictionary') {
    if (n.startPosition.row < range.start.line) return undefined;
    n = n.parent;
  }
  return n ? unparen(n) : undefined;
}

/** The value node of a string key in a dict literal. */
export function dictValue(dict: SyntaxNode, key: string): SyntaxNode | undefined {
  for (const pair of named(dict)) {
    if (pair.type !== 'pair') continue;
    if (stringValue(pair.childForFieldName('key')) === key) return pair.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

/** Insert `entry` (e.g. `"login": "5/min"`) as the last item of a dict or list literal. */
export function dictInsertEdits(file: string, text: string, dict: SyntaxNode, entry: string): TextEdit[] {
  const items = named(dict).filter((n) => n.type !== 'comment');
  const close = dict.children[dict.children.length - 1]!;
  const closeRange = nodeRange(close);
  const last = items[items.length - 1];
  const hasTrailingComma = !!last && dict.children.some((c) => c?.type === ',' && c.startIndex >= last.endIndex);
  const multiLine = dict.startPosition.row !== close.startPosition.row;
  if (multiLine) {
    const edits: TextEdit[] = [];
    if (last && !hasTrailingComma) edits.push({ file, range: { start: nodeRange(last).end, end: nodeRange(last).end }, newText: ',' });
    const indent = last ? lineIndent(text, last.startPosition.row) : lineIndent(text, dict.startPosition.row) + '    ';
    const closeAlone = (lineAt(text, close.startPosition.row) ?? '').slice(0, close.startPosition.column).trim() === '';
    if (closeAlone) {
      const at = { line: close.startPosition.row, character: 0 };
      edits.push({ file, range: { start: at, end: at }, newText: `${indent}${entry},\n` });
    } else {
      edits.push({ file, range: { start: closeRange.start, end: closeRange.start }, newText: `\n${indent}${entry}` });
    }
    return edits;
  }
  if (!last) return [{ file, range: { start: closeRange.start, end: closeRange.start }, newText: entry }];
  return [{ file, range: { start: closeRange.start, end: closeRange.start }, newText: hasTrailingComma ? ` ${entry}` : `, ${entry}` }];
}

/** The same for list literals (`urlpatterns = [...]`). */
export const listInsertEdits = dictInsertEdits;
