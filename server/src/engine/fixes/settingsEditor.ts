// Builds the text edits of settings quick fixes: set a value where it is assigned, insert missing
// settings in the production module (inside its `if not DEBUG:` block when it has one, spec §b.4),
// add imports once, and write environment reads in the idiom the module already uses (spec §c.6).
import type { SyntaxNode } from '../parsing/syntax';
import type { ParsedFile } from '../parsing/documents';
import { normalizeDistName } from '../project/model';
import { ProjectModuleHost, type PythonSources } from '../project/sources';
import type { Setting, SettingsProfile } from '../settings/profile';
import type { Fix, Location, TextEdit } from '../types';
import { endOfText, lineAt, lineCount, textBetween } from '../parsing/lines';

export type EnvIdiom = 'environ' | 'decouple' | 'os';

/** The comment our HSTS fix leaves next to a short max-age. */
export const RAMP_UP_COMMENT = 'raise to 31536000 once every host is served over HTTPS';

export class SettingsEditor {
  constructor(
    readonly profile: SettingsProfile,
    private readonly sources: PythonSources,
    /**
     * The analyzer's import resolution for the project, which keeps its answers until files are
     * created or deleted (a fix resolves each installed app on every analysis); a fresh one if none.
     */
    private readonly host?: ProjectModuleHost,
  ) {}

  private get prodPath(): string {
    return this.profile.module.path;
  }

  private root(path = this.prodPath): SyntaxNode | undefined {
    return this.sources.get(path)?.root;
  }

  /** Source text of a location (single or multi-line). */
  textAt(loc: Location): string | undefined {
    const file = this.sources.get(loc.file);
    return file && textBetween(file.text, loc.range.start, loc.range.end);
  }

  textOf(path: string): string | undefined {
    return this.sources.get(path)?.text;
  }

  lineText(path: string, line: number): string | undefined {
    const text = this.sources.get(path)?.text;
    return text === undefined ? undefined : lineAt(text, line);
  }

  get fileSystem() {
    return this.sources.fs;
  }

  rootOf(path: string): SyntaxNode | undefined {
    return this.sources.get(path)?.root;
  }

  /** A module read for its code only (PythonSources.code): for decisions a comment cannot change. */
  codeOf(path: string): ParsedFile | undefined {
    return this.sources.code(path);
  }

  /** `textAt` of a location inside a statement (an assigned value): depends on the module's code only. */
  codeTextAt(loc: Location): string | undefined {
    const file = this.sources.code(loc.file);
    return file && textBetween(file.text, loc.range.start, loc.range.end);
  }

  /**
   * Where a dotted module lives: its workspace file, 'missing' when importing it would raise
   * ImportError (no such module in our packages' parents, nor an installed distribution we know
   * of), or undefined when we cannot tell (an installed library, or Django's ViewDoesNotExist case
   * of a missing submodule in an existing package).
   */
  resolveModuleFile(moduleName: string): string | undefined | 'missing' {
    const host = this.host ?? new ProjectModuleHost(this.sources, this.profile.project.importRoots);
    const info = this.sources.moduleInfo(this.prodPath);
    const from = { path: this.prodPath, moduleName: info.moduleName, isPackage: info.isPackage };
    const t = host.resolveModule(from, 0, moduleName);
    if (t.kind === 'workspace') return t.path;
    const parent = moduleName.split('.').slice(0, -1).join('.');
    if (t.kind === 'missing') return parent && host.resolveModule(from, 0, parent).kind === 'workspace' ? undefined : 'missing';
    const top = moduleName.split('.')[0]!;
    if (top === 'django' || this.profile.project.requirementNames.has(normalizeDistName(top))) return undefined;
    return 'missing';
  }


  /** The name of a django-environ `Env()` instance the production settings can use, if any. */
  get environName(): string | undefined {
    return this.profile.envStyle.environName;
  }

  get idiom(): EnvIdiom {
    const style = this.profile.envStyle;
    return style.environName ? 'environ' : style.decouple ? 'decouple' : 'os';
  }

  /** The environment-variable name for a setting, following the project's prefix habit. */
  envName(setting: string): string {
    return this.profile.envStyle.djangoPrefix ? `DJANGO_${setting}` : setting;
  }

  /** Expression reading a boolean from the environment with a default, plus the imports it needs. */
  envBool(varName: string, fallback: boolean): { text: string; imports: string[] } {
    const py = fallback ? 'True' : 'False';
    switch (this.idiom) {
      case 'environ':
        return { text: `${this.environName}.bool("${varName}", default=${py})`, imports: [] };
      case 'decouple':
        return { text: `config("${varName}", default=${py}, cast=bool)`, imports: [] };
      default:
        return { text: `os.environ.get("${varName}", "${py}").lower() in ("1", "true", "yes")`, imports: ['import os'] };
    }
  }

