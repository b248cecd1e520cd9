// Name resolution for view and URL modules, without running anything: each module's imports
// become a table `local name → qualified name` (`ce` → `django.views.decorators.csrf.csrf_exempt`,
// `views` → `accounts.views`), and qualified names are followed through the project's own modules
// (re-exports, `from .base import BaseView`) until they reach a definition or a library name.
import { join } from 'node:path';
import type { SyntaxNode } from '../parsing/syntax';
import type { ParsedFile } from '../parsing/documents';
import { moduleFile } from '../project/model';
import type { PythonSources } from '../project/sources';
import type { TextEdit } from '../types';
import { endOfText, lineCount } from '../parsing/lines';
import { definitionOf, deleteLinesEdit, dottedName, named, ownsLines, topLevelStatements } from './py';

export interface ImportBinding {
  local: string;
  /** Fully qualified target: a module (`accounts.views`) or a name in one (`django.urls.path`). */
  qualified: string;
  /** The import statement. */
  stmt: SyntaxNode;
  /** The imported element inside the statement (dotted_name or aliased_import). */
  element: SyntaxNode;
  kind: 'from' | 'import';
}

export class PyModule {
  readonly imports = new Map<string, ImportBinding>();
  /** Top-level (and conditionally defined) functions and classes by name; the last one wins. */
  readonly defs = new Map<string, SyntaxNode>();
  /** Module-level `name = expression` (last one wins). */
  readonly assigns = new Map<string, SyntaxNode>();
  /** Modules star-imported (`from x import *`), qualified. */
  readonly starImports: string[] = [];

  constructor(
    readonly path: string,
    readonly file: ParsedFile,
    readonly moduleName: string,
    readonly isPackage: boolean,
  ) {
    for (const stmt of topLevelStatements(file.root)) this.index(stmt);
  }

  get root(): SyntaxNode {
    return this.file.root;
  }

  get text(): string {
    return this.file.text;
  }

  private index(stmt: SyntaxNode): void {
    if (stmt.type === 'import_statement') {
      for (const el of stmt.childrenForFieldName('name')) {
        if (!el) continue;
        if (el.type === 'aliased_import') {
          const name = el.childForFieldName('name')?.text;
          const alias = el.childForFieldName('alias')?.text;
          if (name && alias) this.imports.set(alias, { local: alias, qualified: name, stmt, element: el, kind: 'import' });
        } else {
          // `import a.b.c` binds `a`.
          const top = el.text.split('.')[0]!;
          if (!this.imports.has(top) || this.imports.get(top)!.kind !== 'import') this.imports.set(top, { local: top, qualified: top, stmt, element: el, kind: 'import' });
        }
      }
    } else if (stmt.type === 'import_from_statement') {
      const modNode = stmt.childForFieldName('module_name');
      if (!modNode) return;
      const base = this.resolveFromModule(modNode);
      if (base === undefined) return;
      if (named(stmt).some((c) => c.type === 'wildcard_import')) {
        this.starImports.push(base);
        return;
      }
      for (const el of stmt.childrenForFieldName('name')) {
        if (!el) continue;
        const name = el.type === 'aliased_import' ? el.childForFieldName('name')?.text : el.text;
        const local = el.type === 'aliased_import' ? el.childForFieldName('alias')?.text : el.text;
        if (!name || !local) continue;
        this.imports.set(local, { local, qualified: base ? `${base}.${name}` : name, stmt, element: el, kind: 'from' });
      }
    } else if (stmt.type === 'function_definition' || stmt.type === 'class_definition' || stmt.type === 'decorated_definition') {
      const def = definitionOf(stmt);
      const name = def.fieldText('name');
      if (name) this.defs.set(name, def);
    } else if (stmt.type === 'expression_statement') {
      const a = stmt.namedChildren[0];
      if (a?.type === 'assignment') {
        const left = a.childForFieldName('left');
        const right = a.childForFieldName('right');
        if (left?.type === 'identifier' && right) this.assigns.set(left.text, right);
      }
    }
  }

  /** The absolute module a `from X import` names (relative imports climb from this module). */
  private resolveFromModule(modNode: SyntaxNode): string | undefined {
    if (modNode.type === 'dotted_name') return modNode.text;
    if (modNode.type !== 'relative_import') return undefined;
    const prefix = named(modNode).find((c) => c.type === 'import_prefix')?.text ?? '';
    const dotted = named(modNode).find((c) => c.type === 'dotted_name')?.text ?? '';
    const level = prefix.length;
    const parts = this.moduleName ? this.moduleName.split('.') : [];
    const pkg = this.isPackage ? parts : parts.slice(0, -1);
    const base = pkg.slice(0, Math.max(0, pkg.length - (level - 1)));
    return [...base, ...(dotted ? dotted.split('.') : [])].join('.');
  }

  /**
   * The qualified name an expression refers to (`ce` → `django.views.decorators.csrf.csrf_exempt`,
   * `views.login` → `accounts.views.login`), or undefined for names the module does not bind.
   */
  qualify(node: SyntaxNode | null | undefined): string | undefined {
    const dotted = dottedName(node);
    if (!dotted) return undefined;
    return this.qualifyDotted(dotted);
  }

