// Editing literal containers in place: find the dict/list/call node a value came from, add entries
// before its closing bracket in the container's own layout, replace or remove one entry.
//
// Adding entries always *replaces the closing bracket* (instead of a zero-width insertion), so two
// fixes that add keys to the same container overlap and "fix all" applies them one per pass: each
// pass re-reads the container, and a key one fix added is never added again by the other.
import type { SyntaxNode } from '../parsing/syntax';
import { plainStringValue } from '../settings/literals';
import type { Location, TextEdit } from '../types';

export type Quote = '"' | "'";

import { nodeLocation } from '../parsing/locations';
import { lineAt } from '../parsing/lines';

export const locOf = nodeLocation;

export function replaceNode(file: string, n: SyntaxNode, newText: string): TextEdit {
  return { ...locOf(file, n), newText };
}

/** The node of one of `types` whose range is exactly `loc` (the source of an evaluated value). */
export function nodeAt(root: SyntaxNode, loc: Location, types: string[]): SyntaxNode | undefined {
  const start = { row: loc.range.start.line, column: loc.range.start.character };
  const end = { row: loc.range.end.line, column: loc.range.end.character };
  let cur: SyntaxNode | null = root.descendantForPosition(start, end);
  while (cur) {
    const same = cur.startPosition.row === start.row && cur.startPosition.column === start.column && cur.endPosition.row === end.row && cur.endPosition.column === end.column;
    if (same && types.includes(cur.type)) return cur;
    if (cur.startPosition.row < start.row || (cur.startPosition.row === start.row && cur.startPosition.column < start.column)) return undefined;
    cur = cur.parent;
  }
  return undefined;
}

/** The text of a plain string node (no f-string parts), else undefined. */
export function stringText(n: SyntaxNode | null | undefined): string | undefined {
  if (!n || n.type !== 'string') return undefined;
  if (n.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
  return plainStringValue(n);
}

export interface PairNode {
  key: string;
  pair: SyntaxNode;
  value: SyntaxNode;
}

/** Literal-string-keyed pairs of a dictionary node, in source order. */
export function dictPairs(dict: SyntaxNode): PairNode[] {
  const out: PairNode[] = [];
  for (const c of dict.namedChildren) {
    if (c?.type !== 'pair') continue;
    const key = stringText(c.childForFieldName('key'));
    const value = c.childForFieldName('value');
    if (key !== undefined && value) out.push({ key, pair: c, value });
  }
  return out;
}

export function findPair(dict: SyntaxNode, key: string): PairNode | undefined {
  const pairs = dictPairs(dict);
  for (let i = pairs.length - 1; i >= 0; i--) if (pairs[i]!.key === key) return pairs[i];
  return undefined;
}

/** The quote style of a container's string keys/items, else of the file, else double. */
/** A module's quote style, while its text is the same (fixes ask on every analysis). */
const moduleQuotes = new WeakMap<SyntaxNode, { text: string; quote: Quote }>();

export function quoteOf(n: SyntaxNode): Quote {
  if (n.parent) return quoteIn(n);
  const text = n.tree.text;
  const known = moduleQuotes.get(n);
  if (known?.text === text) return known.quote;
  const quote = quoteIn(n);
  moduleQuotes.set(n, { text, quote });
  return quote;
}

function quoteIn(n: SyntaxNode): Quote {
  const strings = n.descendantsOfType('string_start').filter((s): s is SyntaxNode => !!s);
  const pick = (list: SyntaxNode[]): Quote | undefined => {
    let single = 0;
    let double = 0;
    for (const s of list) {
      if (s.text.endsWith("'")) single++;
      else if (s.text.endsWith('"')) double++;
    }
    return single > double ? "'" : double > 0 ? '"' : undefined;
  };
  return pick(strings) ?? pick(n.tree.rootNode.descendantsOfType('string_start').filter((s): s is SyntaxNode => !!s)) ?? '"';
}

/** Rewrites the simple double-quoted strings of generated code to the file's quote style. */
export function requote(text: string, quote: Quote): string {
  if (quote === '"') return text;
  return text.replace(/"([^"'\\\n]*)"/g, "'$1'");
}

function lineIndent(root: SyntaxNode, row: number): string {
  const line = lineAt(root.tree.rootNode.text, row) ?? '';
  return /^[ \t]*/.exec(line)![0];
}

function elements(container: SyntaxNode): SyntaxNode[] {
  return container.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment');
}

/**
 * Edits adding `entries` (each one line of code without its trailing comma, e.g. `"CONN_MAX_AGE": 600`)
 * at the end of a dict, list, set, tuple or argument list, following its layout: one per line for
 * a multi-line container, inline otherwise.
 */
export function appendEntries(file: string, container: SyntaxNode, entries: string[]): TextEdit[] {
  if (entries.length === 0) return [];
  const close = container.lastChild;
  const open = container.firstChild;
  if (!close || !open || !/^[}\])]$/.test(close.type)) return [];
  const items = elements(container);
  const last = items[items.length - 1];
  const afterLast = last?.nextSibling;
  const hasComma = afterLast?.type === ',';
  const root = container.tree.rootNode;
  const multiline = container.startPosition.row !== container.endPosition.row;
  if (!last) {
    // Empty container: fill it on one line (a multi-line empty one keeps its closing line).
    return [{ ...locOf(file, close), newText: `${entries.join(', ')}${close.text}` }];
  }
  if (!multiline) {
    return [{ ...locOf(file, close), newText: `${hasComma ? ' ' : ', '}${entries.join(', ')}${close.text}` }];
  }
  const closeIndent = lineIndent(root, container.startPosition.row);
  const first = items[0]!;
  const firstStartsLine = lineIndent(root, first.startPosition.row).length === first.startPosition.column && first.startPosition.row !== open.startPosition.row;
  const indent = firstStartsLine ? ' '.repeat(first.startPosition.column) : closeIndent + '    ';
  const closeStartsLine = lineIndent(root, close.startPosition.row).length === close.startPosition.column && close.startPosition.row !== last.endPosition.row;
  if (closeStartsLine) {
    const pad = ' '.repeat(Math.max(0, indent.length - close.startPosition.column));
    const body = entries.map((e, i) => (i === 0 ? pad : indent) + e + ',').join('\n');
    const edits: TextEdit[] = [];
    if (!hasComma) {
      const at = { line: last.endPosition.row, character: last.endPosition.column };
      edits.push({ file, range: { start: at, end: at }, newText: ',' });
    }
    edits.push({ ...locOf(file, close), newText: `${body}\n${' '.repeat(close.startPosition.column)}${close.text}` });
    return edits;
  }
  // The closing bracket follows the last element on its line: break it onto its own line.
  const from = hasComma ? afterLast! : last;
  const start = { line: from.endPosition.row, character: from.endPosition.column };
  const end = { line: close.endPosition.row, character: close.endPosition.column };
  const body = entries.map((e) => indent + e + ',').join('\n');
  return [{ file, range: { start, end }, newText: `${hasComma ? '' : ','}\n${body}\n${closeIndent}${close.text}` }];
}

