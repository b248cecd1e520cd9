// Editing Python dict and list literals in place: merge keys into a dict, insert or remove list
// elements, replace a value. Edits keep the literal's layout (one element per line or inline), its
// indentation and the file's quote style, never add a key the literal already has, and are built so
// several of them can be applied to the same literal in one pass (every insertion is self-contained:
// a comma it needs after the previous element is a separate edit that other fixes repeat verbatim,
// so applying the fixes of many rules together deduplicates it).
import type { SyntaxNode } from '../parsing/syntax';
import type { Setting } from '../settings/profile';
import type { Value } from '../settings/value';
import type { Fix, Location, Range, TextEdit } from '../types';
import type { SettingsEditor } from './settingsEditor';

// ------------------------------------------------------------------ Python text to insert

/** A Python expression to write: built from parts so it can be laid out to fit the file's style. */
export type Py =
  | { kind: 'raw'; text: string }
  | { kind: 'str'; value: string }
  | { kind: 'list' | 'tuple'; items: Py[] }
  | { kind: 'dict'; entries: [string, Py][] };

export const py = {
  raw: (text: string): Py => ({ kind: 'raw', text }),
  str: (value: string): Py => ({ kind: 'str', value }),
  list: (...items: Py[]): Py => ({ kind: 'list', items }),
  strs: (...values: string[]): Py => ({ kind: 'list', items: values.map((value) => ({ kind: 'str', value })) }),
  dict: (...entries: [string, Py][]): Py => ({ kind: 'dict', entries }),
};

export interface LiteralStyle {
  quote: '"' | "'";
  /** One indentation level. */
  unit: string;
  /** Line length beyond which a container is written one element per line. */
  width: number;
}

export const DEFAULT_STYLE: LiteralStyle = { quote: '"', unit: '    ', width: 88 };

/** The quote and indentation habits of a file (or of one literal in it, which wins). */
export function styleOf(root: SyntaxNode | undefined, near?: SyntaxNode): LiteralStyle {
  if (!root) return DEFAULT_STYLE;
  let quote: '"' | "'" | undefined;
  const nearQuote = near ? firstStringQuote(near) : undefined;
  if (nearQuote) quote = nearQuote;
  else {
    let single = 0;
    let double = 0;
    for (const s of root.descendantsOfType('string')) {
      const q = stringQuote(s);
      if (q === "'") single++;
      else if (q === '"') double++;
    }
    quote = single > double ? "'" : '"';
  }
  let unit = DEFAULT_STYLE.unit;
  const block = root.descendantsOfType('block')[0];
  const first = block?.namedChildren.find((c) => c.type !== 'comment');
  const parent = block?.parent;
  if (first && parent) {
    const width = first.startPosition.column - parent.startPosition.column;
    if (width > 0 && width <= 8) unit = ' '.repeat(width);
  }
  return { ...DEFAULT_STYLE, quote, unit };
}

function firstStringQuote(node: SyntaxNode): '"' | "'" | undefined {
  for (const s of node.descendantsOfType('string')) {
    const q = stringQuote(s);
    if (q) return q;
  }
  return undefined;
}

function stringQuote(node: SyntaxNode): '"' | "'" | undefined {
  const m = /^[A-Za-z]*(["'])/.exec(node.text);
  return m ? (m[1] as '"' | "'") : undefined;
}

export function quoteString(value: string, quote: '"' | "'"): string {
  const q = value.includes(quote) && !value.includes(quote === '"' ? "'" : '"') ? (quote === '"' ? "'" : '"') : quote;
  const escaped = value.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), `\\${q}`).replace(/\n/g, '\\n');
  return `${q}${escaped}${q}`;
}

