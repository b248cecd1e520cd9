// Parsed Python sources shared by every evaluation and rule: each file is parsed once and kept
// until its text changes (the language server reparses open documents incrementally), and the
// import resolution the evaluator needs.
import { dirname, join, sep } from 'node:path';
import type { ContentChange, ParserPool } from '../parsing/documents';
import { ParsedFile } from '../parsing/documents';
import type { FlatTree, SyntaxTree } from '../parsing/syntax';
import type { ParseAhead } from '../parsing/parseAhead';
import type { ParseCache } from '../parsing/parseCache';
import type { CachedModule, ImportTarget, ModuleHost, ModuleSourceText } from '../settings/evaluator';
import type { FileSystem } from '../workspace';
import { moduleFile, moduleNameOf } from './model';

export class PythonSources {
  private files = new Map<string, ParsedFile>();
  private names = new Map<string, { moduleName: string; root: string; isPackage: boolean }>();
  /** Bumped whenever any file changes, so evaluation caches know they are stale. */
  generation = 0;

  constructor(
    readonly fs: FileSystem,
    private readonly pool: ParserPool,
  ) {}

  /** Trees being parsed ahead on another thread (a workspace scan), taken instead of parsing. */
  ahead: ParseAhead | undefined;

  /** Trees of earlier runs kept on disk (the CLI), taken instead of parsing; new ones added. */
  cache: ParseCache | undefined;

  /**
   * `get` for a reader of the module's code only: its statements (`root`'s non-comment children
   * and what is inside them), not the comments or blank lines between them, nor `root.text`. The
   * text may serve a pre-check that cannot change the outcome (a pattern found only in a comment
   * leads to no statement). A rule reading this way is not run again when a comment is typed.
   */
  code(path: string): ParsedFile | undefined {
    return this.get(path);
  }

  /** The parsed file, reading and parsing it on first use. */
  get(path: string): ParsedFile | undefined {
    const cached = this.files.get(path);
    if (cached) return cached;
    const text = this.fs.readFile(path);
    if (text === undefined) return undefined;
    const flat = this.ahead?.take(path, text);
    const fromWorker = flat && this.fromFlat(text, flat);
    // A worker's tree goes into the parse cache as the main thread's own parses do.
    if (fromWorker) this.cache?.adopt(text, fromWorker);
    const tree = fromWorker || this.parseOrTake(text);
    const file = new ParsedFile(path, text, tree, 1);
    this.files.set(path, file);
    return file;
  }

  /** A worker's flat tree as nodes; undefined (parse instead) if it is malformed. */
  private fromFlat(text: string, flat: FlatTree): SyntaxTree | undefined {
    try {
      return this.pool.fromFlat('python', text, flat);
    } catch {
      return undefined;
    }
  }

  private parseOrTake(text: string): SyntaxTree {
    const kept = this.cache?.take(text);
    if (kept && 'tree' in kept) return kept.tree;
    const tree = this.pool.parse('python', text);
    if (kept) this.cache!.add(kept.hash, tree);
    return tree;
  }

  /** Every file parsed so far, released or not (for --stats and benchmarks). */
  private everParsed = new Set<string>();

  /** Number of files parsed (for --stats and benchmarks), counting released ones once. */
  get parsedCount(): number {
    for (const path of this.files.keys()) this.everParsed.add(path);
    return this.everParsed.size;
  }

  /**
   * Drops the parsed trees (a one-shot analysis is done with a project's modules); nothing
   * changed, so the generation stays. The next `get` parses a file again.
   */
  release(): void {
    for (const path of this.files.keys()) this.everParsed.add(path);
    this.files.clear();
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  /** Incremental update of an open document (`result`: its text after the changes, when known). */
  update(path: string, changes: ContentChange[], result?: string): ParsedFile | undefined {
    const file = this.files.get(path);
    if (!file) {
      this.generation++;
      return this.get(path);
    }
    this.pool.update('python', file, changes, result);
    this.generation++;
    return file;
  }

  /** Replace a file's text (full sync), keeping the old tree for an incremental reparse. */
  setText(path: string, text: string): ParsedFile {
    const file = this.files.get(path);
    if (file && file.text === text) return file;
    this.generation++;
    if (!file) {
      const parsed = new ParsedFile(path, text, this.pool.parse('python', text), 1);
      this.files.set(path, parsed);
      return parsed;
    }
    this.pool.update('python', file, [{ text }]);
    return file;
  }

  /** Forget a file (changed or deleted on disk); the next `get` rereads it. */
  invalidate(path: string): void {
    const file = this.files.get(path);
    if (file) this.files.delete(path);
    this.names.clear();
    this.generation++;
  }

  dispose(): void {
    this.files.clear();
  }

  moduleInfo(path: string): { moduleName: string; root: string; isPackage: boolean } {
    let info = this.names.get(path);
    if (!info) {
      info = moduleNameOf(this.fs, path);
      this.names.set(path, info);
    }
    return info;
  }
}

/** Import resolution for one project: relative imports, the project's roots, else external. */
export class ProjectModuleHost implements ModuleHost {
  readonly moduleCache = new Map<string, CachedModule>();
  stamp?: (files: string[]) => unknown;
  isCurrent?: (stamp: unknown) => boolean;

