// The project's dependency model: every requirements file (with `-r`/`-c` includes resolved
// relative to the including file, as pip does), pyproject.toml ([project], [dependency-groups],
// Poetry) and Pipfile, normalised into one list of dependencies, with each requirements file
// classified production / dev / other (spec §0): production are files whose names say so,
// requirements.txt and requirements/base.txt, files a non-dev Dockerfile installs, and everything
// they include with `-r`. Built once per analysis (ctx.shared) and read by every cross-file rule.
import { basename, dirname, join } from 'node:path';
import type { DjangoProject } from '../project/model';
import type { Range, TextEdit } from '../types';
import { baseName, type FileSystem, relativePosix, splitPath } from '../workspace';
import type { DockerfileModel } from '../deploy/dockerfile';
import { type Include, normalizeName, parseRequirements, type ParsedRequirements, type Requirement } from './parse';
import { parseSpecifierSet, parseVersion, pinnedVersion, type Specifier, type Version } from './pep440';
import { parseToml, tableEntries, type TomlTable, type TomlValue } from './toml';

export type DepOrigin = 'requirements' | 'pyproject' | 'poetry' | 'pipfile';
export type FileRole = 'production' | 'dev' | 'other' | 'constraints';

export interface Dependency {
  key: string;
  name: string;
  origin: DepOrigin;
  file: string;
  group: 'main' | 'dev' | 'optional';
  specs?: Specifier[];
  specText: string;
  opaqueVersion: boolean;
  marker?: string;
  url?: string;
  path?: string;
  /** Exact version: `==X`, `===X`, or a wheel/sdist file name. */
  pinned?: Version;
  /** The declaration (requirement text, or the TOML key/value). */
  range: Range;
  nameRange?: Range;
  /** Where the version constraint is written (requirements: after the name; TOML: the string). */
  specRange?: Range;
  req?: Requirement;
}

export interface RequirementsFile {
  path: string;
  parsed: ParsedRequirements;
  role: FileRole;
  roleReason: string;
  includes: { include: Include; file?: string; url: boolean }[];
  /** A pip-compile input (`*.in`): ranges are expected, the compiled file pins. */
  input: boolean;
}

const DEV_NAME = /(^|[-_./])(dev|devel|develop|development|local|test|tests|testing|ci|lint|linting|docs?|typing|mypy|tox|qa)([-_./]|$)/i;
const PROD_NAME = /prod|production/i;
const PROD_PATHS = new Set(['requirements.txt', 'requirements.in', 'requirements/base.txt', 'requirements/base.in', 'requirements/production.txt', 'requirements/prod.txt', 'requirements/common.txt', 'requirements/main.txt']);

export function isRequirementsName(path: string): boolean {
  // Every file of a project is asked: a requirements file ends in .txt or .in.
  const extension = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  if (extension !== 'txt' && extension !== 'in') return false;
  const [dir, name] = splitPath(path);
  return /requirements.*\.(txt|in)$/i.test(name) || /^constraints.*\.txt$/i.test(name) || (baseName(dir) === 'requirements' && /\.(txt|in)$/.test(name));
}

export class DependencyModel {
  readonly files = new Map<string, RequirementsFile>();
  readonly deps: Dependency[] = [];
  pyproject?: { path: string; tables: TomlTable[]; text: string };
  pipfile?: { path: string; tables: TomlTable[]; text: string };
  /** setup.py / setup.cfg declare dependencies we do not read: "missing" rules stay quiet. */
  readonly opaqueSetup: boolean;
  /** Requirements files a non-dev Dockerfile installs (`pip install -r`). */
  readonly dockerInstalled = new Set<string>();