  qualifyDotted(dotted: string, depth = 0): string | undefined {
    const [head, ...rest] = dotted.split('.');
    const tail = rest.length ? '.' + rest.join('.') : '';
    const imp = this.imports.get(head!);
    if (imp) return imp.qualified + tail;
    if (this.defs.has(head!)) return `${this.moduleName}.${dotted}`;
    const assigned = this.assigns.get(head!);
    if (assigned && depth < 4) {
      const d = dottedName(assigned);
      if (d) {
        const q = this.qualifyDotted(d, depth + 1);
        return q ? q + tail : undefined;
      }
      return `${this.moduleName}.${dotted}`;
    }
    return undefined;
  }

  /** Local names bound to a qualified name (`csrf_exempt`, `ce`). */
  localsFor(qualified: string): string[] {
    const out: string[] = [];
    for (const b of this.imports.values()) if (b.qualified === qualified) out.push(b.local);
    return out;
  }

  /** An expression usable in this module for a qualified name, if one is already imported. */
  expressionFor(qualified: string): string | undefined {
    const dot = qualified.lastIndexOf('.');
    const moduleName = dot > 0 ? qualified.slice(0, dot) : '';
    const name = qualified.slice(dot + 1);
    for (const b of this.imports.values()) if (b.qualified === qualified) return b.local;
    for (const b of this.imports.values()) {
      // `import django.views.decorators.csrf` makes `django.views.decorators.csrf.x` usable.
      if (b.kind === 'import' && b.element.type !== 'aliased_import' && b.element.text === moduleName) return qualified;
      // `from django.views.decorators import csrf` / `import x.y as csrf` make `csrf.x` usable.
      if ((b.kind === 'from' || b.element.type === 'aliased_import') && b.qualified === moduleName) return `${b.local}.${name}`;
    }
    return undefined;
  }

  /** Is a local name bound at module level (import, def, assignment)? */
  binds(local: string): boolean {
    return this.imports.has(local) || this.defs.has(local) || this.assigns.has(local);
  }

  /**
   * Identifiers that use a local name (not in import statements, not attribute names, not keyword
   * argument names), in document order. Found where the word stands in the text, then the node
   * there: an index of every identifier would make most of the module's nodes for one name.
   */
  references(local: string): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    const text = this.text;
    if (local === '') return out;
    for (let at = text.indexOf(local); at >= 0; at = text.indexOf(local, at + 1)) {
      // A word character on either side: part of a longer name (non-ASCII ones are checked below).
      if (isAsciiWordChar(text.charCodeAt(at - 1)) || isAsciiWordChar(text.charCodeAt(at + local.length))) continue;
      const n = this.root.namedDescendantForIndex(at, at + local.length);
      // In a string or a comment, or a longer identifier.
      if (n.type !== 'identifier' || n.startIndex !== at || n.endIndex !== at + local.length) continue;
      if (isReference(n)) out.push(n);
    }
    return out;
  }
}

function isAsciiWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** An identifier that uses a name: not an attribute's or keyword argument's name, not a def's, not in an import. */
function isReference(n: SyntaxNode): boolean {
  const p = n.parent;
  if (!p) return false;
  if (p.type === 'attribute' && p.childForFieldName('attribute')?.startIndex === n.startIndex) return false;
  if (p.type === 'keyword_argument' && p.childForFieldName('name')?.startIndex === n.startIndex) return false;
  if ((p.type === 'function_definition' || p.type === 'class_definition') && p.childForFieldName('name')?.startIndex === n.startIndex) return false;
  let q: SyntaxNode | null = p;
  while (q && q.type !== 'module') {
    if (q.type === 'import_statement' || q.type === 'import_from_statement') return false;
    if (q.type.endsWith('statement') || q.type === 'block') break;
    q = q.parent;
  }
  return true;
}

export type Resolved =
  | { kind: 'def'; module: PyModule; node: SyntaxNode; qualified: string; rest: string[] }
  | { kind: 'module'; module: PyModule; qualified: string }
  | { kind: 'external'; qualified: string };

/**
 * Facts about a file's text that do not need a parse. In a rule run they come from the
 * ProjectContext (a dependency on the answer, not on every character of the file).
 */
export interface TextFacts {
  mentions(file: string, re: RegExp): boolean;
  /** `textImports(text)` of the file (see there), joined with newlines. */
  importedNames(file: string): string;
  /** `textBindings(text)` of the file (see there). */
  bindings(file: string): string;
  /** `assignedAliases(text, name)` of the file (see there). */
  aliases(file: string, name: string): string;
  /**
   * Identifies where the answers are being recorded now (a rule run, a kept part being computed):
   * facts asked again for the same record need not be asked twice.
   */
  recordedIn?(): object | undefined;
}