  /** Expression for a required string from the environment (raises when unset). */
  envRequired(varName: string): { text: string; imports: string[] } {
    switch (this.idiom) {
      case 'environ':
        return { text: `${this.environName}("${varName}")`, imports: [] };
      case 'decouple':
        return { text: `config("${varName}")`, imports: [] };
      default:
        return { text: `os.environ["${varName}"]`, imports: ['import os'] };
    }
  }

  /** Expression for a comma-separated list from the environment, empty when unset. */
  envList(varName: string): { text: string; imports: string[] } {
    switch (this.idiom) {
      case 'environ':
        return { text: `${this.environName}.list("${varName}", default=[])`, imports: [] };
      case 'decouple':
        return { text: `config("${varName}", default="", cast=Csv())`, imports: ['from decouple import Csv'] };
      default:
        return { text: `[h.strip() for h in os.environ.get("${varName}", "").split(",") if h.strip()]`, imports: ['import os'] };
    }
  }

  /**
   * Fixes that give a setting a new value: rewrite the assignment where production gets it from,
   * or insert one in the production module. When the value is inherited from another module (a
   * base.py), overriding in production is preferred and editing the base is offered second.
   */
  setValue(setting: Setting, valueText: string, title: string, imports: string[] = [], comment?: string): Fix[] {
    const rhs = setting.binding?.rhs;
    const suffix = comment ? `  # ${comment}` : '';
    if (rhs && rhs.file === this.prodPath && !setting.binding?.imported) {
      return [{ title, edits: [this.replaceValue(rhs, valueText + suffix), ...this.importEdits(imports, rhs.file)], safe: true }];
    }
    const insert = this.insertLines([`${setting.name} = ${valueText}${suffix}`], imports);
    const fixes: Fix[] = insert.length ? [{ title: rhs ? `${title} (override in ${this.short(this.prodPath)})` : title, edits: insert, safe: true }] : [];
    if (rhs && this.sources.get(rhs.file)) {
      fixes.push({ title: `${title} (in ${this.short(rhs.file)})`, edits: [{ ...rhs, newText: valueText }, ...this.importEdits(imports, rhs.file)], safe: false });
    }
    return fixes;
  }

  /**
   * Replace an assigned value. A trailing comment we wrote with an earlier value (the HSTS ramp-up
   * note) would be wrong next to the new one, so it goes with the value.
   */
  private replaceValue(rhs: Location, text: string): TextEdit {
    const line = this.lineText(rhs.file, rhs.range.end.line) ?? '';
    const rest = line.slice(rhs.range.end.character);
    if (rest.includes(RAMP_UP_COMMENT)) return { ...rhs, range: { start: rhs.range.start, end: { line: rhs.range.end.line, character: line.length } }, newText: text };
    return { ...rhs, newText: text };
  }

  private short(path: string): string {
    return path.split('/').slice(-2).join('/');
  }

  /**
   * Insert whole lines at the place production settings belong: the end of a module-level
   * `if not DEBUG:` block when the module has one, else the end of the module.
   */
  insertLines(lines: string[], imports: string[] = [], path = this.prodPath): TextEdit[] {
    const file = this.sources.get(path);
    if (!file) return [];
    const text = file.text;
    const block = path === this.prodPath ? this.productionBlock() : undefined;
    let at: { line: number; character: number };
    let indent = '';
    let prefix = '';
    if (block) {
      const last = block.lastNamedChild!;
      indent = ' '.repeat(last.startPosition.column);
      at = { line: last.endPosition.row + 1, character: 0 };
      if (at.line >= lineCount(text)) {
        at = endOfText(text);
        prefix = '\n';
      }
    } else {
      at = endOfText(text);
      prefix = text.length === 0 || text.endsWith('\n') ? '' : '\n';
    }
    // Never assign a name the target block already assigns: when such an assignment exists but does
    // not take effect (a dead `if not DEBUG:` block), a duplicate would not either.
    const assigned = assignedIn(block ?? file.root);
    const kept = lines.filter((l) => {
      const m = /^([A-Z_][A-Z0-9_]*)\s*=/.exec(l);
      return !m || !assigned.has(m[1]!);
    });
    if (kept.length === 0 || kept.every((l) => l === '' || l.startsWith('#'))) return [];
    const body = kept.map((l) => (l === '' ? '' : indent + l)).join('\n') + '\n';
    const edits: TextEdit[] = [{ file: path, range: { start: at, end: at }, newText: prefix + body }];
    return [...this.importEdits(imports, path), ...edits];
  }