  constructor(
    readonly project: DjangoProject,
    readonly fs: FileSystem,
    projectFiles: string[],
    dockerfiles: DockerfileModel[],
  ) {
    const queue = projectFiles.filter(isRequirementsName);
    for (const d of dockerfiles) {
      if (d.dev) continue;
      for (const p of d.pipInstalls) for (const r of p.requirementFiles) if (r.file) {
        this.dockerInstalled.add(r.file);
        queue.push(r.file);
      }
    }
    const constraints = new Set<string>();
    while (queue.length > 0) {
      const path = queue.shift()!;
      if (this.files.has(path)) continue;
      const text = fs.readFile(path);
      if (text === undefined) continue;
      const parsed = parseRequirements(text);
      const includes = parsed.includes.map((include) => {
        const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(include.target);
        const file = url ? undefined : join(dirname(path), include.target);
        if (file && fs.isFile(file)) {
          queue.push(file);
          if (include.kind === 'constraint') constraints.add(file);
        }
        return { include, file: file && fs.isFile(file) ? file : undefined, url };
      });
      this.files.set(path, { path, parsed, role: 'other', roleReason: '', includes, input: path.endsWith('.in') });
    }
    this.classify(constraints);
    for (const f of this.files.values()) {
      for (const req of f.parsed.requirements) {
        if (!req.key || !req.name) continue;
        this.deps.push({
          key: req.key,
          name: req.name,
          origin: 'requirements',
          file: f.path,
          group: f.role === 'dev' ? 'dev' : 'main',
          specs: req.specs,
          specText: req.specText,
          opaqueVersion: req.opaqueVersion,
          marker: req.marker,
          url: req.url,
          path: req.path,
          pinned: req.specs ? pinnedVersion(req.specs) : req.fileVersion ? parseVersion(req.fileVersion) : undefined,
          range: req.range,
          nameRange: req.nameRange,
          specRange: req.specRange,
          req,
        });
      }
    }
    const root = project.root;
    // Tested on the end of each path first: every file of the project is looked at.
    const named = (f: string, name: string) => f.endsWith(name) && baseName(f) === name;
    const rootPyproject = join(root, 'pyproject.toml');
    const pyproject = projectFiles.find((f) => f === rootPyproject) ?? projectFiles.find((f) => named(f, 'pyproject.toml'));
    if (pyproject) this.readPyproject(pyproject);
    const pipfile = projectFiles.find((f) => named(f, 'Pipfile'));
    if (pipfile) this.readPipfile(pipfile);
    this.opaqueSetup = projectFiles.some((f) => (named(f, 'setup.py') || named(f, 'setup.cfg')) && dirname(f) === root);
  }

  private classify(constraints: Set<string>): void {
    const root = this.project.root;
    const rel = (p: string) => relativePosix(root, p);
    const seeds: string[] = [];
    for (const f of this.files.values()) {
      const r = rel(f.path);
      const stem = r.replace(/\.(txt|in)$/, '');
      if (this.dockerInstalled.has(f.path)) {
        f.role = 'production';
        f.roleReason = 'installed by the Dockerfile';
        seeds.push(f.path);
      } else if (constraints.has(f.path)) {
        f.role = 'constraints';
        f.roleReason = 'a constraints file (-c)';
      } else if (DEV_NAME.test(stem) && !PROD_NAME.test(stem)) {
        f.role = 'dev';
        f.roleReason = 'file name';
      } else if (PROD_NAME.test(stem) || PROD_PATHS.has(r) || (basename(dirname(f.path)) === 'requirements' && PROD_PATHS.has(`requirements/${basename(r)}`))) {
        f.role = 'production';
        f.roleReason = PROD_NAME.test(stem) ? 'file name' : `${basename(r)} is what deployments install`;
        seeds.push(f.path);
      }
    }
    // Everything a production file includes with -r is installed in production too.
    const seen = new Set<string>();
    while (seeds.length > 0) {
      const p = seeds.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      for (const inc of this.files.get(p)?.includes ?? []) {
        if (inc.include.kind !== 'requirement' || !inc.file) continue;
        const target = this.files.get(inc.file);
        if (target && target.role !== 'production') {
          target.role = 'production';
          target.roleReason = `included by ${basename(p)}`;
        }
        seeds.push(inc.file);
      }
    }
    // No file says production: the unclassified ones are all we have.
    if (![...this.files.values()].some((f) => f.role === 'production')) {
      for (const f of this.files.values()) if (f.role === 'other') {
        f.role = 'production';
        f.roleReason = 'the only non-dev requirements';
      }
    }
  }

  private pushToml(file: string, origin: DepOrigin, group: Dependency['group'], name: string, keyRange: Range, value: TomlValue | undefined, specText: string, specs: Specifier[] | undefined): void {
    this.deps.push({
      key: normalizeName(name),
      name,
      origin,
      file,
      group,
      specs,
      specText,
      opaqueVersion: false,
      pinned: specs ? pinnedVersion(specs) : undefined,
      range: value ? { start: keyRange.start, end: value.range.end } : keyRange,
      nameRange: keyRange,
      specRange: value?.range,
    });
  }

