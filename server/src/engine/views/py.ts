// Small, pure helpers over tree-sitter Python nodes used by the view and URL analysis: literal
// strings, dotted names, call arguments, ranges and a few text-edit builders that keep Python valid
// (whole-line deletions, insertions at a statement's indentation).
import type { SyntaxNode } from '../parsing/syntax';
import type { Location, Range, TextEdit } from '../types';
import { endOfText, lineAt, lineCount } from '../parsing/lines';

export function nodeRange(node: SyntaxNode): Range {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

export function nodeLocation(file: string, node: SyntaxNode): Location {
  return { file, range: nodeRange(node) };
}

/** A range covering only the first line of a node (long definitions underline their header). */
export function headRange(node: SyntaxNode, text?: string): Range {
  const r = nodeRange(node);
  if (r.end.line === r.start.line) return r;
  const whole = text ?? node.text;
  const eol = whole.indexOf('\n');
  const first = eol < 0 ? whole : whole.slice(0, eol);
  return { start: r.start, end: { line: r.start.line, character: r.start.character + first.length } };
}

/** A stable key for a node inside one file. */
export function nodeKey(file: string, node: SyntaxNode): string {
  return `${file}:${node.startIndex}:${node.endIndex}:${node.type}`;
}

export function named(node: SyntaxNode | null | undefined): SyntaxNode[] {
  if (!node) return [];
  return node.namedChildren.filter((n): n is SyntaxNode => !!n);
}

export function children(node: SyntaxNode | null | undefined): SyntaxNode[] {
  if (!node) return [];
  return node.children.filter((n): n is SyntaxNode => !!n);
}

/** Depth-first walk; return false from `visit` to skip a node's children. */
export function walk(node: SyntaxNode, visit: (n: SyntaxNode) => boolean | void): void {
  const stack: SyntaxNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (visit(n) === false) continue;
    const kids = named(n);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
}

/** Every descendant (including the node) of one of the given types. */
export function descendants(node: SyntaxNode, types: string | string[]): SyntaxNode[] {
  // Done inside the parser runtime: far cheaper than walking node objects from JavaScript.
  const out = node.descendantsOfType(types).filter((n): n is SyntaxNode => !!n);
  const set = new Set(Array.isArray(types) ? types : [types]);
  if (set.has(node.type) && !out.some((n) => n.startIndex === node.startIndex && n.endIndex === node.endIndex && n.type === node.type)) out.unshift(node);
  return out;
}

/**
 * The calls under `node` (a module: its descendants) whose function's text `accept`s (calls whose
 * first child is not their function are kept), without making nodes for the others.
 */
export function callsWhere(node: SyntaxNode, accept: (calleeText: string) => boolean): SyntaxNode[] {
  return node.descendantsOfTypeWhere('call', 'function', accept);
}

/**
 * What `dottedName` gives for an expression, read from its text: the dotted name; undefined when
 * it has none (a call, a subscript, a literal... in it: ASCII other than name characters, dots and
 * spaces); null when the text cannot tell (a comment or a line continuation inside it).
 */
export function dottedNameOfText(text: string): string | undefined | null {
  if (text.includes('#') || text.includes('\\')) return null;
  if (/[^\w.\s\u0080-\uffff]/.test(text)) return undefined;
  return /\s/.test(text) ? text.replace(/\s+/g, '') : text;
}

/** Strip wrapping parentheses. */
export function unparen(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChildren[0]!;
  return n;
}

/** The string prefix letters (`f`, `rb`...), lower-cased. */
export function stringPrefix(node: SyntaxNode): string {
  const start = node.children.find((c) => c?.type === 'string_start');
  return (start?.text ?? '').replace(/["']/g, '').toLowerCase();
}

export function isFString(node: SyntaxNode): boolean {
  return node.type === 'string' && stringPrefix(node).includes('f');
}

/** Interpolations of an f-string (directly inside it). */
export function interpolations(node: SyntaxNode): SyntaxNode[] {
  return named(node).filter((c) => c.type === 'interpolation');
}

/**
 * The value of a string literal without interpolation (plain, raw, implicitly concatenated), or
 * undefined for anything else. Escape sequences are decoded for the common cases only.
 */
export function stringValue(node: SyntaxNode | null | undefined): string | undefined {
  if (!node) return undefined;
  node = unparen(node);
  if (node.type === 'concatenated_string') {
    let out = '';
    for (const part of named(node)) {
      const v = stringValue(part);
      if (v === undefined) return undefined;
      out += v;
    }
    return out;
  }
  if (node.type !== 'string') return undefined;
  if (interpolations(node).length > 0) return undefined;
  const prefix = stringPrefix(node);
  if (prefix.includes('b')) return undefined;
  let out = '';
  for (const c of named(node)) {
    if (c.type === 'string_content') out += prefix.includes('r') ? c.text : decodeEscapes(c.text);
  }
  if (prefix.includes('f')) out = out.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  return out;
}

function decodeEscapes(s: string): string {
  return s.replace(/\\(n|t|r|\\|'|"|\n)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c === '\n' ? '' : c));
}

/** `a.b.c` for identifiers and attribute chains, else undefined. */
export function dottedName(node: SyntaxNode | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') {
    const obj = dottedName(node.childForFieldName('object'));
    const attr = node.childForFieldName('attribute');
    return obj && attr ? `${obj}.${attr.text}` : undefined;
  }
  return undefined;
}

export interface CallParts {
  fn: SyntaxNode;
  positional: SyntaxNode[];
  keywords: Map<string, SyntaxNode>;
  args: SyntaxNode | null;
}

export function callParts(call: SyntaxNode): CallParts | undefined {
  if (call.type !== 'call') return undefined;
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  const args = call.childForFieldName('arguments');
  const positional: SyntaxNode[] = [];
  const keywords = new Map<string, SyntaxNode>();
  if (args?.type === 'argument_list') {
    for (const a of named(args)) {
      if (a.type === 'keyword_argument') {
        const k = a.childForFieldName('name')?.text;
        const v = a.childForFieldName('value');
        if (k && v) keywords.set(k, v);
      } else if (a.type !== 'comment') positional.push(a);
    }
  }
  return { fn, positional, keywords, args };
}

/** `snake_case` of a CamelCase or mixed identifier. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** The indentation (spaces/tabs) of the line a node starts on. */
export function lineIndent(text: string, line: number): string {
  const l = lineAt(text, line) ?? '';
  return /^[ \t]*/.exec(l)![0];
}

/** Does the node start its line (only whitespace before it) and end it (only whitespace/comment after)? */
export function ownsLines(text: string, node: SyntaxNode): boolean {
  const lines = text.split('\n');
  const before = (lines[node.startPosition.row] ?? '').slice(0, node.startPosition.column);
  const after = (lines[node.endPosition.row] ?? '').slice(node.endPosition.column);
  return /^\s*$/.test(before) && /^\s*(#.*)?$/.test(after);
}

/** Delete the whole lines a node spans (it must own them, see ownsLines). */
export function deleteLinesEdit(file: string, text: string, node: SyntaxNode): TextEdit {
  const last = node.endPosition.row + 1;
  if (last >= lineCount(text)) {
    // Last line of the file without a trailing newline: delete from the previous line's end.
    const startLine = Math.max(0, node.startPosition.row - 1);
    const startChar = node.startPosition.row === 0 ? 0 : (lineAt(text, startLine) ?? '').length;
    return { file, range: { start: { line: startLine, character: startChar }, end: endOfText(text) }, newText: '' };
  }
  return { file, range: { start: { line: node.startPosition.row, character: 0 }, end: { line: last, character: 0 } }, newText: '' };
}

export function replaceEdit(file: string, node: SyntaxNode, newText: string): TextEdit {
  return { file, range: nodeRange(node), newText };
}

/** Insert full lines before the line a node starts on, at the given indentation. */
export function insertLinesBefore(file: string, line: number, lines: string[], indent: string): TextEdit {
  const body = lines.map((l) => (l === '' ? '' : indent + l)).join('\n') + '\n';
  return { file, range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: body };
}

/** Insert full lines after the line a node ends on. */
export function insertLinesAfter(file: string, text: string, node: SyntaxNode, lines: string[], indent: string): TextEdit {
  const body = lines.map((l) => (l === '' ? '' : indent + l)).join('\n') + '\n';
  const next = node.endPosition.row + 1;
  if (next >= lineCount(text)) {
    const end = endOfText(text);
    return { file, range: { start: end, end }, newText: (text.endsWith('\n') || text.length === 0 ? '' : '\n') + body };
  }
  return { file, range: { start: { line: next, character: 0 }, end: { line: next, character: 0 } }, newText: body };
}

/**
 * Remove one element from a comma-separated list node (argument_list, list, tuple, superclasses),
 * taking the separating comma with it.
 */
export function removeListElementEdit(file: string, list: SyntaxNode, element: SyntaxNode): TextEdit {
  const elems = named(list).filter((n) => n.type !== 'comment');
  const i = elems.findIndex((e) => e.startIndex === element.startIndex && e.endIndex === element.endIndex);
  const next = elems[i + 1];
  const prev = elems[i - 1];
  if (next) {
    return { file, range: { start: nodeRange(element).start, end: nodeRange(next).start }, newText: '' };
  }
  if (prev) {
    // Remove ", element" (and keep a trailing comma situation valid).
    return { file, range: { start: nodeRange(prev).end, end: nodeRange(element).end }, newText: '' };
  }
  // Only element: also drop a trailing comma inside the brackets.
  const comma = list.children.find((c) => c?.type === ',' && c.startIndex >= element.endIndex);
  return { file, range: { start: nodeRange(element).start, end: nodeRange(comma ?? element).end }, newText: '' };
}

/** The first statement of a block after its docstring, or undefined for an empty block. */
export function firstBodyStatement(block: SyntaxNode): SyntaxNode | undefined {
  const stmts = named(block).filter((n) => n.type !== 'comment');
  return stmts[0];
}

export function isDocstring(stmt: SyntaxNode | undefined): boolean {
  return !!stmt && stmt.type === 'expression_statement' && stmt.namedChildren[0]?.type === 'string';
}

/** Module-level statements, looking into `if`/`try`/`with` blocks (conditional definitions). */
export function topLevelStatements(root: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const visit = (block: SyntaxNode) => {
    for (const stmt of named(block)) {
      out.push(stmt);
      if (stmt.type === 'if_statement' || stmt.type === 'try_statement' || stmt.type === 'with_statement') {
        for (const c of named(stmt)) {
          if (c.type === 'block') visit(c);
          else if (c.type === 'else_clause' || c.type === 'elif_clause' || c.type === 'except_clause' || c.type === 'finally_clause') {
            for (const b of named(c)) if (b.type === 'block') visit(b);
          }
        }
      }
    }
  };
  visit(root);
  return out;
}

/** The definition node behind a decorated_definition (or the node itself). */
export function definitionOf(node: SyntaxNode): SyntaxNode {
  if (node.type === 'decorated_definition') return node.childForFieldName('definition') ?? node;
  return node;
}

/** Decorator nodes of a function/class definition (top to bottom). */
export function decoratorsOf(def: SyntaxNode): SyntaxNode[] {
  const parent = def.parent;
  if (parent?.type !== 'decorated_definition') return [];
  return named(parent).filter((n) => n.type === 'decorator');
}

/** The decorator's expression (after `@`). */
export function decoratorExpr(dec: SyntaxNode): SyntaxNode | undefined {
  return named(dec).find((n) => n.type !== 'comment');
}

/** The statement (`decorated_definition` or the def) that holds a definition. */
export function outerOf(def: SyntaxNode): SyntaxNode {
  return def.parent?.type === 'decorated_definition' ? def.parent : def;
}
