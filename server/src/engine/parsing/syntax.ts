// Syntax trees as plain JavaScript objects. web-tree-sitter's own `Node` crosses into wasm on every
// property read (about a microsecond each), and the evaluator and the rules read a node's type,
// fields and position many times: a settings module of 3,000 lines cost hundreds of milliseconds
// per analysis that way. So each tree-sitter tree is read once, with one cursor walk, into packed
// words (six per node) and deleted: no tree outlives its parse in wasm memory. `SyntaxNode`s, with
// the same names (`type`, `childForFieldName`, `namedChildren`...), are made from the words when
// they are first read (PackedNodes); every later read is a field access. The parse cache and the
// parse worker hand over the same words.
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
    // The offer stays: a reparse may set the old text back and then the new one again.
    this.rows = this.offered?.text === text ? this.offered.starts : undefined;
  }

  /** The offset at which each row of `text` starts (rows end at \n, as tree-sitter counts them). */
  get rowStarts(): number[] {
    return (this.rows ??= rowStarts(this.current));
  }

  /** Row starts computed elsewhere (ParsedFile's line starts of a text without \r): for `text`, now or once the tree has it. */
  private offered: { text: string; starts: number[] } | undefined;

  offerRowStarts(text: string, starts: number[]): void {
    this.offered = { text, starts };
    if (text === this.current) this.rows = starts;
  }
}

/** The children of every leaf: one shared, frozen array instead of an empty one per node. */
const NO_CHILDREN: SyntaxNode[] = Object.freeze([]) as unknown as SyntaxNode[];

/** Nodes whose `byType` is filled one type at a time (packed descendants). */
const byTypeOnDemand = new WeakSet<SyntaxNode>();

/** Bits of `SyntaxNode.flags`: one small integer instead of three fields (390,000 nodes in a large workspace). */
const NAMED = 1;
const MISSING = 2;
const HAS_ERROR = 4;

export class SyntaxNode {
  parent: SyntaxNode | null = null;
  /** The children; undefined while they are still words of `packed` (made on first read). */
  private kids: SyntaxNode[] | undefined = NO_CHILDREN;
  private fields: (string | null)[] | undefined;
  private flags: number;
  private named: SyntaxNode[] | undefined;
  /** Position in the parent's `children`. */
  indexInParent = 0;
  /** For a node made from packed words: where its descendants are, and its position there. */
  packed: PackedNodes | undefined;
  packedAt = 0;
  /** Rows the node moved since its packed words were written (its descendants move with it). */
  packedRowShift = 0;

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

  get children(): SyntaxNode[] {
    return this.kids ?? this.unpackChildren();
  }

  set children(children: SyntaxNode[]) {
    this.kids = children;
  }

  /** Field name of each child, when the node has any field at all. */
  get fieldNames(): (string | null)[] | undefined {
    if (this.kids === undefined) this.unpackChildren();
    return this.fields;
  }

  set fieldNames(names: (string | null)[] | undefined) {
    if (this.kids === undefined) this.unpackChildren();
    this.fields = names;
  }

  /** Makes this the node at `at` of `packed`; its children, if it has any, stay packed until read. */
  packedIn(packed: PackedNodes, at: number, hasChildren: boolean, rowShift: number): void {
    this.packed = packed;
    this.packedAt = at;
    if (hasChildren) {
      this.kids = undefined;
      this.packedRowShift = rowShift;
    }
  }

  /** Whether the children are still packed words (nothing below this node was looked at). */
  get childrenPacked(): boolean {
    return this.kids === undefined;
  }

  private unpackChildren(): SyntaxNode[] {
    const made = this.packed!.childrenOf(this);
    this.kids = made.children;
    this.fields = made.fields;
    return made.children;
  }

  /** Moves the node and everything in it down by `rowDelta` rows (columns and offsets follow from rows). */
  moveRows(rowDelta: number): void {
    this.startRow += rowDelta;
    this.endRow += rowDelta;
    if (this.kids === undefined) {
      this.packedRowShift += rowDelta;
      return;
    }
    const children = this.kids;
    for (let i = 0; i < children.length; i++) children[i]!.moveRows(rowDelta);
  }

