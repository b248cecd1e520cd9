// Syntax trees as plain JavaScript objects. web-tree-sitter's own `Node` crosses into wasm on every
// property read (about a microsecond each), and the evaluator and the rules read a node's type,
// fields and position many times: a settings module of 3,000 lines cost hundreds of milliseconds
// per analysis that way. So each tree-sitter tree is copied once, with one cursor walk, into
// `SyntaxNode`s that keep the same names (`type`, `childForFieldName`, `namedChildren`...) and is
// then deleted: no tree outlives its parse in wasm memory, and every later read is a field access.
import type { Language, Tree, TreeCursor } from 'web-tree-sitter';
import { runtimeModule } from './grammars';
import { rowStarts } from './lines';

export interface Point {
  row: number;
  column: number;
}

/**
 * The source text a tree was parsed from; shared by every node of the tree. Nodes hold rows and
 * columns, and offsets come from where each row starts: typing inside a line moves no node after
 * it (a 3,066-line module has 44,000 of them after its middle).
 */
export class SyntaxTree {
  rootNode!: SyntaxNode;
  private rows: number[] | undefined;
  constructor(private current: string) {}

  get text(): string {
    return this.current;
  }

  set text(text: string) {
    this.current = text;
    this.rows = undefined;
  }

  /** The offset at which each row of `text` starts (rows end at \n, as tree-sitter counts them). */
  get rowStarts(): number[] {
    return (this.rows ??= rowStarts(this.current));
  }
}

/** The children of every leaf: one shared, frozen array instead of an empty one per node. */
const NO_CHILDREN: SyntaxNode[] = Object.freeze([]) as unknown as SyntaxNode[];

/** Bits of `SyntaxNode.flags`: one small integer instead of three fields (390,000 nodes in a large workspace). */
const NAMED = 1;
const MISSING = 2;
const HAS_ERROR = 4;

export class SyntaxNode {
  parent: SyntaxNode | null = null;
  children: SyntaxNode[] = NO_CHILDREN;
  /** Field name of each child, when the node has any field at all. */
  fieldNames: (string | null)[] | undefined;
  private flags: number;
  private named: SyntaxNode[] | undefined;
  /** Position in the parent's `children`. */
  indexInParent = 0;

  constructor(
    public tree: SyntaxTree,
    readonly type: string,
    isNamed: boolean,
    isMissing: boolean,
    public startRow: number,
    public startColumn: number,
    public endRow: number,
    public endColumn: number,
  ) {
    this.flags = (isNamed ? NAMED : 0) | (isMissing ? MISSING : 0);
  }

  get isNamed(): boolean {
    return (this.flags & NAMED) !== 0;
  }

  get isMissing(): boolean {
    return (this.flags & MISSING) !== 0;
  }

  /** The node is or contains an ERROR or MISSING node. */
  get hasError(): boolean {
    return (this.flags & HAS_ERROR) !== 0;
  }

  set hasError(value: boolean) {
    this.flags = value ? this.flags | HAS_ERROR : this.flags & ~HAS_ERROR;
  }

  get startIndex(): number {
    return this.tree.rowStarts[this.startRow]! + this.startColumn;
  }

  get endIndex(): number {
    return this.tree.rowStarts[this.endRow]! + this.endColumn;
  }

  /** Replaces the children (a region reparse); module-level children carry no field names. */
  setChildren(children: SyntaxNode[]): void {
    this.children = children;
    this.fieldNames = undefined;
    this.named = undefined;
    children.forEach((c, i) => {
      c.parent = this;
      c.indexInParent = i;
    });
  }

  get text(): string {
    const rows = this.tree.rowStarts;
    return this.tree.text.slice(rows[this.startRow]! + this.startColumn, rows[this.endRow]! + this.endColumn);
  }

  get startPosition(): Point {
    return { row: this.startRow, column: this.startColumn };
  }

  get endPosition(): Point {
    return { row: this.endRow, column: this.endColumn };
  }

  get namedChildren(): SyntaxNode[] {
    if (!this.named) this.named = this.children.filter((c) => c.isNamed);
    return this.named;
  }