  /** A PEP 508 string inside a TOML string value, positions mapped into the TOML file. */
  private pushPep508(file: string, origin: DepOrigin, group: Dependency['group'], v: TomlValue): void {
    if (v.kind !== 'string') return;
    const parsed = parseRequirements(v.value);
    const req = parsed.requirements[0];
    if (!req?.key || !req.name) return;
    const shift = (r: Range | undefined): Range | undefined =>
      r && v.range.start.line === v.range.end.line
        ? { start: { line: v.range.start.line, character: v.range.start.character + 1 + r.start.character }, end: { line: v.range.start.line, character: v.range.start.character + 1 + r.end.character } }
        : r && v.range;
    this.deps.push({
      key: req.key,
      name: req.name,
      origin,
      file,
      group,
      specs: req.specs,
      specText: req.specText,
      opaqueVersion: req.opaqueVersion,
      marker: req.marker,
      url: req.url,
      path: req.path,
      pinned: req.specs ? pinnedVersion(req.specs) : undefined,
      range: v.range,
      nameRange: shift(req.nameRange),
      specRange: shift(req.specRange),
      req,
    });
  }

  private readPyproject(path: string): void {
    const text = this.fs.readFile(path);
    if (text === undefined) return;
    const tables = parseToml(text);
    this.pyproject = { path, tables, text };
    for (const e of tableEntries(tables, ['project'])) {
      if (e.key.join('.') === 'dependencies' && e.value.kind === 'array') for (const item of e.value.items) this.pushPep508(path, 'pyproject', 'main', item);
    }
    for (const e of tableEntries(tables, ['project', 'optional-dependencies'])) {
      if (e.value.kind === 'array') for (const item of e.value.items) this.pushPep508(path, 'pyproject', 'optional', item);
    }
    for (const e of tableEntries(tables, ['dependency-groups'])) {
      if (e.value.kind === 'array') for (const item of e.value.items) this.pushPep508(path, 'pyproject', 'dev', item);
    }
    const poetry = (table: string[], group: Dependency['group']) => {
      for (const e of tableEntries(tables, table)) {
        if (e.key.length !== 1 || e.key[0] === 'python') continue;
        const { specText, specs, value } = poetryConstraint(e.value);
        this.pushToml(path, 'poetry', group, e.key[0]!, e.keyRange, value ?? e.value, specText, specs);
      }
    };
    poetry(['tool', 'poetry', 'dependencies'], 'main');
    poetry(['tool', 'poetry', 'dev-dependencies'], 'dev');
    for (const t of tables) {
      if (t.name.length === 5 && t.name[0] === 'tool' && t.name[1] === 'poetry' && t.name[2] === 'group' && t.name[4] === 'dependencies') {
        poetry(t.name, t.name[3] === 'main' ? 'main' : 'dev');
      }
    }
  }

  private readPipfile(path: string): void {
    const text = this.fs.readFile(path);
    if (text === undefined) return;
    const tables = parseToml(text);
    this.pipfile = { path, tables, text };
    for (const [table, group] of [['packages', 'main'], ['dev-packages', 'dev']] as const) {
      for (const e of tableEntries(tables, [table])) {
        if (e.key.length !== 1) continue;
        let v: TomlValue | undefined = e.value;
        if (v.kind === 'table') v = v.entries.find((x) => x.key[0] === 'version')?.value;
        const text = v?.kind === 'string' ? v.value.trim() : '';
        const specs = text === '*' || text === '' ? (v ? [] : undefined) : parseSpecifierSet(text);
        this.pushToml(path, 'pipfile', group, e.key[0]!, e.keyRange, v ?? e.value, text, specs);
      }
    }
  }

  // ------------------------------------------------------------------ queries

  /** Dependencies production installs. */
  productionDeps(): Dependency[] {
    return this.deps.filter((d) => d.group === 'main' && (d.origin !== 'requirements' || this.files.get(d.file)?.role === 'production'));
  }

  /** The first production dependency among these names (PEP 503-normalised or not). */
  inProduction(...names: string[]): Dependency | undefined {
    const keys = new Set(names.map(normalizeName));
    return this.productionDeps().find((d) => keys.has(d.key));
  }