  /** Replaces the children (a region reparse); module-level children carry no field names. */
  setChildren(children: SyntaxNode[]): void {
    this.kids = children;
    this.fields = undefined;
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

  /**
   * `childForFieldName(name)?.text`, read from the packed words while the children are still
   * packed: indexing a module's definitions by name (import resolution) then makes no node of a
   * definition's parameters and body.
   */
  fieldText(name: string): string | undefined {
    if (this.kids === undefined) return this.packed!.fieldTextOf(this, name);
    return this.childForFieldName(name)?.text;
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
    // statement keeps its descendants by type, and statements survive edits elsewhere (region
    // reparse), so a keystroke looks again only at the statements it touched.
    const out: SyntaxNode[] = [];
    for (const child of this.children) {
      if (wanted.includes(child.type)) out.push(child);
      let hits: readonly SyntaxNode[] | undefined;
      let kinds = 0;
      for (const t of wanted) {
        const h = child.descendantsNamed(t);
        if (h.length > 0) {
          hits = h;
          kinds++;
        }
      }
      if (kinds === 1) for (const h of hits!) out.push(h);
      else if (kinds > 1) for (const h of child.walkForTypes(wanted)) out.push(h);
    }
    return out;
  }

  /**
   * Descendants by type, kept per node (top-level statements). All types in one walk over nodes
   * already made; one type at a time over packed words, so only the nodes asked for are made.
   */
  private byType: Map<string, SyntaxNode[]> | undefined;

  private descendantsNamed(type: string): readonly SyntaxNode[] {
    let index = this.byType;
    if (!index) {
      if (this.kids === undefined) {
        index = this.byType = new Map();
        byTypeOnDemand.add(this);
      } else {
        index = this.byType = new Map();
        const stack: SyntaxNode[] = [];
        for (let i = this.kids.length - 1; i >= 0; i--) stack.push(this.kids[i]!);
        while (stack.length > 0) {
          const n = stack.pop()!;
          const list = index.get(n.type);
          if (list) list.push(n);
          else index.set(n.type, [n]);
          // Packed descendants are looked up by type when asked (below).
          if (n.kids === undefined) {
            index = this.byType = new Map();
            byTypeOnDemand.add(this);
            break;
          }
          for (let i = n.kids.length - 1; i >= 0; i--) stack.push(n.kids[i]!);
        }
      }
    }
    let hits = index.get(type);
    if (hits === undefined && byTypeOnDemand.has(this)) index.set(type, (hits = this.walkForTypes([type])));
    return hits ?? NO_CHILDREN;
  }

  private walkForTypes(wanted: string[]): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    if (this.kids === undefined) {
      this.packed!.descendantsOfTypes(this, wanted, out);
      return out;
    }
    const stack: SyntaxNode[] = [];
    for (let i = this.kids.length - 1; i >= 0; i--) stack.push(this.kids[i]!);
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (wanted.includes(n.type)) out.push(n);
      const kids = n.kids;
      // A packed subtree is searched in its words (in document order, before the siblings).
      if (kids === undefined) n.packed!.descendantsOfTypes(n, wanted, out);
      else for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    }
    return out;
  }

  /**
   * Descendants of `type` (this node excluded), in document order, that `accept` the text of their
   * first child when that child is their `field` (a call's function): the others are left out. In
   * packed subtrees the text is read from the words, so a node left out is never made (rules
   * that look for a few calls among thousands make only those). A node whose first child is not
   * the field is kept, for the caller to look at.
   */
  descendantsOfTypeWhere(type: string, field: string, accept: (text: string) => boolean): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    if (this.kids === undefined) {
      this.packed!.descendantsOfTypeWhere(this, type, field, accept, out);
      return out;
    }
    const stack: SyntaxNode[] = [];
    for (let i = this.kids.length - 1; i >= 0; i--) stack.push(this.kids[i]!);
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n.type === type) {
        // Made already: its children are read as nodes (making them if they are still words).
        const first = n.children[0];
        if (!first || n.fieldNames?.[0] !== field || accept(first.text)) out.push(n);
      }
      const kids = n.kids;
      if (kids === undefined) n.packed!.descendantsOfTypeWhere(n, type, field, accept, out);
      else for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
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
  const reader = () => (direct ? directReader(tree, direct) : publicReader(tree));
  const table = packedTableOf(tree.language);
  return table ? packTree(tree, text, into, rowOffset, table, reader) : walk(tree, text, into, offset, rowOffset, reader);
}