  get childCount(): number {
    return this.children.length;
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  child(i: number): SyntaxNode | null {
    return this.children[i] ?? null;
  }

  namedChild(i: number): SyntaxNode | null {
    return this.namedChildren[i] ?? null;
  }

  get firstChild(): SyntaxNode | null {
    return this.children[0] ?? null;
  }

  get lastChild(): SyntaxNode | null {
    return this.children[this.children.length - 1] ?? null;
  }

  get firstNamedChild(): SyntaxNode | null {
    return this.namedChildren[0] ?? null;
  }

  get lastNamedChild(): SyntaxNode | null {
    const named = this.namedChildren;
    return named[named.length - 1] ?? null;
  }

  get nextSibling(): SyntaxNode | null {
    return this.parent?.children[this.indexInParent + 1] ?? null;
  }

  get previousSibling(): SyntaxNode | null {
    return this.parent?.children[this.indexInParent - 1] ?? null;
  }

  get nextNamedSibling(): SyntaxNode | null {
    const siblings = this.parent?.children ?? [];
    for (let i = this.indexInParent + 1; i < siblings.length; i++) if (siblings[i]!.isNamed) return siblings[i]!;
    return null;
  }

  get previousNamedSibling(): SyntaxNode | null {
    const siblings = this.parent?.children ?? [];
    for (let i = this.indexInParent - 1; i >= 0; i--) if (siblings[i]!.isNamed) return siblings[i]!;
    return null;
  }

  childForFieldName(name: string): SyntaxNode | null {
    const fields = this.fieldNames;
    if (!fields) return null;
    for (let i = 0; i < fields.length; i++) if (fields[i] === name) return this.children[i]!;
    return null;
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    const fields = this.fieldNames;
    if (!fields) return [];
    const out: SyntaxNode[] = [];
    for (let i = 0; i < fields.length; i++) if (fields[i] === name) out.push(this.children[i]!);
    return out;
  }

  fieldNameForChild(i: number): string | null {
    return this.fieldNames?.[i] ?? null;
  }

  /** Descendants (this node excluded) of the given types, in document order. */
  descendantsOfType(types: string | string[]): SyntaxNode[] {
    const wanted = typeof types === 'string' ? [types] : types;
    if (this.parent !== null || this.children.length < 16) return this.walkForTypes(wanted);
    // A module: rules ask it for its imports, calls or strings on every analysis. Each top-level
    // statement keeps an index of its descendants by type, and statements survive edits elsewhere
    // (region reparse), so a keystroke re-indexes only the statements it touched.
    const out: SyntaxNode[] = [];
    for (const child of this.children) {
      if (wanted.includes(child.type)) out.push(child);
      const index = child.typeIndex();
      let hits: SyntaxNode[] | undefined;
      let kinds = 0;
      for (const t of wanted) {
        const h = index.get(t);
        if (h) {
          hits = h;
          kinds++;
        }
      }
      if (kinds === 1) for (const h of hits!) out.push(h);
      else if (kinds > 1) for (const h of child.walkForTypes(wanted)) out.push(h);
    }
    return out;
  }

  private byType: Map<string, SyntaxNode[]> | undefined;

  private typeIndex(): Map<string, SyntaxNode[]> {
    if (!this.byType) {
      const index = new Map<string, SyntaxNode[]>();
      const stack: SyntaxNode[] = [];
      for (let i = this.children.length - 1; i >= 0; i--) stack.push(this.children[i]!);
      while (stack.length > 0) {
        const n = stack.pop()!;
        const list = index.get(n.type);
        if (list) list.push(n);
        else index.set(n.type, [n]);
        for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
      }
      this.byType = index;
    }
    return this.byType;
  }

  private walkForTypes(wanted: string[]): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    const stack: SyntaxNode[] = [];
    for (let i = this.children.length - 1; i >= 0; i--) stack.push(this.children[i]!);
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (wanted.includes(n.type)) out.push(n);
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
    }
    return out;
  }

  /**
   * The smallest node (named or not) containing the range from `start` to `end`, by tree-sitter's
   * rule: a child is entered when it starts at or before `start`, ends at or after `end` and ends
   * after `start`.
   */
  descendantForPosition(start: Point, end: Point = start): SyntaxNode {
    const before = (r1: number, c1: number, r2: number, c2: number) => r1 < r2 || (r1 === r2 && c1 < c2);
    let node: SyntaxNode = this;
    for (;;) {
      let next: SyntaxNode | undefined;
      for (const c of node.children) {
        if (before(c.endRow, c.endColumn, end.row, end.column)) continue;
        if (!before(start.row, start.column, c.endRow, c.endColumn)) continue;
        if (before(start.row, start.column, c.startRow, c.startColumn)) break;
        next = c;
        break;
      }
      if (!next) return node;
      node = next;
    }
  }

  /** The innermost named node spanning [start, end). */
  namedDescendantForIndex(start: number, end = start): SyntaxNode {
    let node: SyntaxNode = this;
    for (;;) {
      const inner = node.namedChildren.find((c) => c.startIndex <= start && end <= c.endIndex);
      if (!inner) return node;
      node = inner;
    }
  }

  /** The S-expression tree-sitter prints for a node (named nodes, fields, MISSING). */
  toString(): string {
    const parts: string[] = [];
    const visit = (n: SyntaxNode, field: string | null) => {
      if (!n.isNamed && !n.isMissing) return;
      if (field) parts.push(`${field}: `);
      if (n.isMissing) {
        parts.push(n.isNamed ? `(MISSING ${n.type})` : `(MISSING "${n.type}")`);
        return;
      }
      parts.push(`(${n.type}`);
      n.children.forEach((c, i) => {
        if (!c.isNamed && !c.isMissing) return;
        parts.push(' ');
        visit(c, n.fieldNames?.[i] ?? null);
      });
      parts.push(')');
    };
    visit(this, null);
    return parts.join('');
  }
}

