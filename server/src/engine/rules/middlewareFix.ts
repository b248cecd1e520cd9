// Adds a middleware entry to the MIDDLEWARE list literal production uses, in the right position.
import type { SyntaxNode } from '../parsing/syntax';
import type { Fix, TextEdit } from '../types';
import type { SettingsContext } from './types';

type Position = 'first' | 'last' | { after: string[] };

export function middlewareInsertFix(ctx: SettingsContext, entry: string, where: Position): Fix[] {
  const mw = ctx.setting('MIDDLEWARE');
  const short = entry.split('.').pop()!;
  const rhs = mw.binding?.rhs;
  const list = rhs ? findListNode(ctx, rhs.file, rhs.range.start.line, rhs.range.start.character) : undefined;
  if (!rhs || !list) {
    if (mw.isDefault) {
      return [{ title: `Add MIDDLEWARE with ${short}`, edits: ctx.edit.insertLines(['MIDDLEWARE = [', `    "${entry}",`, ']']), safe: true }];
    }
    return [];
  }
  const items = list.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment');
  const quote = items.find((i) => i.type === 'string')?.text.startsWith("'") ? "'" : '"';
  const literal = `${quote}${entry}${quote}`;
  const multiline = list.startPosition.row !== list.endPosition.row;
  let anchor: SyntaxNode | undefined;
  let before = false;
  if (where === 'first') {
    anchor = items[0];
    before = true;
  } else if (where === 'last') {
    anchor = items[items.length - 1];
  } else {
    for (const name of where.after) {
      anchor = items.find((i) => i.type === 'string' && i.text.slice(1, -1) === name);
      if (anchor) break;
    }
    anchor ??= items[items.length - 1];
  }
  let edit: TextEdit;
  if (!anchor) {
    const inside = { line: list.startPosition.row, character: list.startPosition.column + 1 };
    edit = { file: rhs.file, range: { start: inside, end: inside }, newText: literal };
  } else if (multiline) {
    const indent = ' '.repeat(anchor.startPosition.column);
    if (before) {
      const at = { line: anchor.startPosition.row, character: 0 };
      edit = { file: rhs.file, range: { start: at, end: at }, newText: `${indent}${literal},\n` };
    } else {
      // After the anchor and its trailing comma, on a new line.
      const next = anchor.nextSibling;
      const end = next?.type === ',' ? next.endPosition : anchor.endPosition;
      const comma = next?.type === ',' ? '' : ',';
      edit = { file: rhs.file, range: { start: { line: end.row, character: end.column }, end: { line: end.row, character: end.column } }, newText: `${comma}\n${indent}${literal}${next?.type === ',' ? ',' : ''}` };
    }
  } else if (before) {
    const at = { line: anchor.startPosition.row, character: anchor.startPosition.column };
    edit = { file: rhs.file, range: { start: at, end: at }, newText: `${literal}, ` };
  } else {
    const at = { line: anchor.endPosition.row, character: anchor.endPosition.column };
    edit = { file: rhs.file, range: { start: at, end: at }, newText: `, ${literal}` };
  }
  return [{ title: `Add ${short} to MIDDLEWARE`, edits: [edit], safe: true }];
}

function findListNode(ctx: SettingsContext, file: string, line: number, character: number): SyntaxNode | undefined {
  const root = ctx.edit.rootOf(file);
  if (!root) return undefined;
  const node = root.descendantForPosition({ row: line, column: character });
  let cur: SyntaxNode | null = node;
  while (cur && cur.type !== 'list' && cur.type !== 'tuple') {
    if (cur.startPosition.row !== line || cur.startPosition.column !== character) {
      cur = null;
      break;
    }
    cur = cur.parent;
  }
  if (cur && (cur.type === 'list' || cur.type === 'tuple')) return cur;
  return undefined;
}