  declared(...names: string[]): Dependency[] {
    const keys = new Set(names.map(normalizeName));
    return this.deps.filter((d) => keys.has(d.key));
  }

  /** Does the project declare dependencies anywhere we can read (and nowhere we cannot)? */
  get readable(): boolean {
    return !this.opaqueSetup && (this.files.size > 0 || this.deps.some((d) => d.origin !== 'requirements'));
  }

  /** A requirements file and everything it includes with -r (cycle-safe). */
  closure(path: string): string[] {
    const out: string[] = [];
    const visit = (p: string) => {
      if (out.includes(p)) return;
      out.push(p);
      for (const inc of this.files.get(p)?.includes ?? []) if (inc.include.kind === 'requirement' && inc.file) visit(inc.file);
    };
    visit(path);
    return out;
  }

  /** Requirements installed by `pip install -r path` (its -r closure). */
  installSet(path: string): Dependency[] {
    const files = new Set(this.closure(path));
    return this.deps.filter((d) => d.origin === 'requirements' && files.has(d.file));
  }

  /** Constraint files reachable from a requirements file (its own -c and those of its includes). */
  constraintDeps(path: string): Dependency[] {
    const cfiles = new Set<string>();
    for (const p of this.closure(path)) for (const inc of this.files.get(p)?.includes ?? []) if (inc.include.kind === 'constraint' && inc.file) for (const c of this.closure(inc.file)) cfiles.add(c);
    return this.deps.filter((d) => cfiles.has(d.file));
  }

  /** Requirements files that include `path` with -r (directly). */
  includers(path: string): string[] {
    return [...this.files.values()].filter((f) => f.includes.some((i) => i.file === path && i.include.kind === 'requirement')).map((f) => f.path);
  }

  /** The file a new production dependency goes into. */
  productionTarget(): { kind: 'requirements'; file: string } | { kind: 'pyproject' | 'poetry' | 'pipfile'; file: string } | { kind: 'create'; file: string } {
    const roots = [...this.dockerInstalled].filter((f) => this.files.get(f)?.role === 'production');
    if (roots[0]) return { kind: 'requirements', file: roots.sort((a, b) => a.length - b.length)[0]! };
    const rel = (f: string) => relativePosix(this.project.root, f);
    const prefs = [/^requirements\/(production|prod)\.txt$/, /^requirements[-_.](production|prod)\.txt$/, /^requirements\.txt$/, /^requirements\/base\.txt$/, /^requirements\/common\.txt$/];
    const prodFiles = [...this.files.values()].filter((f) => f.role === 'production' && !f.input);
    for (const re of prefs) {
      const hit = prodFiles.filter((f) => re.test(rel(f.path))).sort((a, b) => a.path.length - b.path.length)[0];
      if (hit) return { kind: 'requirements', file: hit.path };
    }
    if (prodFiles[0]) return { kind: 'requirements', file: prodFiles.sort((a, b) => a.path.length - b.path.length)[0]!.path };
    if (this.pyproject) {
      if (tableEntries(this.pyproject.tables, ['project']).some((e) => e.key.join('.') === 'dependencies')) return { kind: 'pyproject', file: this.pyproject.path };
      if (this.pyproject.tables.some((t) => t.name.join('.') === 'tool.poetry.dependencies')) return { kind: 'poetry', file: this.pyproject.path };
    }
    if (this.pipfile && this.pipfile.tables.some((t) => t.name.join('.') === 'packages')) return { kind: 'pipfile', file: this.pipfile.path };
    return { kind: 'create', file: join(this.project.root, 'requirements.txt') };
  }