/** Per-language tables the copy needs, read from wasm once. */
interface LanguageTables {
  types: string[];
  named: boolean[];
  fields: (string | null)[];
}
const tables = new WeakMap<Language, LanguageTables>();

function tablesOf(language: Language): LanguageTables {
  let t = tables.get(language);
  if (!t) {
    const types = [...language.types];
    t = { types, named: types.map((_, i) => language.nodeTypeIsNamed(i)), fields: [...language.fields] };
    tables.set(language, t);
  }
  return t;
}

function rowOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * How the copy reads a tree-sitter cursor: the current node's type id, field id, extent and
 * whether it is MISSING, and the moves.
 */
interface CursorReader {
  typeId(): number;
  fieldId(): number;
  startIndex(): number;
  endIndex(): number;
  isMissing(): boolean;
  firstChild(): boolean;
  nextSibling(): boolean;
  parent(): boolean;
  /** Frees the cursor. */
  done(): void;
}

/** The public TreeCursor API: every call copies the cursor into wasm memory and back. */
function publicReader(tree: Tree): CursorReader {
  const c = tree.walk();
  return {
    typeId: () => c.nodeTypeId,
    fieldId: () => c.currentFieldId,
    startIndex: () => c.startIndex,
    endIndex: () => c.endIndex,
    isMissing: () => c.nodeIsMissing,
    firstChild: () => c.gotoFirstChild(),
    nextSibling: () => c.gotoNextSibling(),
    parent: () => c.gotoParent(),
    done: () => c.delete(),
  };
}

type Exported = (tree: number) => number;
interface RuntimeExports {
  typeId: Exported;
  fieldId: Exported;
  startIndex: Exported;
  endIndex: Exported;
  isMissing: Exported;
  firstChild: Exported;
  nextSibling: Exported;
  parent: Exported;
  heap: () => Int32Array;
  transferBuffer: number;
}

let runtimeExports: RuntimeExports | null | undefined;

/**
 * The runtime's cursor functions, called directly. Each `*_wasm` export reads the cursor from the
 * runtime's transfer buffer (and the moves write it back), so the cursor can stay there for a whole
 * walk instead of being copied in and out around every call, which is what the public API costs.
 * Checked against the public API on a sample tree once; null (public API only) when anything
 * differs or is missing, as after a web-tree-sitter upgrade that changed these internals.
 */