/** A grammar's types and fields as a packed tree names them (PACKED_WORDS). */
interface PackedTable {
  types: [string, boolean][];
  fields: string[];
  /** Type index of an ERROR node (tree-sitter's id 65535), and of an id the grammar does not list. */
  error: number;
  unknown: number;
}
const packedTables = new WeakMap<Language, PackedTable | null>();

/** Null when the grammar has more types or fields than a packed word holds (then nodes are made at once). */
function packedTableOf(language: Language): PackedTable | null {
  let table = packedTables.get(language);
  if (table === undefined) {
    const t = tablesOf(language);
    const types = t.types.map((name, i): [string, boolean] => [name ?? 'ERROR', t.named[i] ?? false]);
    const error = types.push(['ERROR', true]) - 1;
    const unknown = types.push(['ERROR', false]) - 1;
    // Field ids start at 1 (0: none), as a packed word's field index does.
    const fields = t.fields.slice(1).map((f) => f ?? '');
    table = types.length < 0xffff && fields.length <= 0xff ? { types, fields, error, unknown } : null;
    packedTables.set(language, table);
  }
  return table;
}

/** The cursor walk of `walk`, writing packed words instead of nodes; the nodes are made when read. */
function packTree(tree: Tree, text: string, into: SyntaxTree, rowOffset: number, table: PackedTable, reader: () => CursorReader): SyntaxNode {
  const { words, nodes } = packWords(tree, text, rowOffset, table, reader);
  return PackedNodes.fromParse(words, nodes, table.types, table.fields, into);
}

