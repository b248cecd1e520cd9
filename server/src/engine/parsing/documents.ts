// Parsed source files with incremental reparsing. One `ParsedFile` per path; an edit is applied
// with `tree.edit` and the file reparsed against the old tree, which keeps keystroke cost at a
// fraction of a millisecond. Trees live in wasm memory that never shrinks, so every tree we drop
// is deleted explicitly.
import { Edit, type Node, type Parser, type Tree } from 'web-tree-sitter';
import { createParser, recreateParser, type GrammarName } from './grammars';
import type { Position, Range } from '../types';

export interface ContentChange {
  /** Range replaced in the previous text; absent for a full replacement. */
  range?: Range;
  text: string;
}

export class ParsedFile {
  constructor(
    readonly path: string,
    public text: string,
    public tree: Tree,
    /** Bumped on every change; evaluations remember the versions they read. */
    public version: number,
  ) {}

  get root(): Node {
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

function positionAt(lineStarts: number[], offset: number): { row: number; column: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { row: lo, column: offset - lineStarts[lo]! };
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

  /** Full or incremental parse. A parser that throws (wasm abort) is replaced and the parse retried once. */
  parse(lang: GrammarName, text: string, oldTree?: Tree): Tree {
    for (let attempt = 0; ; attempt++) {
      const parser = this.parsers.get(lang);
      if (!parser) throw new Error(`grammar ${lang} not loaded`);
      try {
        const tree = parser.parse(text, oldTree ?? null);
        if (!tree) throw new Error('parser returned no tree');
        return tree;
      } catch (err) {
        if (attempt > 0) throw err;
        parser.delete();
        this.parsers.set(lang, recreateParser(lang));
        oldTree = undefined;
      }
    }
  }

  /**
   * Applies content changes to a parsed file in place: each change is mirrored into the old tree
   * with `tree.edit`, then one incremental reparse runs for the whole batch.
   */
  update(lang: GrammarName, file: ParsedFile, changes: ContentChange[]): void {
    let text = file.text;
    let tree: Tree | undefined = file.tree;
    for (const change of changes) {
      if (!change.range) {
        text = change.text;
        tree = undefined;
        continue;
      }
      const lineStarts = computeLineStarts(text);
      const startIndex = offsetAt(text, lineStarts, change.range.start);
      const oldEndIndex = offsetAt(text, lineStarts, change.range.end);
      const newText = text.slice(0, startIndex) + change.text + text.slice(oldEndIndex);
      if (tree) {
        const newEndIndex = startIndex + change.text.length;
        tree.edit(
          new Edit({
          startIndex,
          oldEndIndex,
          newEndIndex,
          startPosition: positionAt(lineStarts, startIndex),
          oldEndPosition: positionAt(lineStarts, oldEndIndex),
          newEndPosition: positionAt(computeLineStarts(newText), newEndIndex),
          }),
        );
      }
      text = newText;
    }
    const newTree = this.parse(lang, text, tree);
    if (file.tree !== newTree) file.tree.delete();
    file.tree = newTree;
    file.text = text;
    file.version++;
  }

  dispose(): void {
    for (const p of this.parsers.values()) p.delete();
    this.parsers.clear();
  }
}