function directExports(sample: (text: string) => Tree | undefined): RuntimeExports | null {
  if (runtimeExports !== undefined) return runtimeExports;
  const text = 'import os\nX = {"a": [1, f"{y}"]}\nif X:\n    def f(a, b=2): return a\nY = (\n';
  const tree = sample(text);
  // No parser at hand to check with: public API this time, decide later.
  if (!tree) return null;
  runtimeExports = null;
  const m = runtimeModule();
  const fn = (name: string) => (typeof m?.[name] === 'function' ? (m[name] as Exported) : undefined);
  const names = ['typeId', 'fieldId', 'startIndex', 'endIndex', 'isMissing', 'firstChild', 'nextSibling', 'parent'] as const;
  const exports = {
    typeId: fn('_ts_tree_cursor_current_node_type_id_wasm'),
    fieldId: fn('_ts_tree_cursor_current_field_id_wasm'),
    startIndex: fn('_ts_tree_cursor_start_index_wasm'),
    endIndex: fn('_ts_tree_cursor_end_index_wasm'),
    isMissing: fn('_ts_tree_cursor_current_node_is_missing_wasm'),
    firstChild: fn('_ts_tree_cursor_goto_first_child_wasm'),
    nextSibling: fn('_ts_tree_cursor_goto_next_sibling_wasm'),
    parent: fn('_ts_tree_cursor_goto_parent_wasm'),
  };
  const init = fn('_ts_init');
  try {
    if (!m || !init || names.some((n) => !exports[n]) || !(m.HEAP32 instanceof Int32Array)) return null;
    const candidate = { ...(exports as Record<(typeof names)[number], Exported>), heap: () => m.HEAP32 as Int32Array, transferBuffer: init(0) };
    const a = new SyntaxTree(text);
    a.rootNode = walk(tree, text, a, 0, 0, () => directReader(tree, candidate));
    const b = new SyntaxTree(text);
    b.rootNode = walk(tree, text, b, 0, 0, () => publicReader(tree));
    if (dumpForCheck(a.rootNode) === dumpForCheck(b.rootNode)) runtimeExports = candidate;
  } catch {
    runtimeExports = null;
  } finally {
    tree.delete();
  }
  return runtimeExports;
}

/** Which way trees are copied: through the runtime's exports directly, or the public cursor API. */
export function copyPath(): 'direct' | 'public' | 'undecided' {
  return runtimeExports === undefined ? 'undecided' : runtimeExports ? 'direct' : 'public';
}

/** Copies with the public cursor API only (tests compare both ways). */
export function copyTreePublic(tree: Tree, text: string, into: SyntaxTree): SyntaxNode {
  return walk(tree, text, into, 0, 0, () => publicReader(tree));
}

function dumpForCheck(n: SyntaxNode): string {
  return `${n.type}${n.isMissing ? '!' : ''}${n.startIndex}-${n.endIndex}[${n.fieldNames?.join(',') ?? ''}](${n.children.map(dumpForCheck).join(' ')})`;
}

function directReader(tree: Tree, x: RuntimeExports): CursorReader {
  const cursor = tree.walk() as unknown as Record<number, number>;
  const t = (tree as unknown as Record<number, number>)[0]!;
  // The cursor's four words go into the transfer buffer once; the calls below keep them there.
  const word = x.transferBuffer >> 2;
  for (let i = 0; i < 4; i++) x.heap()[word + i] = cursor[i]!;
  return {
    typeId: () => x.typeId(t),
    fieldId: () => x.fieldId(t),
    startIndex: () => x.startIndex(t),
    endIndex: () => x.endIndex(t),
    isMissing: () => x.isMissing(t) === 1,
    firstChild: () => x.firstChild(t) === 1,
    nextSibling: () => x.nextSibling(t) === 1,
    parent: () => x.parent(t) === 1,
    done: () => {
      // The moves may have reallocated the cursor's stack: hand the current words back first.
      for (let i = 0; i < 4; i++) cursor[i] = x.heap()[word + i]!;
      (cursor as unknown as TreeCursor).delete();
    },
  };
}

/**
 * Copies a tree-sitter tree into `SyntaxNode`s. `text` is the text that was parsed; `offset` and
 * `rowOffset` place it in a larger file (a region reparsed on its own starts at a line start, so
 * columns need no offset). The nodes share `into`, the file's text holder. `sample` parses a small
 * check text, used once to validate the direct cursor calls.
 */
export function copyTree(tree: Tree, text: string, into: SyntaxTree, offset = 0, rowOffset = 0, sample: (text: string) => Tree | undefined = () => undefined): SyntaxNode {
  const direct = directExports(sample);
  return walk(tree, text, into, offset, rowOffset, () => (direct ? directReader(tree, direct) : publicReader(tree)));
}