  constructor(
    private readonly sources: PythonSources,
    private readonly importRoots: string[],
  ) {}

  /**
   * Resolutions already made: only creating or deleting files changes them (the analyzer calls
   * `filesetChanged`), and every evaluation resolves the same imports again.
   */
  private resolved = new Map<string, ImportTarget>();

  filesetChanged(): void {
    this.resolved.clear();
  }

  resolveModule(from: { path: string; moduleName: string; isPackage: boolean }, level: number, dotted: string, extraRoots: readonly string[] = []): ImportTarget {
    const key = level > 0 ? `${level}\0${from.path}\0${from.moduleName}\0${from.isPackage}\0${dotted}` : `0\0${this.sources.moduleInfo(from.path).root}\0${dotted}\0${extraRoots.join('\0')}`;
    let target = this.resolved.get(key);
    if (!target) {
      target = this.resolveUncached(from, level, dotted, extraRoots);
      this.resolved.set(key, target);
    }
    return target;
  }

  private resolveUncached(from: { path: string; moduleName: string; isPackage: boolean }, level: number, dotted: string, extraRoots: readonly string[]): ImportTarget {
    const fs = this.sources.fs;
    if (level > 0) {
      // Relative: climb from the importing module's package.
      let dir = dirname(from.path);
      for (let i = 1; i < level; i++) dir = dirname(dir);
      const parts = from.moduleName.split('.');
      const pkgParts = from.isPackage ? parts : parts.slice(0, -1);
      const base = pkgParts.slice(0, Math.max(0, pkgParts.length - (level - 1)));
      const moduleName = [...base, ...(dotted ? dotted.split('.') : [])].join('.');
      const rel = dotted ? dotted.split('.') : [];
      const file = join(dir, ...rel) + '.py';
      if (rel.length && fs.isFile(file)) return this.target(file, moduleName);
      const pkg = join(dir, ...rel, '__init__.py');
      if (fs.isFile(pkg)) return this.target(pkg, moduleName);
      return { kind: 'missing', moduleName };
    }
    const own = this.sources.moduleInfo(from.path).root;
    const roots = [own, ...this.importRoots.filter((r) => r !== own)];
    // Folders added to sys.path count only inside the project: the analysis reads the project's
    // files, not whatever a path in the settings points at.
    for (const extra of extraRoots) if (!roots.includes(extra) && this.importRoots.some((r) => extra.startsWith(r.endsWith(sep) ? r : r + sep))) roots.push(extra);
    const found = moduleFile(fs, roots, dotted);
    if (found) return this.target(found, dotted);
    // A module under one of our own packages that is not there is an ImportError; anything else
    // is an installed library.
    const top = dotted.split('.')[0]!;
    const ours = roots.some((r) => fs.isFile(join(r, top, '__init__.py')) || fs.isFile(join(r, `${top}.py`)));
    return ours ? { kind: 'missing', moduleName: dotted } : { kind: 'external', moduleName: dotted };
  }

  private target(path: string, moduleName: string): ImportTarget {
    return { kind: 'workspace', path, moduleName, isPackage: path.endsWith('__init__.py') };
  }

  load(path: string): ModuleSourceText | undefined {
    const file = this.sources.get(path);
    if (!file) return undefined;
    const info = this.sources.moduleInfo(path);
    return { path, moduleName: info.moduleName, isPackage: info.isPackage, root: file.root };
  }
}
