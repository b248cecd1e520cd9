// Parsed source files. One `ParsedFile` per path, holding a `SyntaxTree` (plain JavaScript nodes,
// see syntax.ts). An edit to a Python file reparses only the statements around it
// (`reparseRegion`): tree-sitter's own incremental reparse still walks every top-level statement,
// about 20 ms for a 3,000-statement settings module in wasm, where the region costs well under one.
import type { Parser } from 'web-tree-sitter';
import { createParser, recreateParser, type GrammarName } from './grammars';
import { reparseRegion } from './region';
import { copyTree, type FlatTree, type SyntaxNode, SyntaxTree, treeFromFlat } from './syntax';
import type { Position, Range } from '../types';
import { noteEdit } from '../textMemo';

export interface ContentChange {
  /** Range replaced in the previous text; absent for a full replacement. */
  range?: Range;
  text: string;
}

export class ParsedFile {
  /** Line starts of `text`, kept up to date across edits (a full scan per keystroke costs ~1 ms on 100 KB). */
  private lines: { text: string; starts: number[]; noCarriageReturn: boolean } | undefined;

  /** The offsets at which the lines of `text` start (LSP rules: \n, \r\n and \r end a line). */
  lineStarts(text: string): number[] {
    if (this.lines?.text !== text) this.lines = { text, starts: computeLineStarts(text), noCarriageReturn: !text.includes('\r') };
    return this.lines.starts;
  }

  /**
   * Offers the tree the line starts of `text` as its row starts: a text without \r has the same
   * lines for LSP as rows for tree-sitter (which ends rows at \n only), so an edit need not scan
   * the text a second time for them.
   */
  offerRowStarts(text: string): void {
    const lines = this.lines;
    if (lines?.noCarriageReturn && lines.text === text) this.tree.offerRowStarts(text, lines.starts);
  }

  /** Records the line starts of the text an edit made, derived from the old ones when that is safe. */
  editedLineStarts(before: string, after: string, start: number, oldEnd: number, inserted: string): void {
    const old = this.lines?.text === before ? this.lines.starts : undefined;
    // A \r next to the edit could pair with a \n across it: recompute then.
    if (!old || inserted.includes('\r') || before.charCodeAt(start - 1) === 13 || before.charCodeAt(oldEnd) === 10 || before.slice(start, oldEnd).includes('\r')) {
      this.lines = undefined;
      return;
    }
    const delta = inserted.length - (oldEnd - start);
    // Sized once (a 3,000-line module grew its array by doubling on every keystroke).
    let kept = 0;
    while (kept < old.length && old[kept]! <= start) kept++;
    let resume = kept;
    while (resume < old.length && old[resume]! <= oldEnd) resume++;
    let added = 0;
    for (let j = inserted.indexOf('\n'); j >= 0; j = inserted.indexOf('\n', j + 1)) added++;
    const starts = new Array<number>(kept + added + old.length - resume);
    let k = 0;
    for (let i = 0; i < kept; i++) starts[k++] = old[i]!;
    for (let j = inserted.indexOf('\n'); j >= 0; j = inserted.indexOf('\n', j + 1)) starts[k++] = start + j + 1;
    for (let i = resume; i < old.length; i++) starts[k++] = old[i]! + delta;
    this.lines = { text: after, starts, noCarriageReturn: this.lines!.noCarriageReturn };
  }

  constructor(
    readonly path: string,
    public text: string,
    public tree: SyntaxTree,
    /** Bumped on every change; evaluations remember the versions they read. */
    public version: number,
  ) {}

  get root(): SyntaxNode {
    return this.tree.rootNode;
  }
}

export function offsetAt(text: string, lineStarts: number[], pos: Position): number {
  const lineStart = lineStarts[Math.min(pos.line, lineStarts.length - 1)] ?? 0;
  return Math.min(text.length, lineStart + pos.character);
}

export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

export class ParserPool {
  private parsers = new Map<GrammarName, Parser>();

  private constructor() {}

  /** Loads the runtime and grammars; after this every parse is synchronous. */
  static async create(langs: GrammarName[] = ['python', 'requirements']): Promise<ParserPool> {
    const pool = new ParserPool();
    for (const lang of langs) pool.parsers.set(lang, await createParser(lang));
    return pool;
  }

  /** A full parse. A parser that throws (wasm abort) is replaced and the parse retried once. */
  parse(lang: GrammarName, text: string): SyntaxTree {
    const tree = new SyntaxTree(text);
    tree.rootNode = this.parseInto(lang, text, tree, 0, 0);
    return tree;
  }

  /** A tree a parse worker flattened (parseAhead.ts), as `SyntaxNode`s over `text`. */
  fromFlat(lang: GrammarName, text: string, flat: FlatTree): SyntaxTree {
    const language = this.parsers.get(lang)?.language;
    if (!language) throw new Error(`grammar ${lang} not loaded`);
    const tree = new SyntaxTree(text);
    tree.rootNode = treeFromFlat(flat, language, tree);
    return tree;
  }

  /** Parses `text` and copies it into `into`'s nodes, placed at `offset` / `rowOffset` of the file. */
  private parseInto(lang: GrammarName, text: string, into: SyntaxTree, offset: number, rowOffset: number): SyntaxNode {
    for (let attempt = 0; ; attempt++) {
      const parser = this.parsers.get(lang);
      if (!parser) throw new Error(`grammar ${lang} not loaded`);
      try {
        const tree = parser.parse(text);
        if (!tree) throw new Error('parser returned no tree');
        try {
          return copyTree(tree, text, into, offset, rowOffset, (sample) => parser.parse(sample) ?? undefined);
        } finally {
          tree.delete();
        }
      } catch (err) {
        if (attempt > 0) throw err;
        parser.delete();
        this.parsers.set(lang, recreateParser(lang));
      }
    }
  }

  /**
   * Applies content changes to a parsed file in place, reparsing as little as each change allows.
   * `result` is the text after them, when the caller has it (an editor buffer): a single change
   * then takes it as the new text instead of building an equal one, so the file and the buffer
   * share one string (a module of 200 KB is not copied and flattened twice per keystroke).
   */
  update(lang: GrammarName, file: ParsedFile, changes: ContentChange[], result?: string): void {
    let text = file.text;
    let reparseAll = false;
    for (const change of changes) {
      if (!change.range) {
        text = change.text;
        reparseAll = true;
        continue;
      }
      const lineStarts = file.lineStarts(text);
      const start = offsetAt(text, lineStarts, change.range.start);
      const oldEnd = offsetAt(text, lineStarts, change.range.end);
      const given = changes.length === 1 && result !== undefined && result.length === text.length - (oldEnd - start) + change.text.length && result.startsWith(change.text, start) ? result : undefined;
      const newText = given ?? text.slice(0, start) + change.text + text.slice(oldEnd);
      file.editedLineStarts(text, newText, start, oldEnd, change.text);
      file.offerRowStarts(newText);
      noteEdit(file.path, text, newText, start, oldEnd, start + change.text.length);
      if (!reparseAll) reparseAll = lang !== 'python' || !reparseRegion(file.tree, newText, start, oldEnd, start + change.text.length, (t, off, row) => this.parseInto(lang, t, file.tree, off, row));
      text = newText;
    }
    file.tree = reparseAll ? this.parse(lang, text) : file.tree;
    file.text = text;
    file.version++;
  }

  dispose(): void {
    for (const p of this.parsers.values()) p.delete();
    this.parsers.clear();
  }
}