function walk(tree: Tree, text: string, into: SyntaxTree, offset: number, rowOffset: number, reader: () => CursorReader): SyntaxNode {
  const t = tablesOf(tree.language);
  const starts = rowStarts(text);
  // Created last: nothing may call into the runtime between here and the end of the walk.
  const cursor = reader();
  const make = (): SyntaxNode => {
    const typeId = cursor.typeId();
    const start = cursor.startIndex();
    const end = cursor.endIndex();
    const type = typeId === 65535 ? 'ERROR' : (t.types[typeId] ?? 'ERROR');
    const missing = start === end && cursor.isMissing();
    const sr = rowOf(starts, start);
    const er = end === start ? sr : rowOf(starts, end);
    const node = new SyntaxNode(into, type, typeId === 65535 || (t.named[typeId] ?? false), missing, sr + rowOffset, start - starts[sr]!, er + rowOffset, end - starts[er]!);
    node.hasError = missing || type === 'ERROR';
    return node;
  };
  try {
    const root = make();
    const stack: SyntaxNode[] = [root];
    if (!cursor.firstChild()) return root;
    for (;;) {
      const parent = stack[stack.length - 1]!;
      const node = make();
      const fieldId = cursor.fieldId();
      node.parent = parent;
      node.indexInParent = parent.children.length;
      if (fieldId !== 0 || parent.fieldNames) {
        parent.fieldNames ??= new Array<string | null>(parent.children.length).fill(null);
        parent.fieldNames.push(fieldId === 0 ? null : (t.fields[fieldId] ?? null));
      }
      if (parent.children === NO_CHILDREN) parent.children = [node];
      else parent.children.push(node);
      if (cursor.firstChild()) {
        stack.push(node);
        continue;
      }
      // A leaf is complete; a node is complete when the walk climbs back out of it.
      if (node.hasError) parent.hasError = true;
      while (!cursor.nextSibling()) {
        if (!cursor.parent()) return root;
        const done = stack.pop()!;
        // Arrays grown by push keep spare capacity (a two-child node's array has room for 17):
        // exact copies halve the memory a large module's tree takes.
        done.children = done.children.slice();
        if (done.fieldNames) done.fieldNames = done.fieldNames.slice();
        if (stack.length === 0) return root;
        if (done.hasError) stack[stack.length - 1]!.hasError = true;
      }
    }
  } finally {
    cursor.done();
  }
}

// ------------------------------------------------------------------ flat trees (parse workers)

/**
 * A tree as one Int32Array, so a worker thread can parse and hand the result over without copying
 * objects: per node in document order, `FLAT_WORDS` words: type id, flags (1 MISSING, 2 named,
 * 4 has an error inside), start and end index, start row and column, end row and column, field id
 * in the parent, number of children.
 */
export const FLAT_WORDS = 10;

export interface FlatTree {
  words: Int32Array;
  /** Number of nodes. */
  nodes: number;
}

/** Flattens a tree-sitter tree (in the worker) with the same cursor walk `copyTree` uses. */
export function flattenTree(tree: Tree, text: string, sample: (text: string) => Tree | undefined = () => undefined): FlatTree {
  const direct = directExports(sample);
  const t = tablesOf(tree.language);
  const starts = rowStarts(text);
  let words = new Int32Array(Math.max(1024, text.length) * 2);
  let count = 0;
  const cursor = direct ? directReader(tree, direct) : publicReader(tree);
  // Offsets of the records of the nodes being walked, innermost last.
  const open: number[] = [];
  const emit = (fieldId: number): number => {
    const at = count * FLAT_WORDS;
    if (at + FLAT_WORDS > words.length) {
      const grown = new Int32Array(words.length * 2);
      grown.set(words);
      words = grown;
    }
    const typeId = cursor.typeId();
    const start = cursor.startIndex();
    const end = cursor.endIndex();
    const missing = start === end && cursor.isMissing();
    const isError = typeId === 65535 || t.types[typeId] === undefined || t.types[typeId] === 'ERROR';
    const sr = rowOf(starts, start);
    const er = end === start ? sr : rowOf(starts, end);
    words[at] = typeId;
    words[at + 1] = (missing ? 1 : 0) | (typeId === 65535 || t.named[typeId] ? 2 : 0) | (missing || isError ? 4 : 0);
    words[at + 2] = start;
    words[at + 3] = end;
    words[at + 4] = sr;
    words[at + 5] = start - starts[sr]!;
    words[at + 6] = er;
    words[at + 7] = end - starts[er]!;
    words[at + 8] = fieldId;
    words[at + 9] = 0;
    count++;
    return at;
  };
  try {
    open.push(emit(0));
    if (cursor.firstChild()) {
      for (;;) {
        const parentAt = open[open.length - 1]!;
        const at = emit(cursor.fieldId());
        words[parentAt + 9]!++;
        if (cursor.firstChild()) {
          open.push(at);
          continue;
        }
        if (words[at + 1]! & 4) words[parentAt + 1]! |= 4;
        let finished = false;
        while (!cursor.nextSibling()) {
          if (!cursor.parent()) {
            finished = true;
            break;
          }
          const done = open.pop()!;
          if (open.length === 0) {
            finished = true;
            break;
          }
          if (words[done + 1]! & 4) words[open[open.length - 1]! + 1]! |= 4;
        }
        if (finished) break;
      }
    }
  } finally {
    cursor.done();
  }
  return { words, nodes: count };
}