/** Edits adding entries at the start of a container (e.g. `"version": 1` first in LOGGING). */
export function prependEntries(file: string, container: SyntaxNode, entries: string[]): TextEdit[] {
  const open = container.firstChild;
  const items = elements(container);
  const first = items[0];
  if (!open || !first) return appendEntries(file, container, entries);
  const root = container.tree.rootNode;
  if (first.startPosition.row !== open.startPosition.row) {
    const indent = lineIndent(root, first.startPosition.row);
    const at = { line: first.startPosition.row, character: 0 };
    return [{ file, range: { start: at, end: at }, newText: entries.map((e) => `${indent}${e},\n`).join('') }];
  }
  const at = { line: first.startPosition.row, character: first.startPosition.column };
  return [{ file, range: { start: at, end: at }, newText: entries.map((e) => `${e}, `).join('') }];
}

/** Edits removing one element (and its comma) from a list/tuple/dict literal. */
export function removeElement(file: string, container: SyntaxNode, element: SyntaxNode): TextEdit[] {
  const items = elements(container);
  const index = items.findIndex((i) => i === element);
  if (index < 0) return [];
  const root = container.tree.rootNode;
  const next = element.nextSibling;
  const comma = next?.type === ',' ? next : undefined;
  const end = comma ?? element;
  const ownLine =
    lineIndent(root, element.startPosition.row).length === element.startPosition.column &&
    element.startPosition.row !== container.startPosition.row &&
    (items[index + 1]?.startPosition.row ?? container.lastChild!.startPosition.row) > end.endPosition.row;
  if (ownLine) {
    // Remove the whole line, trailing comment included.
    return [{ file, range: { start: { line: element.startPosition.row, character: 0 }, end: { line: end.endPosition.row + 1, character: 0 } }, newText: '' }];
  }
  if (comma) {
    const following = items[index + 1];
    const stop = following ? { line: following.startPosition.row, character: following.startPosition.column } : { line: comma.endPosition.row, character: comma.endPosition.column };
    return [{ file, range: { start: { line: element.startPosition.row, character: element.startPosition.column }, end: stop }, newText: '' }];
  }
  // Last element without a trailing comma: remove the comma before it.
  const prev = element.previousSibling;
  const start = prev?.type === ',' ? prev.startPosition : element.startPosition;
  return [{ file, range: { start: { line: start.row, character: start.column }, end: { line: element.endPosition.row, character: element.endPosition.column } }, newText: '' }];
}

/** The keyword argument `name=` of a call node, if present. */
export function keywordArgument(call: SyntaxNode, name: string): SyntaxNode | undefined {
  const args = call.childForFieldName('arguments');
  for (const a of args?.namedChildren ?? []) {
    if (a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === name) return a;
  }
  return undefined;
}