// Where an import statement starts: a line's start or a `;`, with `from ... import` or `import`
// on that line (sticky: tried at one position).
const FROM_IMPORT = /(?:^|;)[ \t]*from(?:[ \t]+|(?=\.))(\.*[\w.]*)[ \t]+import[ \t]*(\([^)]*\)|(?:[^\n;#\\]|\\\r?\n|\\)*)/my;
const PLAIN_IMPORT = /(?:^|;)[ \t]*import[ \t]+((?:[^\n;#\\]|\\\r?\n|\\)*)/my;

/** JavaScript's line terminators: where `^` matches after, in a multiline pattern. */
function isLineTerminator(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/**
 * The matches of one of the patterns above, as a global scan of `text` would find them: a match
 * can start only at a line start or a `;` of a line holding the word `import`, so only those
 * places are tried (most lines of a module import nothing).
 */
function* matchesOnImportLines(text: string, sticky: RegExp): Generator<RegExpExecArray> {
  let from = 0;
  for (;;) {
    const at = text.indexOf('import', from);
    if (at < 0) return;
    let lineStart = at;
    while (lineStart > 0 && !isLineTerminator(text.charCodeAt(lineStart - 1))) lineStart--;
    let lineEnd = at;
    while (lineEnd < text.length && !isLineTerminator(text.charCodeAt(lineEnd))) lineEnd++;
    let found: RegExpExecArray | null = null;
    for (let c = lineStart >= from ? lineStart : text.indexOf(';', from); c >= 0 && c < lineEnd; c = text.indexOf(';', c + 1)) {
      sticky.lastIndex = c;
      found = sticky.exec(text);
      if (found) break;
    }
    if (found) {
      yield found;
      from = found.index + found[0].length;
    } else from = lineEnd;
  }
}

/**
 * Whether `re` matches in a logical line (physical lines joined by trailing backslashes) that
 * holds the word `import`. Every module name an import statement writes (`import a.b, c`, the `x`
 * of `from x import y`) is on the logical line of its `import` keyword: a pattern matching the
 * module names a parse would find matches here too. Comments and strings that say import only add
 * answers. Most lines of a module import nothing, so this reads a fraction of the text.
 */
export function mentionedOnImportLines(text: string, re: RegExp): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf('import', from);
    if (at < 0) return false;
    let start = at;
    for (;;) {
      while (start > 0 && !isLineTerminator(text.charCodeAt(start - 1))) start--;
      // The line before ends with a backslash: this one continues it.
      const before = lineEndBefore(text, start);
      if (before < 0 || text.charCodeAt(before) !== 92) break;
      start = before;
    }
    let end = at;
    for (;;) {
      while (end < text.length && !isLineTerminator(text.charCodeAt(end))) end++;
      let last = end - 1;
      if (last >= 0 && text.charCodeAt(last) === 13) last--;
      if (end >= text.length || text.charCodeAt(last) !== 92) break;
      end++;
    }
    if (re.test(text.slice(start, end))) return true;
    from = end;
  }
}

/** The last character of the line before the one starting at `lineStart` (its \r\n skipped), or -1. */
function lineEndBefore(text: string, lineStart: number): number {
  if (lineStart === 0) return -1;
  let i = lineStart - 1;
  if (text.charCodeAt(i) === 10 && i > 0 && text.charCodeAt(i - 1) === 13) i--;
  return i - 1;
}

/**
 * The modules a Python text may import, read with regular expressions rather than a parse, as
 * written (relative imports keep their dots): for `from a.b import c, d` that is `a.b`, `a.b.c`
 * and `a.b.d` (a name may be a submodule), for `import a.b.c` every prefix. A superset of what the
 * parsed imports hold: also imports inside functions, and in strings that merely look like code.
 */
export function textImports(text: string): string[] {
  const out = new Set<string>();
  const addPrefixes = (dotted: string) => {
    const parts = dotted.split('.');
    for (let i = 1; i <= parts.length; i++) out.add(parts.slice(0, i).join('.'));
  };
  for (const m of matchesOnImportLines(text, FROM_IMPORT)) {
    const base = m[1]!;
    out.add(base);
    for (const piece of m[2]!.replace(/#[^\n]*/g, '').replace(/[()\\]/g, ' ').split(',')) {
      const name = /^\s*(\w+)/.exec(piece)?.[1];
      if (name && name !== 'import') out.add(base.endsWith('.') ? base + name : `${base}.${name}`);
    }
  }
  for (const m of matchesOnImportLines(text, PLAIN_IMPORT)) {
    for (const piece of m[1]!.replace(/\\/g, ' ').split(',')) {
      const dotted = /^\s*([\w.]+)/.exec(piece)?.[1];
      if (dotted) addPrefixes(dotted);
    }
  }
  return [...out];
}

/**
 * One name of an import list, `name` or `name as alias` (dotted for `import`), split on spaces
 * rather than matched: identifiers may be any Unicode letters, and pieces are short.
 */
function importedPiece(piece: string): { name: string; alias?: string } | undefined {
  const words = piece.trim().split(/\s+/);
  const name = words[0];
  if (!name) return undefined;
  const as = words.indexOf('as', 1);
  return { name, alias: as > 0 ? words[as + 1] : undefined };
}

/**
 * Whether a Python text may assign `name` (an identifier), at any depth: `name =`, `name: T =`,
 * after `;` or a one-line block's `:` (`if x: name = y`). More than the module-level assignments
 * resolve follows (names in functions, keyword arguments on their own line), never fewer. Found
 * with indexOf: a pattern for every assignment tried at every position of a module cost more
 * than all the rest of following a name.
 */
export function mayAssign(text: string, name: string): boolean {
  return assignmentValues(text, name).next().done === false;
}

/** Where the value of each assignment mayAssign finds starts (just after its `=`). */
function* assignmentValues(text: string, name: string): Generator<number> {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    // Only spaces back to the start of the line, a `;` or a `:` (which also rules out a longer name).
    let i = at - 1;
    while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
    if (i >= 0 && !'\n\r\u2028\u2029;:'.includes(text[i]!)) continue;
    // Then spaces and `=` (not `==`), or `:` and an `=` later on the line (an annotation).
    let j = at + name.length;
    while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
    if (text[j] === '=' && text[j + 1] !== '=') yield j + 1;
    else if (text[j] === ':') {
      const lineEnd = text.indexOf('\n', j);
      const equals = /=(?!=)/.exec(text.slice(j + 1, lineEnd < 0 ? text.length : lineEnd));
      if (equals) yield j + 1 + equals.index + 1;
    }
  }
}

/** A dotted name of Python identifiers, as `resolve` follows an assignment's value. */
const DOTTED_VALUE = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*(?:\.[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*)*$/u;

/**
 * What the assignments of `name` in a Python text may make it an alias of, one per line: a dotted
 * name (`exempt = helpers.skip`), or `?` where the line does not tell (the value continues on the
 * next line). Values that are not a plain dotted name (calls, literals, parenthesised or
 * conditional expressions) are left out: resolve follows only a dotted name, and an assignment
 * of anything else ends its search there as if there were none. Empty: nothing to follow.
 */
export function assignedAliases(text: string, name: string): string {
  const out: string[] = [];
  for (const from of assignmentValues(text, name)) {
    const lineEnd = text.indexOf('\n', from);
    const line = text.slice(from, lineEnd < 0 ? text.length : lineEnd).replace(/\r$/, '');
    // The value up to a comment or the next statement (a `#` or `;` inside a string means the
    // value is a string, not a dotted name, either way).
    const cut = line.search(/[#;]/);
    // `a . b` is the attribute a.b too.
    const value = (cut < 0 ? line : line.slice(0, cut)).trim().replace(/\s*\.\s*/g, '.');
    if (value === '' || value.endsWith('\\')) out.push('?');
    else if (DOTTED_VALUE.test(value)) out.push(value);
  }
  return out.join('\n');
}

/**
 * How a Python text may bind names by import, read with regular expressions (the superset rule
 * of textImports): one line per import, `i<TAB>local<TAB>target` for a binding of `local` to
 * `target` as written (`from ..a import b as c` gives `c` and `..a.b`; `import a.b` gives `a`
 * and `a`), `s<TAB>module` for a star import.
 */
export function textBindings(text: string): string {
  const out: string[] = [];
  for (const m of matchesOnImportLines(text, FROM_IMPORT)) {
    const base = m[1]!;
    for (const piece of m[2]!.replace(/#[^\n]*/g, '').replace(/[()\\]/g, ' ').split(',')) {
      if (piece.trim() === '*') {
        out.push(`s\t${base}`);
        continue;
      }
      const n = importedPiece(piece);
      if (n) out.push(`i\t${n.alias ?? n.name}\t${base.endsWith('.') ? base + n.name : `${base}.${n.name}`}`);
    }
  }
  for (const m of matchesOnImportLines(text, PLAIN_IMPORT)) {
    for (const piece of m[1]!.replace(/#[^\n]*/g, '').replace(/\\/g, ' ').split(',')) {
      const n = importedPiece(piece);
      if (!n) continue;
      // `import a.b.c` binds `a`; `import a.b as c` binds `c` to a.b.
      const top = n.name.split('.')[0]!;
      out.push(n.alias ? `i\t${n.alias}\t${n.name}` : `i\t${top}\t${top}`);
    }
  }
  return out.join('\n');
}

/** textBindings read back: import targets by local name, and star-imported modules. */
interface NameBindings {
  imports: Map<string, string[]>;
  stars: string[];
}

function parseBindings(summary: string): NameBindings {
  const b: NameBindings = { imports: new Map(), stars: [] };
  for (const line of summary.split('\n')) {
    const [kind, first, second] = line.split('\t');
    if (kind === 'i' && first && second) {
      const targets = b.imports.get(first);
      if (targets) targets.push(second);
      else b.imports.set(first, [second]);
    } else if (kind === 's' && first) b.stars.push(first);
  }
  return b;
}

/** Text facts read straight from the files (tests and callers outside a rule run). */
export function directTextFacts(sources: PythonSources): TextFacts {
  return {
    mentions: (file, re) => re.test(sources.fs.readFile(file) ?? ''),
    importedNames: (file) => textImports(sources.fs.readFile(file) ?? '').join('\n'),
    bindings: (file) => textBindings(sources.fs.readFile(file) ?? ''),
    aliases: (file, name) => assignedAliases(sources.fs.readFile(file) ?? '', name),
  };
}

/** Absolute module name of an import as written in module `moduleName` (`..views` → `pkg.views`). */
function absoluteImport(written: string, moduleName: string, isPackage: boolean): string {
  const level = /^\.*/.exec(written)![0].length;
  if (level === 0) return written;
  const parts = moduleName ? moduleName.split('.') : [];
  const pkg = isPackage ? parts : parts.slice(0, -1);
  const base = pkg.slice(0, Math.max(0, pkg.length - (level - 1)));
  const rest = written.slice(level);
  return [...base, ...(rest ? rest.split('.') : [])].join('.');
}

/**
 * What resolvers can keep from one analysis to the next (the language server rebuilds the view
 * index whenever a view module changes): which file a module name means (only creating or
 * deleting files changes that: the owner clears it then), each parsed module's tables (while its
 * file is the same version), and where a file's imports lead (while they read the same).
 */
export class ResolverCaches {
  /** Per own root of the asking module (see moduleFileOf): module name → its file, or null. */
  readonly moduleFiles = new Map<string, Map<string, string | null>>();
  /** Per own root: whether a top-level name (`django` of django.db) is a module or a folder under the roots. */
  readonly topLevel = new Map<string, Map<string, boolean>>();
  readonly modules = new Map<string, { file: ParsedFile; version: number; module: PyModule }>();
  readonly importTargets = new Map<string, { names: string; targets: string[] }>();
  /** A file's textBindings read back, while they read the same. */
  readonly bindings = new Map<string, { summary: string; parsed: NameBindings }>();
  /** Is a path application code (views/model.ts isAppFile: a function of the path and the project)? */
  readonly appFiles = new Map<string, boolean>();

  /** Files were created or deleted. */
  filesetChanged(): void {
    this.moduleFiles.clear();
    this.topLevel.clear();
    this.importTargets.clear();
    this.bindings.clear();
  }
}

/** Components whose facts were asked again, per record (TextFacts.recordedIn) and pattern. */
const replayed = new WeakMap<object, Map<string, WeakSet<readonly string[]>>>();

/** Whether the facts of `files` were asked for the current record already; they count as asked now. */
function askedBefore(files: readonly string[], pattern: RegExp, facts: TextFacts): boolean {
  const record = facts.recordedIn?.();
  if (!record) return false;
  let byPattern = replayed.get(record);
  if (!byPattern) replayed.set(record, (byPattern = new Map()));
  const key = `${pattern.source}/${pattern.flags}`;
  let done = byPattern.get(key);
  if (!done) byPattern.set(key, (done = new WeakSet()));
  if (done.has(files)) return true;
  done.add(files);
  return false;
}

/** Asks again the facts an earlier reachability walk rested on (for whoever records what is asked). */
function replayFacts(files: readonly string[], pattern: RegExp, facts: TextFacts): void {
  // Nobody records (a one-shot analysis, a caller outside a rule run): nothing to ask again for.
  if (!facts.recordedIn?.()) return;
  if (askedBefore(files, pattern, facts)) return;
  for (const f of files) {
    facts.mentions(f, pattern);
    facts.importedNames(f);
  }
}

/** Loads project modules on demand and follows qualified names through them. */
export class ModuleResolver {
  private byPath = new Map<string, PyModule | null>();
  private readonly caches: ResolverCaches;

  constructor(
    readonly sources: PythonSources,
    readonly importRoots: string[],
    caches?: ResolverCaches,
  ) {
    this.caches = caches ?? new ResolverCaches();
  }

  /**
   * Files known to reach no module mentioning a pattern, per facts object and pattern (see
   * `mayReach`). Per facts object because the resolver outlives an analysis and each rule run
   * must record the facts its answer rests on.
   */
  private unreached = new WeakMap<TextFacts, Map<string, Map<string, string[]>>>();
  /** Files known to reach a module mentioning a pattern, per facts object and pattern (see `mayReach`). */
  private reaching = new WeakMap<TextFacts, Map<string, Set<string>>>();

  /**
   * Can resolving `qualified` (from `near`) end in a name the pattern matches, such as
   * django.views.decorators.csrf.csrf_exempt? Resolution only follows imports, star imports and
   * aliases through workspace modules, so the name must be written in one of the modules reachable
   * by import from the first module it enters: when none of them mentions the pattern (checked on
   * text, without parsing), the answer is no. Used to avoid parsing every module an import names
   * just to learn that it is not a re-export.
   */
  mayReach(qualified: string, near: string | undefined, pattern: RegExp, facts: TextFacts = directTextFacts(this.sources)): boolean {
    if (pattern.test(qualified)) return true;
    // The longest prefix that is a workspace module.
    let start: string | undefined;
    for (let prefix = qualified; prefix && !start; ) {
      start = this.moduleFileOf(prefix, near);
      const dot = prefix.lastIndexOf('.');
      prefix = dot < 0 ? '' : prefix.slice(0, dot);
    }
    if (!start) return false;
    const key = `${pattern.source}/${pattern.flags}`;
    let byPattern = this.unreached.get(facts);
    if (!byPattern) this.unreached.set(facts, (byPattern = new Map()));
    let unreached = byPattern.get(key);
    if (!unreached) byPattern.set(key, (unreached = new Map()));
    const known = unreached.get(start);
    if (known) {
      // The answer rests on the facts of the files visited then: asked again, so a caller that
      // records what it reads (a kept per-module part) depends on them too.
      replayFacts(known, pattern, facts);
      return false;
    }
    // Files known to reach a match. A yes only lets the caller resolve the name for real (which
    // records what it reads): it need not rest on recorded facts, and many imports start there.
    let reachingByPattern = this.reaching.get(facts);
    if (!reachingByPattern) this.reaching.set(facts, (reachingByPattern = new Map()));
    let reaching = reachingByPattern.get(key);
    if (!reaching) reachingByPattern.set(key, (reaching = new Set()));
    if (reaching.has(start)) return true;
    const seen = new Set<string>([start]);
    const queue = [start];
    const joined: string[][] = [];
    while (queue.length > 0) {
      const file = queue.pop()!;
      const before = unreached.get(file);
      if (before) {
        // Known to reach no match: its files join this walk's (their facts asked once, below).
        if (!joined.includes(before)) joined.push(before);
        for (const f of before) seen.add(f);
        continue;
      }
      if (reaching.has(file) || facts.mentions(file, pattern)) {
        reaching.add(start);
        return true;
      }
      for (const target of this.importTargets(file, facts.importedNames(file))) {
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
    for (const c of joined) replayFacts(c, pattern, facts);
    // Everything reachable from `start` was visited without a match: none of it can reach one.
    const component = [...seen];
    for (const f of seen) unreached.set(f, component);
    askedBefore(component, pattern, facts);
    return false;
  }

  /**
   * Can resolving `qualified` (from `near`) end in a name the pattern matches, such as
   * django.views.decorators.csrf.csrf_exempt, for the name itself (not anything reached through
   * its attributes)? mayReach asks whether any module reachable by import from the name's module
   * mentions the pattern, and an import of a dashboard's API package reaches most of a large
   * project. This follows only the name, as `resolve` does, through what each module's text says
   * binds it (imports, star imports): a module answers no at once, a class re-exported through
   * three modules looks at those three, an alias assigned from a dotted name is followed like an
   * import. Where the text does not tell what a module assigns the name, it is mayReach from there.
   */
  mayResolveTo(qualified: string, near: string | undefined, pattern: RegExp, facts: TextFacts = directTextFacts(this.sources)): boolean {
    // Where the facts asked are recorded (a rule run the editor keeps), each question is asked
    // again. Where nobody records them (a one-shot analysis), a name asked about again (the same
    // imports in hundreds of modules) has the answer it had: the facts cannot change in between.
    if (facts.recordedIn?.()) return this.followName(qualified, near, pattern, facts, 0, new Set());
    let answers = this.nameAnswers.get(facts);
    if (!answers) this.nameAnswers.set(facts, (answers = new Map()));
    const key = `${this.ownRoot(near)}\0${pattern.source}/${pattern.flags}\0${qualified}`;
    let answer = answers.get(key);
    if (answer === undefined) answers.set(key, (answer = this.followName(qualified, near, pattern, facts, 0, new Set())));
    return answer;
  }

  /** mayResolveTo's answers per facts nobody records (see there). */
  private readonly nameAnswers = new WeakMap<TextFacts, Map<string, boolean>>();

  private followName(qualified: string, near: string | undefined, pattern: RegExp, facts: TextFacts, depth: number, seen: Set<string>): boolean {
    if (pattern.test(qualified)) return true;
    // Deeper than resolve follows: let resolving decide.
    if (depth > 8) return true;
    const key = `${this.ownRoot(near)}\0${qualified}`;
    // Being followed already (an import cycle): that walk answers.
    if (seen.has(key)) return false;
    seen.add(key);
    // The longest prefix that is a workspace module, as resolve takes it.
    const parts = qualified.split('.');
    let length = parts.length;
    let file = this.moduleFileOf(qualified, near);
    while (!file && --length >= 1) file = this.moduleFileOf(parts.slice(0, length).join('.'), near);
    // A library name, and not the pattern's.
    if (!file) return false;
    const rest = parts.slice(length);
    // A module is never the name.
    if (rest.length === 0) return false;
    if (facts.mentions(file, pattern)) return true;
    const bindings = this.bindingsOf(file, facts);
    const info = this.sources.moduleInfo(file);
    const name = rest[0]!;
    const after = rest.slice(1);
    for (const target of bindings.imports.get(name) ?? []) {
      if (this.followName([absoluteImport(target, info.moduleName, info.isPackage), ...after].join('.'), file, pattern, facts, depth + 1, seen)) return true;
    }
    // An alias by assignment, as qualifyDotted reads it: its head through this module's imports, or
    // this module's own name (a definition, another assignment); where the text cannot tell, the
    // import walk from here.
    for (const alias of facts.aliases(file, name).split('\n')) {
      if (!alias) continue;
      if (alias === '?' || !info.moduleName) return this.mayReach(qualified, near, pattern, facts);
      const dot = alias.indexOf('.');
      const head = dot < 0 ? alias : alias.slice(0, dot);
      const tail = dot < 0 ? [] : alias.slice(dot + 1).split('.');
      for (const target of bindings.imports.get(head) ?? []) {
        if (this.followName([absoluteImport(target, info.moduleName, info.isPackage), ...tail, ...after].join('.'), file, pattern, facts, depth + 1, seen)) return true;
      }
      if (this.followName([info.moduleName, alias, ...after].join('.'), file, pattern, facts, depth + 1, seen)) return true;
    }
    for (const star of bindings.stars) {
      if (this.followName([absoluteImport(star, info.moduleName, info.isPackage), ...rest].join('.'), file, pattern, facts, depth + 1, seen)) return true;
    }
    return false;
  }

  private bindingsOf(file: string, facts: TextFacts): NameBindings {
    const summary = facts.bindings(file);
    const kept = this.caches.bindings.get(file);
    if (kept?.summary === summary) return kept.parsed;
    const parsed = parseBindings(summary);
    this.caches.bindings.set(file, { summary, parsed });
    return parsed;
  }

  /** The workspace files the imports `names` (TextFacts.importedNames of `file`) lead to. */
  private importTargets(file: string, names: string): string[] {
    const kept = this.caches.importTargets.get(file);
    if (kept?.names === names) return kept.targets;
    const info = this.sources.moduleInfo(file);
    const targets = new Set<string>();
    for (const written of names.split('\n')) {
      if (!written) continue;
      const target = this.moduleFileOf(absoluteImport(written, info.moduleName, info.isPackage), file);
      if (target) targets.add(target);
    }
    const list = [...targets];
    this.caches.importTargets.set(file, { names, targets: list });
    return list;
  }

  /** Modules read by the resolutions under way (see `resolve`). */
  private reading: Set<string>[] = [];

  module(path: string): PyModule | undefined {
    for (const r of this.reading) r.add(path);
    const cached = this.byPath.get(path);
    if (cached !== undefined) {
      // Read again through the sources: a caller that records what it reads (a kept per-module
      // part computed after another one loaded this module) must depend on it too.
      this.sources.get(path);
      return cached ?? undefined;
    }
    const file = this.sources.get(path);
    if (!file) {
      this.byPath.set(path, null);
      return undefined;
    }
    const kept = this.caches.modules.get(path);
    let mod: PyModule;
    if (kept && kept.file === file && kept.version === file.version) mod = kept.module;
    else {
      const info = this.sources.moduleInfo(path);
      mod = new PyModule(path, file, info.moduleName, info.isPackage);
      this.caches.modules.set(path, { file, version: file.version, module: mod });
    }
    this.byPath.set(path, mod);
    return mod;
  }

  /** Resolutions from the top, with the modules each one read (replayed on a hit, like `module`). */
  private resolveCache = new Map<string, { resolved: Resolved; read: string[] }>();

  private ownRoot(near?: string): string {
    return near ? this.sources.moduleInfo(near).root : '';
  }

  /** The workspace file of a dotted module name, if it is one of ours. */
  moduleFileOf(moduleName: string, near?: string): string | undefined {
    if (!moduleName) return undefined;
    const own = this.ownRoot(near);
    // Maps per own root rather than joined keys: thousands of names are asked, most of them again.
    let files = this.caches.moduleFiles.get(own);
    if (!files) this.caches.moduleFiles.set(own, (files = new Map()));
    const cached = files.get(moduleName);
    if (cached !== undefined) return cached ?? undefined;
    const roots = this.rootsFor(own);
    // Most names are a library's (django.db.models, rest_framework...): a top-level name that is
    // neither a module nor a folder under any root rules out every name under it at once.
    const dot = moduleName.indexOf('.');
    const top = dot < 0 ? moduleName : moduleName.slice(0, dot);
    let tops = this.caches.topLevel.get(own);
    if (!tops) this.caches.topLevel.set(own, (tops = new Map()));
    let present = tops.get(top);
    if (present === undefined) {
      const fs = this.sources.fs;
      present = roots.some((r) => fs.isFile(join(r, `${top}.py`)) || fs.isDirectory(join(r, top)));
      tops.set(top, present);
    }
    const found = present ? moduleFile(this.sources.fs, roots, moduleName) : undefined;
    files.set(moduleName, found ?? null);
    return found;
  }

  /** The roots a name is looked up under from a module of `own` root: that root first, then the project's. */
  private rootsFor(own: string): string[] {
    let roots = this.rootsByOwn.get(own);
    if (!roots) {
      roots = own && !this.importRoots.includes(own) ? [own, ...this.importRoots] : [...this.importRoots];
      this.rootsByOwn.set(own, roots);
    }
    return roots;
  }

  private readonly rootsByOwn = new Map<string, string[]>();

  /**
   * Can `qualified` be resolved without parsing a module not parsed yet? True when its longest
   * workspace-module prefix is already parsed, or when no prefix is a workspace module (a library).
   */
  resolvesCheaply(qualified: string, near?: string): boolean {
    // The prefixes at each dot, longest first (as resolve tries them).
    for (let prefix = qualified; prefix; ) {
      const f = this.moduleFileOf(prefix, near);
      // Only this resolver's own modules count, so the answer does not depend on what other
      // analyses happened to parse before.
      if (f) return this.byPath.has(f);
      const dot = prefix.lastIndexOf('.');
      prefix = dot < 0 ? '' : prefix.slice(0, dot);
    }
    return true;
  }

  moduleByName(moduleName: string, near?: string): PyModule | undefined {
    const f = this.moduleFileOf(moduleName, near);
    return f ? this.module(f) : undefined;
  }

  /**
   * Follow a qualified name: the longest prefix that is a workspace module, then names inside it
   * (definitions, re-exported imports, aliases). Library names come back as `external` with the
   * qualified name as written.
   */
  resolve(qualified: string, near?: string, depth = 0): Resolved {
    const key = `${this.ownRoot(near)}\0${qualified}`;
    const cached = this.resolveCache.get(key);
    if (cached) {
      for (const path of cached.read) this.module(path);
      return cached.resolved;
    }
    if (depth > 0) return this.resolveUncached(qualified, near, depth);
    const read = new Set<string>();
    this.reading.push(read);
    let r: Resolved;
    try {
      r = this.resolveUncached(qualified, near, depth);
    } finally {
      this.reading.pop();
    }
    this.resolveCache.set(key, { resolved: r, read: [...read] });
    return r;
  }

  private resolveUncached(qualified: string, near: string | undefined, depth: number): Resolved {
    const parts = qualified.split('.');
    for (let i = parts.length; i >= 1; i--) {
      const modName = parts.slice(0, i).join('.');
      const mod = this.moduleByName(modName, near);
      if (!mod) continue;
      const rest = parts.slice(i);
      if (rest.length === 0) return { kind: 'module', module: mod, qualified };
      const name = rest[0]!;
      const def = mod.defs.get(name);
      if (def) return { kind: 'def', module: mod, node: def, qualified: `${mod.moduleName}.${name}`, rest: rest.slice(1) };
      if (depth < 8) {
        const imp = mod.imports.get(name);
        if (imp) return this.resolve([imp.qualified, ...rest.slice(1)].join('.'), mod.path, depth + 1);
        const assigned = mod.assigns.get(name);
        const d = assigned ? dottedName(assigned) : undefined;
        const q = d ? mod.qualifyDotted(d) : undefined;
        if (q) return this.resolve([q, ...rest.slice(1)].join('.'), mod.path, depth + 1);
        for (const star of mod.starImports) {
          const through = [star, ...rest].join('.');
          const r = this.resolve(through, mod.path, depth + 1);
          // An external answer naming something else is a library name the star module imports
          // (`from .helpers import *` bringing csrf_exempt); the same name back means not found there.
          if (r.kind !== 'external' || r.qualified !== through || !this.moduleByName(star, mod.path)) return r;
        }
      }
      return { kind: 'external', qualified };
    }
    return { kind: 'external', qualified };
  }

  /** The canonical qualified name of an expression in a module (following project re-exports). */
  canonical(mod: PyModule, node: SyntaxNode | null | undefined): string | undefined {
    const q = mod.qualify(node);
    if (!q) return undefined;
    const r = this.resolve(q, mod.path);
    return r.qualified;
  }
}

/** Where new top-level imports go: after the last top-level import (or docstring). */
function importInsertLine(root: SyntaxNode): number {
  let line = 0;
  for (const stmt of named(root)) {
    if (stmt.type === 'import_statement' || stmt.type === 'import_from_statement' || stmt.type === 'future_import_statement') line = stmt.endPosition.row + 1;
    else if (stmt.type === 'expression_statement' && stmt.namedChildren[0]?.type === 'string' && line === 0) line = stmt.endPosition.row + 1;
    else if (stmt.type !== 'comment') break;
  }
  return line;
}

/** A `from x import y` / `import x` line parsed back into qualified name and local name. */
function parseImportLine(line: string): { qualified: string; local: string } | undefined {
  let m = /^from\s+([\w.]+)\s+import\s+(\w+)(?:\s+as\s+(\w+))?\s*$/.exec(line.trim());
  if (m) return { qualified: `${m[1]}.${m[2]}`, local: m[3] ?? m[2]! };
  m = /^import\s+([\w.]+)(?:\s+as\s+(\w+))?\s*$/.exec(line.trim());
  if (m) return { qualified: m[1]!, local: m[2] ?? m[1]!.split('.')[0]! };
  return undefined;
}

/**
 * Edits adding import lines a module lacks, one edit per line so that two fixes adding the same
 * import produce identical edits (merged when applied together).
 */
export function importEdits(mod: PyModule, lines: string[]): TextEdit[] {
  const missing = lines.filter((l) => {
    const p = parseImportLine(l);
    if (!p) return true;
    const b = mod.imports.get(p.local);
    return !(b && b.qualified === p.qualified);
  });
  if (missing.length === 0) return [];
  const line = importInsertLine(mod.root);
  const text = mod.text;
  const at = line >= lineCount(text) ? endOfText(text) : { line, character: 0 };
  const prefix = at.character > 0 ? '\n' : '';
  // Plain `import x` lines (standard library style) go to the top of the import block, like isort.
  const first = named(mod.root).find((s) => s.type === 'import_statement' || s.type === 'import_from_statement');
  const top = first ? { line: first.startPosition.row, character: 0 } : undefined;
  return missing.map((m) => {
    const pos = top && /^import\s/.test(m) ? top : at;
    return { file: mod.path, range: { start: pos, end: pos }, newText: (pos === at ? prefix : '') + m + '\n' };
  });
}

/**
 * How to refer to `qualified` (a name in module `from`) in this module: the existing local name, or a
 * new `from module import name` (aliased when the plain name is taken).
 */
export function ensureName(mod: PyModule, qualified: string, alias?: string): { expr: string; imports: string[] } {
  const existing = mod.expressionFor(qualified);
  if (existing) return { expr: existing, imports: [] };
  const i = qualified.lastIndexOf('.');
  const moduleName = qualified.slice(0, i);
  const name = qualified.slice(i + 1);
  if (!mod.binds(name)) return { expr: name, imports: [`from ${moduleName} import ${name}`] };
  const as = alias ?? `${moduleName.split('.').pop()}_${name}`;
  return { expr: as, imports: [`from ${moduleName} import ${name} as ${as}`] };
}

/** The edit removing one imported name (the whole statement when it is the only one). */
export function removeImportEdit(mod: PyModule, binding: ImportBinding): TextEdit | undefined {
  const stmt = binding.stmt;
  const elems = stmt.childrenForFieldName('name').filter((n): n is SyntaxNode => !!n);
  if (elems.length <= 1) {
    if (!ownsLines(mod.text, stmt)) return undefined;
    return deleteLinesEdit(mod.path, mod.text, stmt);
  }
  const i = elems.findIndex((e) => e.startIndex === binding.element.startIndex);
  if (i < 0) return undefined;
  const el = elems[i]!;
  const next = elems[i + 1];
  const prev = elems[i - 1];
  const pos = (n: SyntaxNode, end = false) => (end ? { line: n.endPosition.row, character: n.endPosition.column } : { line: n.startPosition.row, character: n.startPosition.column });
  if (next) return { file: mod.path, range: { start: pos(el), end: pos(next) }, newText: '' };
  return { file: mod.path, range: { start: pos(prev!, true), end: pos(el, true) }, newText: '' };
}