function packWords(tree: Tree, text: string, rowOffset: number, table: PackedTable, reader: () => CursorReader): FlatTree {
  const t = tablesOf(tree.language);
  const starts = rowStarts(text);
  let words = new Int32Array(Math.max(256, text.length >> 2) * PACKED_WORDS);
  let count = 0;
  // Created last: nothing may call into the runtime between here and the end of the walk.
  const cursor = reader();
  const emit = (fieldId: number): number => {
    const at = count * PACKED_WORDS;
    if (at + PACKED_WORDS > words.length) {
      const grown = new Int32Array(words.length * 2);
      grown.set(words);
      words = grown;
    }
    const typeId = cursor.typeId();
    const start = cursor.startIndex();
    const end = cursor.endIndex();
    const type = typeId === 65535 ? table.error : t.types[typeId] === undefined ? table.unknown : typeId;
    const missing = start === end && cursor.isMissing();
    const sr = rowOf(starts, start);
    const er = end === start ? sr : rowOf(starts, end);
    const field = fieldId !== 0 && t.fields[fieldId] ? fieldId : 0;
    words[at] = type | (field << 16) | (missing ? PACKED_MISSING : 0) | (missing || table.types[type]![0] === 'ERROR' ? PACKED_HAS_ERROR : 0);
    words[at + 1] = sr + rowOffset;
    words[at + 2] = start - starts[sr]!;
    words[at + 3] = er + rowOffset;
    words[at + 4] = end - starts[er]!;
    words[at + 5] = 0;
    count++;
    return at;
  };
  try {
    // Records of the nodes being walked, innermost last.
    const open: number[] = [emit(0)];
    if (cursor.firstChild()) {
      for (;;) {
        const parentAt = open[open.length - 1]!;
        const at = emit(cursor.fieldId());
        words[parentAt + 5]!++;
        if (cursor.firstChild()) {
          open.push(at);
          continue;
        }
        // A leaf is complete; a node is complete when the walk climbs back out of it.
        if (words[at]! & PACKED_HAS_ERROR) words[parentAt]! |= PACKED_HAS_ERROR;
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
          if (words[done]! & PACKED_HAS_ERROR) words[open[open.length - 1]!]! |= PACKED_HAS_ERROR;
        }
        if (finished) break;
      }
    }
  } finally {
    cursor.done();
  }
  // The guess above is generous; the tree keeps its words for as long as its file is open.
  return { words: words.length > count * PACKED_WORDS ? words.slice(0, count * PACKED_WORDS) : words, nodes: count };
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
 * A tree as packed words (PACKED_WORDS per node, in the grammar's own type and field numbering),
 * so a worker thread can parse and hand the result over without copying: the buffer is
 * transferred, and the main thread makes nodes from it only as they are read.
 */
export interface FlatTree {
  words: Int32Array;
  /** Number of nodes. */
  nodes: number;
}

/** Packs a tree-sitter tree (in the worker) with the same cursor walk `copyTree` uses. */
export function flattenTree(tree: Tree, text: string, sample: (text: string) => Tree | undefined = () => undefined): FlatTree {
  const direct = directExports(sample);
  const table = packedTableOf(tree.language);
  if (!table) throw new Error('grammar too large for packed trees');
  return packWords(tree, text, 0, table, () => (direct ? directReader(tree, direct) : publicReader(tree)));
}

/** The tree of a worker's words (same grammar), checked like a parse-cache entry; throws when malformed. */
export function treeFromFlat(flat: FlatTree, language: Language, into: SyntaxTree): SyntaxNode {
  const table = packedTableOf(language);
  const root = table ? PackedNodes.root(flat.words, flat.nodes, table.types, table.fields, into) : undefined;
  if (!root) throw new Error('malformed flat tree');
  return root;
}

// ------------------------------------------------------------------ packed trees (parse cache)

/**
 * Words per node of a packed tree (the parse cache's format), in document order: type index
 * (16 bits) | field index in the parent (8 bits, 0: none) << 16 | flags; start row, start column,
 * end row, end column; number of children.
 */
export const PACKED_WORDS = 6;
export const PACKED_MISSING = 1 << 24;
export const PACKED_HAS_ERROR = 1 << 25;

/** Which type indexes of a table carry each set of wanted names. */
const typeMasks = new WeakMap<readonly (readonly [string, boolean])[], Map<string, Uint8Array>>();

function typeMask(types: readonly (readonly [string, boolean])[], wanted: readonly string[]): Uint8Array {
  let byWanted = typeMasks.get(types);
  if (!byWanted) typeMasks.set(types, (byWanted = new Map()));
  const key = wanted.join('\0');
  let mask = byWanted.get(key);
  if (!mask) {
    mask = new Uint8Array(types.length);
    types.forEach(([name], i) => {
      if (wanted.includes(name)) mask![i] = 1;
    });
    byWanted.set(key, mask);
  }
  return mask;
}

/** What packed words read from outside (the parse cache) must agree with: the tables and the text. */
interface PackedBounds {
  types: number;
  fields: number;
  rows: readonly number[];
  textLength: number;
}

/**
 * Per node of packed words, the index after its last descendant; undefined when the child counts
 * do not make exactly one tree of `nodes` nodes, or (with `bounds`) a node's type, field or extent
 * is out of them. One pass without calls per node: a large workspace takes 390,000 nodes from
 * the parse cache.
 */
function subtreeEnds(words: Int32Array, nodes: number, bounds?: PackedBounds): Int32Array | undefined {
  const ends = new Int32Array(nodes);
  // Nodes whose children are still being counted, with how many are left: a stack as deep as the tree.
  let open = new Int32Array(64);
  let left = new Int32Array(64);
  let depth = 0;
  const lastRow = bounds ? bounds.rows.length - 1 : 0;
  for (let i = 0; i < nodes; i++) {
    if (i > 0) {
      if (depth === 0) return undefined;
      left[depth - 1]!--;
    }
    const at = i * PACKED_WORDS;
    const n = words[at + 5]!;
    if (bounds) {
      const head = words[at]!;
      const sr = words[at + 1]!;
      const sc = words[at + 2]!;
      const er = words[at + 3]!;
      const ec = words[at + 4]!;
      const field = (head >>> 16) & 0xff;
      if ((head & 0xffff) >= bounds.types || field > bounds.fields || (i === 0 && field !== 0)) return undefined;
      if (sr < 0 || er < sr || er > lastRow || sc < 0 || ec < 0 || (er === sr && ec < sc) || n < 0 || n >= nodes) return undefined;
      if (bounds.rows[sr]! + sc > bounds.textLength || bounds.rows[er]! + ec > bounds.textLength) return undefined;
    }
    if (n > 0) {
      if (depth === open.length) {
        const grownOpen = new Int32Array(depth * 2);
        grownOpen.set(open);
        open = grownOpen;
        const grownLeft = new Int32Array(depth * 2);
        grownLeft.set(left);
        left = grownLeft;
      }
      open[depth] = i;
      left[depth] = n;
      depth++;
      continue;
    }
    ends[i] = i + 1;
    while (depth > 0 && left[depth - 1] === 0) {
      depth--;
      ends[open[depth]!] = i + 1;
    }
  }
  return depth > 0 ? undefined : ends;
}

/**
 * A tree kept as packed words, its nodes made when first looked at: a node's children when
 * someone reads them, the nodes of a type (and the path to them) when a walk asks for the type.
 * Rules look at a third of a module's nodes or less, and a node object costs a hundred-odd bytes
 * that the young generation copies while the analysis holds it; the words are off the heap.
 */
export class PackedNodes {
  private constructor(
    private readonly words: Int32Array,
    /** Per node, the index after its last descendant. */
    private readonly ends: Int32Array,
    private readonly types: readonly (readonly [string, boolean])[],
    private readonly fields: readonly string[],
  ) {}

  /**
   * The root of the tree `words` describe over `into`'s text, or undefined when they do not
   * describe exactly one well-formed tree within that text (every node's type and field known,
   * its extent inside the text, every child accounted for, nothing left over).
   */
  static root(words: Int32Array, nodes: number, types: readonly (readonly [string, boolean])[], fields: readonly string[], into: SyntaxTree): SyntaxNode | undefined {
    if (nodes < 1 || words.length < nodes * PACKED_WORDS) return undefined;
    const ends = subtreeEnds(words, nodes, { types: types.length, fields: fields.length, rows: into.rowStarts, textLength: into.text.length });
    return ends && new PackedNodes(words, ends, types, fields).make(0, into, 0);
  }

  /** The root of a tree a parse just packed (packTree): well formed by construction. */
  static fromParse(words: Int32Array, nodes: number, types: readonly (readonly [string, boolean])[], fields: readonly string[], into: SyntaxTree): SyntaxNode {
    return new PackedNodes(words, subtreeEnds(words, nodes)!, types, fields).make(0, into, 0);
  }

  /**
   * The words of a tree whose root was made by `root`/`fromParse` and nothing of which was looked
   * at yet (so nothing was changed either), with the tables they index; undefined for any other.
   */
  static wordsOf(root: SyntaxNode): { words: Int32Array; nodes: number; types: readonly (readonly [string, boolean])[]; fields: readonly string[] } | undefined {
    const packed = root.packed;
    if (!packed || root.packedAt !== 0 || !root.childrenPacked || root.parent !== null) return undefined;
    return { words: packed.words, nodes: packed.ends.length, types: packed.types, fields: packed.fields };
  }

  private make(i: number, tree: SyntaxTree, rowShift: number): SyntaxNode {
    const w = this.words;
    const at = i * PACKED_WORDS;
    const head = w[at]!;
    const [type, named] = this.types[head & 0xffff]!;
    const node = new SyntaxNode(tree, type, named, (head & PACKED_MISSING) !== 0, w[at + 1]! + rowShift, w[at + 2]!, w[at + 3]! + rowShift, w[at + 4]!);
    node.hasError = (head & PACKED_HAS_ERROR) !== 0;
    node.packedIn(this, i, w[at + 5]! > 0, rowShift);
    return node;
  }

  /** Makes the children of `node` (one of this tree's, its children still packed). */
  childrenOf(node: SyntaxNode): { children: SyntaxNode[]; fields: (string | null)[] | undefined } {
    const w = this.words;
    const i = node.packedAt;
    const count = w[i * PACKED_WORDS + 5]!;
    const children = new Array<SyntaxNode>(count);
    let fields: (string | null)[] | undefined;
    for (let k = 0, j = i + 1; k < count; k++, j = this.ends[j]!) {
      const child = this.make(j, node.tree, node.packedRowShift);
      child.parent = node;
      child.indexInParent = k;
      children[k] = child;
      const field = (w[j * PACKED_WORDS]! >>> 16) & 0xff;
      if (field !== 0) {
        fields ??= new Array<string | null>(count).fill(null);
        fields[k] = this.fields[field - 1]!;
      }
    }
    return { children, fields };
  }

  /** The text of `node`'s first child in field `name` (its children still packed), or undefined. */
  fieldTextOf(node: SyntaxNode, name: string): string | undefined {
    const fieldIndex = this.fields.indexOf(name) + 1;
    if (fieldIndex === 0) return undefined;
    const w = this.words;
    const i = node.packedAt;
    const count = w[i * PACKED_WORDS + 5]!;
    const rows = node.tree.rowStarts;
    // The children moved with `node` (nothing below it was made to move on its own).
    const shift = node.packedRowShift;
    for (let k = 0, j = i + 1; k < count; k++, j = this.ends[j]!) {
      const at = j * PACKED_WORDS;
      if (((w[at]! >>> 16) & 0xff) !== fieldIndex) continue;
      return node.tree.text.slice(rows[w[at + 1]! + shift]! + w[at + 2]!, rows[w[at + 3]! + shift]! + w[at + 4]!);
    }
    return undefined;
  }

  /** Appends the descendants of `node` (children still packed) of the wanted types, in document order. */
  descendantsOfTypes(node: SyntaxNode, wanted: readonly string[], out: SyntaxNode[]): void {
    const mask = typeMask(this.types, wanted);
    const w = this.words;
    const from = node.packedAt;
    const end = this.ends[from]!;
    for (let j = from + 1; j < end; j++) if (mask[w[j * PACKED_WORDS]! & 0xffff] === 1) out.push(this.nodeAt(node, j));
  }

  /** descendantsOfTypeWhere over the words of `node` (children still packed). */
  descendantsOfTypeWhere(node: SyntaxNode, type: string, field: string, accept: (text: string) => boolean, out: SyntaxNode[]): void {
    const mask = typeMask(this.types, [type]);
    const fieldIndex = this.fields.indexOf(field) + 1;
    const w = this.words;
    const from = node.packedAt;
    const end = this.ends[from]!;
    const rows = node.tree.rowStarts;
    const text = node.tree.text;
    // Every descendant moved with `node` (nothing below it was made to move on its own).
    const shift = node.packedRowShift;
    for (let j = from + 1; j < end; j++) {
      const at = j * PACKED_WORDS;
      if (mask[w[at]! & 0xffff] !== 1) continue;
      // The first child is the next node in the words.
      const c = at + PACKED_WORDS;
      if (w[at + 5]! > 0 && fieldIndex > 0 && ((w[c]! >>> 16) & 0xff) === fieldIndex) {
        const start = rows[w[c + 1]! + shift]! + w[c + 2]!;
        const stop = rows[w[c + 3]! + shift]! + w[c + 4]!;
        if (!accept(text.slice(start, stop))) continue;
      }
      out.push(this.nodeAt(node, j));
    }
  }

  /** The node at index `j` under `from`, made with the nodes on the way (or found, if made before). */
  private nodeAt(from: SyntaxNode, j: number): SyntaxNode {
    let node = from;
    while (node.packedAt !== j) {
      const kids = node.children;
      // The child whose subtree holds j: children are in document order.
      let lo = 0;
      let hi = kids.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (kids[mid]!.packedAt <= j) lo = mid;
        else hi = mid - 1;
      }
      node = kids[lo]!;
    }
    return node;
  }
}