/** The expression on one line. */
export function renderInline(p: Py, style: LiteralStyle): string {
  switch (p.kind) {
    case 'raw':
      return p.text;
    case 'str':
      return quoteString(p.value, style.quote);
    case 'list':
      return `[${p.items.map((i) => renderInline(i, style)).join(', ')}]`;
    case 'tuple':
      return p.items.length === 1 ? `(${renderInline(p.items[0]!, style)},)` : `(${p.items.map((i) => renderInline(i, style)).join(', ')})`;
    case 'dict':
      return `{${p.entries.map(([k, v]) => `${quoteString(k, style.quote)}: ${renderInline(v, style)}`).join(', ')}}`;
  }
}

/**
 * The expression laid out for a line indented by `indent` whose text before the expression is
 * `column` characters long: inline when it fits, else one element per line (recursively).
 * Continuation lines carry their full indentation.
 */
export function render(p: Py, style: LiteralStyle, indent: string, column: number, trailer = 1): string {
  const inline = renderInline(p, style);
  if (p.kind === 'raw' || p.kind === 'str' || column + inline.length + trailer <= style.width) return inline;
  const inner = indent + style.unit;
  const lines: string[] = [];
  if (p.kind === 'dict') {
    for (const [k, v] of p.entries) {
      const key = `${quoteString(k, style.quote)}: `;
      lines.push(`${inner}${key}${render(v, style, inner, inner.length + key.length)},`);
    }
  } else {
    for (const item of p.items) lines.push(`${inner}${render(item, style, inner, inner.length)},`);
  }
  if (lines.length === 0) return inline;
  const [open, close] = p.kind === 'dict' ? ['{', '}'] : p.kind === 'tuple' ? ['(', ')'] : ['[', ']'];
  return `${open}\n${lines.join('\n')}\n${indent}${close}`;
}

// ------------------------------------------------------------------ finding nodes

function sameRange(node: SyntaxNode, range: Range): boolean {
  return (
    node.startPosition.row === range.start.line &&
    node.startPosition.column === range.start.character &&
    node.endPosition.row === range.end.line &&
    node.endPosition.column === range.end.character
  );
}

/** The node spanning exactly `range`, of one of `types` when given. */
export function nodeAt(root: SyntaxNode, range: Range, types?: string[]): SyntaxNode | undefined {
  let node: SyntaxNode | null = root.descendantForPosition(
    { row: range.start.line, column: range.start.character },
    { row: range.end.line, column: range.end.character },
  );
  while (node) {
    const covers = comparePoint(node.startPosition, range.start) <= 0 && comparePoint(node.endPosition, range.end) >= 0;
    if (!covers) {
      node = node.parent;
      continue;
    }
    if (!sameRange(node, range)) return undefined;
    if (!types || types.includes(node.type)) return node;
    node = node.parent;
  }
  return undefined;
}

function comparePoint(p: { row: number; column: number }, q: { line: number; character: number }): number {
  return p.row - q.line || p.column - q.character;
}

export function locationOf(file: string, node: SyntaxNode): Location {
  return { file, range: rangeOfNode(node) };
}