/**
 * Links nodes given in document order into a tree: `make(i)` makes the i-th node, its `children`
 * an array of the length it will have (empty for a leaf), and `field(i)` names the field of its
 * parent it fills (null: none). Stops when the root is complete; `placed` says how many nodes that
 * took (all of them, for a well-formed input). Undefined when `make` or `field` refuses a node
 * (returns undefined). Two callbacks rather than one returning a pair: no object per node.
 */
export function linkPreorder(count: number, make: (i: number) => SyntaxNode | undefined, field: (i: number) => string | null | undefined): { root: SyntaxNode; placed: number } | undefined {
  const root = make(0);
  if (!root) return undefined;
  // Nodes whose children are still being filled, with how many are filled.
  const parents: SyntaxNode[] = [];
  const filled: number[] = [];
  if (root.children.length > 0) {
    parents.push(root);
    filled.push(0);
  }
  let i = 1;
  for (; i < count && parents.length > 0; i++) {
    const node = make(i);
    const name = field(i);
    if (!node || name === undefined) return undefined;
    const depth = parents.length - 1;
    const parent = parents[depth]!;
    const index = filled[depth]!;
    node.parent = parent;
    node.indexInParent = index;
    parent.children[index] = node;
    if (name !== null) {
      parent.fieldNames ??= new Array<string | null>(parent.children.length).fill(null);
      parent.fieldNames[index] = name;
    }
    filled[depth] = index + 1;
    if (node.children.length > 0) {
      parents.push(node);
      filled.push(0);
    } else {
      // Close every node whose last child this was.
      while (parents.length > 0 && filled[parents.length - 1] === parents[parents.length - 1]!.children.length) {
        parents.pop();
        filled.pop();
      }
    }
  }
  return parents.length === 0 ? { root, placed: i } : undefined;
}

/** Builds `SyntaxNode`s from a flat tree of `language` (the same grammar the worker used). */
export function treeFromFlat(flat: FlatTree, language: Language, into: SyntaxTree): SyntaxNode {
  const t = tablesOf(language);
  const w = flat.words;
  const make = (i: number): SyntaxNode => {
    const at = i * FLAT_WORDS;
    const typeId = w[at]!;
    const flags = w[at + 1]!;
    const type = typeId === 65535 ? 'ERROR' : (t.types[typeId] ?? 'ERROR');
    const node = new SyntaxNode(into, type, (flags & 2) !== 0, (flags & 1) !== 0, w[at + 4]!, w[at + 5]!, w[at + 6]!, w[at + 7]!);
    node.hasError = (flags & 4) !== 0;
    const n = w[at + 9]!;
    if (n > 0) node.children = new Array<SyntaxNode>(n);
    return node;
  };
  const field = (i: number): string | null => {
    const fieldId = w[i * FLAT_WORDS + 8]!;
    return fieldId === 0 ? null : (t.fields[fieldId] ?? null);
  };
  const linked = linkPreorder(flat.nodes, make, field);
  if (!linked) throw new Error('malformed flat tree');
  return linked.root;
}