  /** A module-level `if not DEBUG:` (the seeds' production block), without elif/else. */
  private productionBlock(): SyntaxNode | undefined {
    const root = this.root();
    if (!root) return undefined;
    for (const stmt of root.namedChildren) {
      if (stmt?.type !== 'if_statement') continue;
      const cond = stmt.childForFieldName('condition');
      if (!cond || cond.text.replace(/\s+/g, ' ') !== 'not DEBUG') continue;
      if (stmt.childrenForFieldName('alternative').length > 0) continue;
      const body = stmt.childForFieldName('consequence');
      if (body?.lastNamedChild) return body;
    }
    return undefined;
  }

  /** Edits adding missing imports after the last top-level import (or at the top). */
  importEdits(imports: string[], path = this.prodPath): TextEdit[] {
    const file = this.sources.get(path);
    if (!file || imports.length === 0) return [];
    const missing = imports.filter((imp) => !hasImport(file.root, imp));
    if (missing.length === 0) return [];
    let line = 0;
    for (const stmt of file.root.namedChildren) {
      if (!stmt) continue;
      if (stmt.type === 'import_statement' || stmt.type === 'import_from_statement' || stmt.type === 'future_import_statement') line = stmt.endPosition.row + 1;
      else if (stmt.type === 'expression_statement' && stmt.namedChildren[0]?.type === 'string' && line === 0) line = stmt.endPosition.row + 1;
      else if (stmt.type !== 'comment') break;
    }
    const at = line >= lineCount(file.text) ? endOfText(file.text) : { line, character: 0 };
    const prefix = at.character > 0 ? '\n' : '';
    // One edit per import, so two fixes adding the same import dedupe to one line.
    return missing.map((m, i) => ({ file: path, range: { start: at, end: at }, newText: (i === 0 ? prefix : '') + m + '\n' }));
  }

  /** Insert lines right after a statement, at its indentation. */
  insertAfter(stmt: Location, lines: string[], imports: string[] = []): TextEdit[] {
    const file = this.sources.get(stmt.file);
    if (!file) return [];
    const indent = ' '.repeat(stmt.range.start.character);
    const nextLine = stmt.range.end.line + 1;
    const body = lines.map((l) => (l === '' ? '' : indent + l)).join('\n') + '\n';
    const edit: TextEdit =
      nextLine >= lineCount(file.text)
        ? { file: stmt.file, range: { start: endOfText(file.text), end: endOfText(file.text) }, newText: (file.text.endsWith('\n') ? '' : '\n') + body }
        : { file: stmt.file, range: { start: { line: nextLine, character: 0 }, end: { line: nextLine, character: 0 } }, newText: body };
    return [...this.importEdits(imports, stmt.file), edit];
  }

  /** Delete a whole statement (its lines). */
  deleteStatement(stmt: Location): TextEdit {
    return {
      file: stmt.file,
      range: { start: { line: stmt.range.start.line, character: 0 }, end: { line: stmt.range.end.line + 1, character: 0 } },
      newText: '',
    };
  }
}

/** Names assigned by the direct statements of a block (or module). */
function assignedIn(block: SyntaxNode): Set<string> {
  const out = new Set<string>();
  for (const stmt of block.namedChildren) {
    const expr = stmt?.type === 'expression_statement' ? stmt.namedChildren[0] : null;
    if (expr?.type !== 'assignment') continue;
    const left = expr.childForFieldName('left');
    if (left?.type === 'identifier') out.add(left.text);
  }
  return out;
}

function hasImport(root: SyntaxNode, imp: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  const target = norm(imp);
  const m = /^from (\S+) import (.+)$/.exec(target);
  for (const stmt of root.namedChildren) {
    if (!stmt) continue;
    if (stmt.type === 'import_statement' && !m) {
      const mod = target.replace(/^import /, '');
      if (stmt.childrenForFieldName('name').some((n) => n && (n.text === mod || n.childForFieldName('name')?.text === mod))) return true;
    }
    if (stmt.type === 'import_from_statement' && m) {
      if (stmt.childForFieldName('module_name')?.text !== m[1]) continue;
      const names = stmt.childrenForFieldName('name').map((n) => n?.text);
      if (m[2]!.split(',').every((n) => names.includes(n.trim()))) return true;
    }
  }
  return false;
}