export function rangeOfNode(node: SyntaxNode): Range {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

export function isInside(inner: Location | undefined, outer: Location | undefined): boolean {
  if (!inner || !outer || inner.file !== outer.file) return false;
  const a = inner.range;
  const b = outer.range;
  const le = (p: { line: number; character: number }, q: { line: number; character: number }) => p.line < q.line || (p.line === q.line && p.character <= q.character);
  return le(b.start, a.start) && le(a.end, b.end);
}

/** The elements of a dict/list/tuple/set literal (pairs, items, splats), without comments. */
export function elementsOf(container: SyntaxNode): SyntaxNode[] {
  return container.namedChildren.filter((c) => c.type !== 'comment');
}

/** The text of a plain string literal (no f-string, no concatenation), else undefined. */
export function stringLiteralValue(node: SyntaxNode | null | undefined): string | undefined {
  if (!node || node.type !== 'string') return undefined;
  if (node.namedChildren.some((c) => c.type === 'interpolation')) return undefined;
  const m = /^([A-Za-z]*)("""|'''|"|')([\s\S]*)\2$/.exec(node.text);
  if (!m) return undefined;
  const raw = /r/i.test(m[1]!);
  const body = m[3]!;
  if (raw || !body.includes('\\')) return body;
  return body.replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

/** The `key: value` pair of a dict literal whose key is the string `key`. */
export function pairOf(dict: SyntaxNode, key: string): SyntaxNode | undefined {
  for (const el of elementsOf(dict)) {
    if (el.type === 'pair' && stringLiteralValue(el.childForFieldName('key')) === key) return el;
  }
  return undefined;
}

/** Does the dict literal spell out this key (or hide keys behind a `**splat`)? */
function dictMayHaveKey(dict: SyntaxNode, key: string): boolean {
  return !!pairOf(dict, key);
}

/** Follow string keys (dicts) and indexes (lists without splats) from a literal to an inner literal. */
export function navigate(node: SyntaxNode, path: (string | number)[]): SyntaxNode | undefined {
  let cur: SyntaxNode | undefined = node;
  for (const step of path) {
    if (!cur) return undefined;
    cur = unwrap(cur);
    if (typeof step === 'string') {
      if (cur.type !== 'dictionary') return undefined;
      cur = pairOf(cur, step)?.childForFieldName('value') ?? undefined;
    } else {
      if (cur.type !== 'list' && cur.type !== 'tuple') return undefined;
      const els = elementsOf(cur);
      if (els.some((e) => e.type === 'list_splat' || e.type === 'parenthesized_list_splat')) return undefined;
      cur = els[step];
    }
  }
  return cur ? unwrap(cur) : undefined;
}

function unwrap(node: SyntaxNode): SyntaxNode {
  let cur = node;
  while (cur.type === 'parenthesized_expression' && cur.namedChildren.length === 1) cur = cur.namedChildren[0]!;
  return cur;
}

// ------------------------------------------------------------------ editing containers

let linesCache: { text: string; lines: string[] } | undefined;

function lineText(root: SyntaxNode, row: number): string {
  const text = root.text;
  if (linesCache?.text !== text) linesCache = { text, lines: text.split('\n') };
  return linesCache.lines[row] ?? '';
}

function startsLine(root: SyntaxNode, node: SyntaxNode): boolean {
  return lineText(root, node.startPosition.row).slice(0, node.startPosition.column).trim() === '';
}

function lineIndent(root: SyntaxNode, row: number): string {
  return /^[ \t]*/.exec(lineText(root, row))![0];
}

function pos(row: number, column: number) {
  return { line: row, character: column };
}

function insertAt(file: string, row: number, column: number, newText: string): TextEdit {
  return { file, range: { start: pos(row, column), end: pos(row, column) }, newText };
}

function closingOf(container: SyntaxNode): SyntaxNode | undefined {
  const last = container.lastChild;
  return last && ['}', ']', ')'].includes(last.type) ? last : undefined;
}

/**
 * Edits appending rendered elements (`"KEY": value` or `value`) to a container literal, or putting
 * them before one of its elements. An empty container is rewritten whole (so concurrent fixes on it
 * overlap and apply one per pass instead of concatenating without separators).
 */
export function insertElements(
  file: string,
  root: SyntaxNode,
  container: SyntaxNode,
  elements: (indent: string, column: number) => string[],
  where: 'end' | { before: SyntaxNode } = 'end',
): TextEdit[] {
  const els = elementsOf(container);
  const close = closingOf(container);
  if (!close) return [];
  const open = container.firstChild!.text;
  const lineIndentText = lineIndent(root, container.startPosition.row);
  if (els.length === 0) {
    const indent = lineIndentText + styleUnitGuess(root);
    const items = elements(indent, indent.length);
    if (items.length === 0) return [];
    const inline = `${open}${items.join(', ')}${close.text}`;
    const text = container.startPosition.column + inline.length + 1 <= DEFAULT_STYLE.width && !items.some((i) => i.includes('\n'))
      ? inline
      : `${open}\n${items.map((i) => `${indent}${i},`).join('\n')}\n${lineIndentText}${close.text}`;
    return [{ file, range: rangeOfNode(container), newText: text }];
  }
  if (where !== 'end') {
    const anchor = where.before;
    if (startsLine(root, anchor)) {
      const indent = ' '.repeat(anchor.startPosition.column);
      const items = elements(indent, indent.length);
      return items.length ? [insertAt(file, anchor.startPosition.row, 0, items.map((i) => `${indent}${i},\n`).join(''))] : [];
    }
    const items = elements(lineIndentText, anchor.startPosition.column);
    return items.length ? [insertAt(file, anchor.startPosition.row, anchor.startPosition.column, items.map((i) => `${i}, `).join(''))] : [];
  }
  const last = els[els.length - 1]!;
  const comma = last.nextSibling?.type === ',' ? last.nextSibling : undefined;
  const tail = comma ?? last;
  if (close.startPosition.row > tail.endPosition.row) {
    // One element per line: a new line after the last element (and its comment).
    const firstOnLine = els.find((e) => startsLine(root, e)) ?? last;
    const indent = ' '.repeat(firstOnLine.startPosition.column);
    const items = elements(indent, indent.length);
    if (items.length === 0) return [];
    const row = tail.endPosition.row;
    const edits: TextEdit[] = [];
    if (!comma) edits.push(insertAt(file, last.endPosition.row, last.endPosition.column, ','));
    edits.push(insertAt(file, row, lineText(root, row).length, items.map((i) => `\n${indent}${i},`).join('')));
    return edits;
  }
  const items = elements(lineIndentText, close.startPosition.column);
  if (items.length === 0) return [];
  const text = comma ? items.map((i) => ` ${i},`).join('') : items.map((i) => `, ${i}`).join('');
  const lineLength = lineText(root, close.startPosition.row).length;
  const tooLong = lineLength + text.length > DEFAULT_STYLE.width || items.some((i) => i.includes('\n'));
  const simple = els.every((e) => e.startPosition.row === e.endPosition.row) && !container.namedChildren.some((c) => c.type === 'comment');
  if (tooLong && simple && container.startPosition.row === close.startPosition.row) {
    // A one-line literal that would outgrow the line: rewrite it one element per line.
    const inner = lineIndentText + styleUnitGuess(root);
    const added = elements(inner, inner.length);
    const body = [...els.map((e) => `${inner}${e.text},`), ...added.map((i) => `${inner}${i},`)].join('\n');
    return [{ file, range: rangeOfNode(container), newText: `${open}\n${body}\n${lineIndentText}${close.text}` }];
  }
  return [insertAt(file, close.startPosition.row, close.startPosition.column, text)];
}

function styleUnitGuess(root: SyntaxNode): string {
  return styleOf(root).unit;
}

/** Edits adding `"key": value` entries to a dict literal, skipping keys it already spells out. */
export function insertDictEntries(file: string, root: SyntaxNode, dict: SyntaxNode, entries: [string, Py][], style: LiteralStyle): TextEdit[] {
  const missing = entries.filter(([k]) => !dictMayHaveKey(dict, k));
  if (missing.length === 0) return [];
  return insertElements(file, root, dict, (indent, column) =>
    missing.map(([k, v]) => {
      const key = `${quoteString(k, style.quote)}: `;
      return `${key}${render(v, style, indent, column + key.length)}`;
    }),
  );
}

/** Edits adding items to a list/tuple literal (at the end, or before one of its elements). */
export function insertListItems(file: string, root: SyntaxNode, list: SyntaxNode, items: Py[], style: LiteralStyle, where: 'end' | { before: SyntaxNode } = 'end'): TextEdit[] {
  return insertElements(file, root, list, (indent, column) => items.map((i) => render(i, style, indent, column)), where);
}

/** Edits removing one element of a container literal (its whole line when it has one to itself). */
export function removeElement(file: string, root: SyntaxNode, container: SyntaxNode, element: SyntaxNode): TextEdit[] {
  const els = elementsOf(container);
  const index = els.findIndex((e) => e === element);
  if (index < 0) return [];
  const comma = element.nextSibling?.type === ',' ? element.nextSibling : undefined;
  const tail = comma ?? element;
  const after = lineText(root, tail.endPosition.row).slice(tail.endPosition.column);
  const edits: TextEdit[] = [];
  if (startsLine(root, element) && /^\s*(#.*)?$/.test(after) && element.startPosition.row > container.startPosition.row) {
    edits.push({ file, range: { start: pos(element.startPosition.row, 0), end: pos(tail.endPosition.row + 1, 0) }, newText: '' });
  } else if (comma) {
    const next = comma.nextSibling;
    const end = next && next.startPosition.row === comma.endPosition.row ? next.startPosition : comma.endPosition;
    edits.push({ file, range: { start: pos(element.startPosition.row, element.startPosition.column), end: pos(end.row, end.column) }, newText: '' });
  } else if (index > 0) {
    const prev = els[index - 1]!;
    const prevComma = prev.nextSibling?.type === ',' ? prev.nextSibling : undefined;
    const start = prevComma && container.type === 'tuple' && els.length === 2 ? prevComma.endPosition : prev.endPosition;
    edits.push({ file, range: { start: pos(start.row, start.column), end: pos(element.endPosition.row, element.endPosition.column) }, newText: '' });
    return edits;
  } else {
    edits.push({ file, range: rangeOfNode(element), newText: '' });
  }
  // A tuple left with one element needs its trailing comma.
  if (container.type === 'tuple' && els.length === 2) {
    const other = els[index === 0 ? 1 : 0]!;
    if (other.nextSibling?.type !== ',') edits.push(insertAt(file, other.endPosition.row, other.endPosition.column, ','));
  }
  return edits;
}

/** Replace a node's text. */
export function replaceNode(file: string, node: SyntaxNode, newText: string): TextEdit {
  return { file, range: rangeOfNode(node), newText };
}

/** Rewrite a string literal's content, keeping its prefix and quotes when they can hold the text. */
export function replaceStringContent(file: string, node: SyntaxNode, value: string, style: LiteralStyle): TextEdit | undefined {
  const m = /^([A-Za-z]*)("""|'''|"|')/.exec(node.text);
  if (!m || node.type !== 'string') return undefined;
  const prefix = m[1]!;
  const quote = m[2]!;
  if (/r/i.test(prefix)) {
    if (value.includes(quote[0]!) || value.endsWith('\\')) return undefined;
    return replaceNode(file, node, `${prefix}${quote}${value}${quote}`);
  }
  if (value.includes('\\')) {
    // A regular expression with escapes reads best as a raw string.
    if (value.includes(quote[0]!) || value.endsWith('\\') || /[fFbB]/.test(prefix)) return undefined;
    return replaceNode(file, node, `r${prefix.replace(/[uU]/, '')}${quote}${value}${quote}`);
  }
  return replaceNode(file, node, `${prefix}${quoteString(value, (quote[0] as '"' | "'") ?? style.quote)}`);
}

// ------------------------------------------------------------------ statements

/** The statement node (expression_statement) at a location. */
export function statementAt(root: SyntaxNode, stmt: Location): SyntaxNode | undefined {
  return nodeAt(root, stmt.range, ['expression_statement']) ?? nodeAt(root, stmt.range);
}

/**
 * Delete a statement; when it is the only statement of its block, replace it with `replacement`
 * (default `pass`) so the block stays valid.
 */
export function deleteStatementEdits(file: string, root: SyntaxNode, stmt: Location, replacement = 'pass'): TextEdit[] {
  const node = statementAt(root, stmt);
  if (!node) return [];
  const block = node.parent;
  if (block && block.type === 'block' && elementsOf(block).length === 1) return [replaceNode(file, node, replacement)];
  const after = lineText(root, node.endPosition.row).slice(node.endPosition.column);
  if (!startsLine(root, node) || !/^\s*(#.*)?$/.test(after)) return [];
  return [{ file, range: { start: pos(node.startPosition.row, 0), end: pos(node.endPosition.row + 1, 0) }, newText: '' }];
}

// ------------------------------------------------------------------ settings-level helpers

/**
 * Builds fixes on settings literals for one production profile. Edits go into the literal where it
 * is written when that is the production module; a literal inherited from another module (base.py)
 * is changed by statements in the production module when that is possible, the base literal being
 * offered as a second, explicit fix.
 */
export class LiteralEditor {
  constructor(private readonly edit: SettingsEditor) {}

  get prodPath(): string {
    return this.edit.profile.module.path;
  }

  root(file: string): SyntaxNode | undefined {
    return this.edit.rootOf(file);
  }

  style(file = this.prodPath, near?: SyntaxNode): LiteralStyle {
    return styleOf(this.root(file), near);
  }

  /** The literal node a setting is assigned (its right-hand side), when it is one of `types`. */
  literalOf(s: Setting, types: string[]): { file: string; node: SyntaxNode; root: SyntaxNode; inProduction: boolean } | undefined {
    const rhs = s.binding?.rhs;
    if (!rhs) return undefined;
    const root = this.root(rhs.file);
    if (!root) return undefined;
    const node = nodeAt(root, rhs.range, types);
    if (!node || node.hasError) return undefined;
    return { file: rhs.file, node, root, inProduction: rhs.file === this.prodPath && !s.binding?.imported };
  }

  /** The literal node a value was written as (a list element, a dict value), when it is one. */
  nodeOf(v: Value | undefined, types?: string[]): { file: string; node: SyntaxNode; root: SyntaxNode } | undefined {
    const src = v?.src;
    if (!src) return undefined;
    const root = this.root(src.file);
    if (!root) return undefined;
    const node = nodeAt(root, src.range, types);
    return node && !node.hasError ? { file: src.file, node, root } : undefined;
  }

  /** `NAME = <value>` for a setting the production module does not assign, laid out in its style. */
  assignLines(name: string, value: Py, comment?: string): string[] {
    const style = this.style();
    const head = `${name} = `;
    const text = render(value, style, '', head.length) + (comment ? `  # ${comment}` : '');
    return `${head}${text}`.split('\n');
  }

  /**
   * Give a setting a (possibly multi-line) value: rewrite its right-hand side in the production
   * module, or add an assignment there (overriding an inherited one; rewriting the inherited
   * module is offered second).
   */
  setValue(s: Setting, value: Py, title: string, imports: string[] = []): Fix[] {
    const rhs = s.binding?.rhs;
    const rewrite = (file: string): TextEdit[] | undefined => {
      const root = this.root(file);
      if (!rhs || !root) return undefined;
      const indent = lineIndent(root, rhs.range.start.line);
      const text = render(value, this.style(file), indent, rhs.range.start.character);
      return [{ ...rhs, newText: text }, ...this.edit.importEdits(imports, file)];
    };
    if (rhs && rhs.file === this.prodPath && !s.binding?.imported) {
      const edits = rewrite(rhs.file);
      return edits ? [{ title, edits, safe: true }] : [];
    }
    const fixes: Fix[] = [{ title, edits: this.edit.insertLines(this.assignLines(s.name, value), imports), safe: true }];
    if (rhs) {
      const edits = rewrite(rhs.file);
      if (edits) fixes.push({ title: `${title} (in ${shortPath(rhs.file)})`, edits, safe: false });
    }
    return fixes;
  }

  /**
   * Add entries to a dict setting, or to a dict nested in it (`path` of string keys). Keys the
   * literal already has are never added. When the dict is inherited or not a literal, the
   * production module gets `NAME["K"] = value` statements instead.
   */
  mergeDict(s: Setting, path: string[], entries: [string, Py][], title: string, imports: string[] = []): Fix[] {
    if (entries.length === 0) return [];
    const lit = this.literalOf(s, ['dictionary']);
    const target = lit ? navigate(lit.node, path) : undefined;
    const literalEdits = (): TextEdit[] | undefined => {
      if (!lit || !target || target.type !== 'dictionary') return undefined;
      const edits = insertDictEntries(lit.file, lit.root, target, entries, this.style(lit.file, lit.node));
      return edits.length ? [...edits, ...this.edit.importEdits(imports, lit.file)] : undefined;
    };
    if (lit?.inProduction) {
      const edits = literalEdits();
      if (edits) return [{ title, edits, safe: true }];
    }
    const subscript = `${s.name}${path.map((k) => `[${quoteString(k, this.style().quote)}]`).join('')}`;
    const lines = entries.flatMap(([k, v]) => this.assignLines(`${subscript}[${quoteString(k, this.style().quote)}]`, v));
    const fixes: Fix[] = [{ title: lit && !lit.inProduction ? `${title} (in ${shortPath(this.prodPath)})` : title, edits: this.edit.insertLines(lines, imports), safe: true }];
    if (lit && !lit.inProduction) {
      const edits = literalEdits();
      if (edits) fixes.push({ title: `${title} (in ${shortPath(lit.file)})`, edits, safe: false });
    }
    return fixes;
  }

  /**
   * Set one key of a dict setting (or of a dict nested in it) to a new value: rewrite the value in
   * the literal when the production module spells it out, else assign `NAME[...]["K"] = value`.
   */
  setDictKey(s: Setting, path: string[], key: string, value: Py, title: string, imports: string[] = []): Fix[] {
    const lit = this.literalOf(s, ['dictionary']);
    const target = lit ? navigate(lit.node, path) : undefined;
    const pair = target?.type === 'dictionary' ? pairOf(target, key) : undefined;
    const valueNode = pair?.childForFieldName('value');
    const inLiteral = (): TextEdit[] | undefined => {
      if (!lit || !valueNode) return undefined;
      const indent = lineIndent(lit.root, valueNode.startPosition.row);
      const text = render(value, this.style(lit.file, lit.node), indent, valueNode.startPosition.column);
      return [replaceNode(lit.file, valueNode, text), ...this.edit.importEdits(imports, lit.file)];
    };
    if (lit?.inProduction && valueNode) return [{ title, edits: inLiteral()!, safe: true }];
    if (lit?.inProduction && target?.type === 'dictionary' && !pair) return this.mergeDict(s, path, [[key, value]], title, imports);
    const q = this.style().quote;
    const subscript = `${s.name}${[...path, key].map((k) => `[${quoteString(k, q)}]`).join('')}`;
    const fixes: Fix[] = [{ title, edits: this.edit.insertLines(this.assignLines(subscript, value), imports), safe: true }];
    const base = lit && !lit.inProduction ? inLiteral() : undefined;
    if (base && lit) fixes.push({ title: `${title} (in ${shortPath(lit.file)})`, edits: base, safe: false });
    return fixes;
  }

  /**
   * Add items to a list setting: into the literal holding `anchor` (an element's value) or the
   * setting's own literal. `where` puts them first or before the anchor element.
   */
  insertItems(s: Setting, items: Py[], title: string, opts: { before?: Value; first?: boolean; imports?: string[] } = {}): Fix[] {
    const anchor = opts.before ? this.nodeOf(opts.before) : undefined;
    let container: { file: string; node: SyntaxNode; root: SyntaxNode } | undefined;
    let where: 'end' | { before: SyntaxNode } = 'end';
    if (anchor) {
      const parent = anchor.node.parent;
      if (parent && (parent.type === 'list' || parent.type === 'tuple')) {
        container = { file: anchor.file, node: parent, root: anchor.root };
        where = { before: anchor.node };
      }
    }
    if (!container) {
      const lit = this.literalOf(s, ['list', 'tuple']);
      if (!lit) return [];
      container = lit;
      if (opts.first) {
        const first = elementsOf(lit.node)[0];
        if (first) where = { before: first };
      }
    }
    const edits = insertListItems(container.file, container.root, container.node, items, this.style(container.file, container.node), where);
    if (edits.length === 0) return [];
    return [{ title, edits: [...edits, ...this.edit.importEdits(opts.imports ?? [], container.file)], safe: true }];
  }

  /**
   * Set `key` in a dict literal a value was written as (a list element such as one validator of
   * AUTH_PASSWORD_VALIDATORS), or in a dict nested in it: replace the value when the key is written,
   * else add the entry; a missing nested dict is added whole. Edits the literal where it is.
   */
  setInItem(item: Value, path: string[], key: string, value: Py, title: string): Fix[] {
    const at = this.nodeOf(item, ['dictionary']);
    if (!at) return [];
    const style = this.style(at.file, at.node);
    let dict = at.node;
    for (let i = 0; i < path.length; i++) {
      const inner = navigate(dict, [path[i]!]);
      if (!inner) {
        // Build the rest of the path as one nested entry: {"OPTIONS": {"min_length": 12}}.
        let nested: Py = py.dict([key, value]);
        for (let j = path.length - 1; j > i; j--) nested = py.dict([path[j]!, nested]);
        if (pairOf(dict, path[i]!)) return [];
        const edits = insertDictEntries(at.file, at.root, dict, [[path[i]!, nested]], style);
        return edits.length ? [{ title, edits, safe: true }] : [];
      }
      if (inner.type !== 'dictionary') return [];
      dict = inner;
    }
    const pair = pairOf(dict, key);
    const valueNode = pair?.childForFieldName('value');
    if (valueNode) {
      const text = render(value, style, lineIndent(at.root, valueNode.startPosition.row), valueNode.startPosition.column);
      return [{ title, edits: [replaceNode(at.file, valueNode, text)], safe: true }];
    }
    const edits = insertDictEntries(at.file, at.root, dict, [[key, value]], style);
    return edits.length ? [{ title, edits, safe: true }] : [];
  }

  /** Remove the list element a value was written as. */
  removeItem(item: Value, title: string): Fix[] {
    const at = this.nodeOf(item);
    const parent = at?.node.parent;
    if (!at || !parent || !['list', 'tuple', 'set'].includes(parent.type)) return [];
    const edits = removeElement(at.file, at.root, parent, at.node);
    return edits.length ? [{ title, edits, safe: true }] : [];
  }

  /** Delete a setting's assignment (keeping its block valid). */
  deleteAssignment(s: Setting, title: string): Fix[] {
    const stmt = s.binding?.stmt;
    if (!stmt) return [];
    const root = this.root(stmt.file);
    if (!root) return [];
    const edits = deleteStatementEdits(stmt.file, root, stmt);
    return edits.length ? [{ title, edits, safe: true }] : [];
  }

  /**
   * Replace the default argument of an environment read (`os.getenv("X", "8")` → `"12"`), keeping
   * its type: a string default stays a string (`stringText`, when the expression differs).
   */
  replaceFallback(v: Value, pyText: string, title: string, stringText = pyText): Fix[] {
    const fb = v.env?.fallback;
    if (!fb) return [];
    const root = this.root(fb.file);
    if (!root) return [];
    const node = nodeAt(root, fb.range);
    if (!node) return [];
    const text = node.type === 'string' ? replaceStringContent(fb.file, node, stringText, this.style(fb.file))?.newText : pyText;
    if (text === undefined) return [];
    return [{ title, edits: [{ ...fb, newText: text }], safe: true }];
  }
}

function shortPath(path: string): string {
  return path.split('/').slice(-2).join('/');
}