  /**
   * Edits adding `name==version` where production installs from; [] when production already has
   * it (so the fix is idempotent). `alsoSatisfiedBy` lists packages that provide it too.
   */
  addEdits(name: string, version: string | undefined, alsoSatisfiedBy: string[] = [], extras?: string): TextEdit[] {
    if (this.inProduction(name, ...alsoSatisfiedBy)) return [];
    const target = this.productionTarget();
    const display = extras ? `${name}[${extras}]` : name;
    const pep508 = version ? `${display}==${version}` : display;
    const zero = { line: 0, character: 0 };
    if (target.kind === 'create') return [{ file: target.file, range: { start: zero, end: zero }, newText: `${pep508}\n` }];
    const text = this.fs.readFile(target.file) ?? '';
    const lines = text.split('\n');
    const endOfFile = { line: lines.length - 1, character: lines[lines.length - 1]!.length };
    if (target.kind === 'requirements') {
      const prefix = text.length === 0 || text.endsWith('\n') ? '' : '\n';
      return [{ file: target.file, range: { start: endOfFile, end: endOfFile }, newText: `${prefix}${pep508}\n` }];
    }
    if (target.kind === 'pyproject') {
      const deps = tableEntries(this.pyproject!.tables, ['project']).find((e) => e.key.join('.') === 'dependencies')!;
      if (deps.value.kind !== 'array') return [];
      const end = deps.value.range.end;
      const closing = { line: end.line, character: end.character - 1 };
      if (deps.value.range.start.line === end.line) {
        return [{ file: target.file, range: { start: closing, end: closing }, newText: `${deps.value.items.length ? ', ' : ''}"${pep508}"` }];
      }
      const last = deps.value.items[deps.value.items.length - 1];
      const indent = last ? ' '.repeat(last.range.start.character) : '    ';
      const lineText = lines[last ? last.range.end.line : 0] ?? '';
      const needsComma = last && !lineText.slice(last.range.end.character).trimStart().startsWith(',');
      const edits: TextEdit[] = [];
      if (last && needsComma) edits.push({ file: target.file, range: { start: last.range.end, end: last.range.end }, newText: ',' });
      edits.push({ file: target.file, range: { start: { line: end.line, character: 0 }, end: { line: end.line, character: 0 } }, newText: `${indent}"${pep508}",\n` });
      return edits;
    }
    const tables = target.kind === 'poetry' ? this.pyproject!.tables : this.pipfile!.tables;
    const tableName = target.kind === 'poetry' ? 'tool.poetry.dependencies' : 'packages';
    const table = tables.find((t) => t.name.join('.') === tableName)!;
    const at = { line: table.lastLine + 1, character: 0 };
    const value = version ? (target.kind === 'poetry' ? version : `==${version}`) : '*';
    const needsNewline = table.lastLine + 1 >= lines.length && !text.endsWith('\n');
    return [{ file: target.file, range: { start: at, end: at }, newText: `${needsNewline ? '\n' : ''}${name} = ${extras ? `{ version = "${value}", extras = ["${extras}"] }` : `"${value}"`}\n` }];
  }
}

/** A Poetry constraint (`^4.2`, `~4.2.1`, `4.2.*`, `>=4.2,<5`, `*`, or `{ version = ... }`). */
export function poetryConstraint(v: TomlValue): { specText: string; specs?: Specifier[]; value?: TomlValue } {
  let value: TomlValue | undefined = v;
  if (v.kind === 'table') value = v.entries.find((e) => e.key[0] === 'version')?.value;
  if (!value || value.kind !== 'string') return { specText: '', specs: undefined, value };
  const text = value.value.trim();
  return { specText: text, specs: poetrySpecs(text), value };
}

export function poetrySpecs(text: string): Specifier[] | undefined {
  const t = text.trim();
  if (t === '*' || t === '') return [];
  if (t.includes('||')) return undefined;
  const caret = /^\^\s*(\d+(?:\.\d+)*)$/.exec(t);
  if (caret) {
    const parts = caret[1]!.split('.').map(Number);
    const idx = parts.findIndex((p) => p !== 0);
    const bumpAt = idx < 0 ? parts.length - 1 : idx;
    const upper = parts.slice(0, bumpAt + 1);
    upper[bumpAt]!++;
    while (upper.length < 2) upper.push(0);
    return parseSpecifierSet(`>=${caret[1]},<${upper.join('.')}`);
  }
  const tilde = /^~\s*(\d+(?:\.\d+)*)$/.exec(t);
  if (tilde) {
    const parts = tilde[1]!.split('.').map(Number);
    const upper = parts.length === 1 ? [parts[0]! + 1, 0] : [parts[0]!, parts[1]! + 1];
    return parseSpecifierSet(`>=${tilde[1]},<${upper.join('.')}`);
  }
  if (/^\d/.test(t)) return parseSpecifierSet(`==${t}`);
  return parseSpecifierSet(t);
}
