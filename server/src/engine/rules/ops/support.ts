// Shared vocabulary of the DJ-OPS rules (logging, Sentry, database, cache, email, static files):
// a settings-style context for the rules that also need the workspace (requirements, other files,
// expression evaluation), environment-read idioms beyond the editor's, and syntactic scans.
import type { SyntaxNode } from '../../parsing/syntax';
import { addRequirementEdits } from '../../fixes/requirementsEdit';
import { locOf, nodeAt, type Quote, quoteOf, removeElement, requote, stringText } from '../../fixes/dictEdit';
import type { SettingsEditor } from '../../fixes/settingsEditor';
import { atLeast } from '../../project/djangoVersion';
import { type DjangoProject, normalizeDistName } from '../../project/model';
import { ProjectModuleHost, type PythonSources } from '../../project/sources';
import { Evaluation, Frame } from '../../settings/evaluator';
import type { Setting, SettingsProfile } from '../../settings/profile';
import { type Scope, type Value, dictGetStr, stringItems, unknown } from '../../settings/value';
import type { Location, TextEdit } from '../../types';
import type { FileSystem } from '../../workspace';
import type { ProjectContext, SettingsContext } from '../types';

export const LOCAL_HOSTS = new Set(['', 'localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0']);

export function isLocalHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  return LOCAL_HOSTS.has(h) || h.endsWith('.localhost') || h.startsWith('/');
}

export function strOf(v: Value | undefined): string | undefined {
  return v && v.kind === 'str' ? v.value : undefined;
}

/** `BACKEND` of `CACHES[alias]` etc.: the string at a dict key, else undefined. */
export function strAt(v: Value | undefined, key: string): string | undefined {
  return strOf(dictGetStr(v, key));
}

/** A settings context for project-family rules, plus what settings rules cannot reach. */
export interface OpsContext extends SettingsContext {
  project: DjangoProject;
  fs: FileSystem;
  files: string[];
  sources: PythonSources;
  /** The pinned requirement line for `name` in the production requirements file (none if declared). */
  requirement(name: string, version?: string): TextEdit[];
  /** Does the project declare this distribution (requirements, pyproject, Pipfile)? */
  requires(name: string): boolean;
  /** Evaluate an expression of a workspace file against that file's module namespace. */
  evaluate(file: string, node: SyntaxNode): Value;
  /** A value computed once per analysis and shared by the rules (ProjectContext.shared, `persist` included). */
  shared<T>(key: string, compute: () => T, options?: { persist?: boolean }): T;
  /** Does the file's text match `re`? (ProjectContext.mentions) */
  mentions(file: string, re: RegExp): boolean;
}

/**
 * Where a finding about a setting goes (as the analyzer places settings-rule findings): the env
 * default argument when the value is a fallback, else the assigned expression, else after the
 * production imports.
 */
export function settingAnchor(profile: SettingsProfile, setting: Setting): Location {
  const v = setting.value;
  if (v.env?.fallback) return v.env.fallback;
  if (setting.binding?.rhs) return setting.binding.rhs;
  if (setting.binding?.stmt) return setting.binding.stmt;
  return profile.missingAnchor;
}

export function opsContext(pctx: ProjectContext): OpsContext | undefined {
  const profile = pctx.profile;
  const edit = pctx.edit;
  if (!profile || !edit) return undefined;
  const host = new ProjectModuleHost(pctx.sources, pctx.project.importRoots);
  const scopes = new Map<string, Scope>();
  return {
    profile,
    edit,
    project: pctx.project,
    fs: pctx.fs,
    files: pctx.files,
    sources: pctx.sources,
    setting: (name) => profile.setting(name),
    report: (r) => {
      const anchor = r.at ?? (r.setting ? settingAnchor(profile, r.setting) : profile.missingAnchor);
      let severity = r.severity;
      let message = r.message;
      if (r.setting?.isDefault && r.setting.mayBeDefinedElsewhere) {
        severity = 'hint';
        message += ' (unless an optional settings module the analysis cannot see sets it)';
      }
      pctx.report({ file: anchor.file, range: anchor.range, message, severity, djangoChecks: r.djangoChecks, fixes: r.fixes, related: r.related });
    },
    requirement: (name, version) => addRequirementEdits(pctx.fs, pctx.project, name, version),
    requires: (name) => pctx.project.requirementNames.has(normalizeDistName(name)),
    shared: (key, compute, options) => pctx.shared(key, compute, options),
    mentions: (file, re) => pctx.mentions(file, re),
    evaluate(file, node) {
      let scope = scopes.get(file);
      if (!scope) {
        scope = file === profile.module.path ? profile.scope : (new Evaluation(host).evaluateModule(file) ?? new Map());
        scopes.set(file, scope);
      }
      const mod = host.load(file);
      if (!mod) return unknown('no source');
      try {
        return new Frame(new Evaluation(host), mod, new Map(scope), undefined).eval(node);
      } catch {
        return unknown('raises when evaluated');
      }
    },
  };
}

// ------------------------------------------------------------------ environment-read idioms

export interface Code {
  text: string;
  imports: string[];
}

/** `os.environ.get("X", <default>)` in the module's idiom; `defaultPy` is Python source. */
export function envGet(edit: SettingsEditor, varName: string, defaultPy?: string): Code {
  switch (edit.idiom) {
    case 'environ':
      return { text: `${edit.environName}("${varName}", default=${defaultPy ?? 'None'})`, imports: [] };
    case 'decouple':
      return { text: `config("${varName}", default=${defaultPy ?? 'None'})`, imports: [] };
    default:
      return { text: defaultPy === undefined ? `os.environ.get("${varName}")` : `os.environ.get("${varName}", ${defaultPy})`, imports: ['import os'] };
  }
}

export function envInt(edit: SettingsEditor, varName: string, fallback: number): Code {
  switch (edit.idiom) {
    case 'environ':
      return { text: `${edit.environName}.int("${varName}", default=${fallback})`, imports: [] };
    case 'decouple':
      return { text: `config("${varName}", default=${fallback}, cast=int)`, imports: [] };
    default:
      return { text: `int(os.environ.get("${varName}", "${fallback}"))`, imports: ['import os'] };
  }
}

export function envFloat(edit: SettingsEditor, varName: string, fallback: number): Code {
  switch (edit.idiom) {
    case 'environ':
      return { text: `${edit.environName}.float("${varName}", default=${fallback})`, imports: [] };
    case 'decouple':
      return { text: `config("${varName}", default=${fallback}, cast=float)`, imports: [] };
    default:
      return { text: `float(os.environ.get("${varName}", "${fallback}"))`, imports: ['import os'] };
  }
}

// ------------------------------------------------------------------ the production module

export function prodPath(ctx: SettingsContext): string {
  return ctx.profile.module.path;
}

export function prodRoot(ctx: SettingsContext): SyntaxNode | undefined {
  return ctx.edit.rootOf(prodPath(ctx));
}

/** The quote style generated code should use in the production module. */
export function prodQuote(ctx: SettingsContext): Quote {
  const root = prodRoot(ctx);
  return root ? quoteOf(root) : '"';
}

/** The module-level `if not DEBUG:` block insertLines places settings in, if any. */
export function productionBlock(root: SyntaxNode): SyntaxNode | undefined {
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

/** Statements of a module, descending into if/try/with/else blocks (not functions or classes). */
export function* statements(block: SyntaxNode): Generator<SyntaxNode> {
  for (const child of block.namedChildren) {
    if (!child) continue;
    if (child.type === 'block' || child.type.endsWith('_clause')) {
      yield* statements(child);
      continue;
    }
    yield child;
    if (['if_statement', 'try_statement', 'with_statement', 'for_statement', 'while_statement'].includes(child.type)) yield* statements(child);
  }
}

/** Does the module assign `name` anywhere outside functions (even in a branch production skips)? */
export function assignsName(root: SyntaxNode, name: string): boolean {
  for (const stmt of statements(root)) {
    const expr = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : null;
    if (expr?.type !== 'assignment' && expr?.type !== 'augmented_assignment') continue;
    const left = expr.childForFieldName('left');
    if (left?.type === 'identifier' && left.text === name) return true;
  }
  return false;
}

/** The statement a binding lives in, when it is a statement of the production module itself. */
export function prodStatement(ctx: SettingsContext, s: Setting): Location | undefined {
  const stmt = s.binding?.stmt;
  if (!stmt || stmt.file !== prodPath(ctx) || s.binding?.imported) return undefined;
  return stmt;
}

/**
 * Insert lines after the first of `anchors` that the production module assigns (the settings the
 * new lines relate to), else where production settings belong (SettingsEditor.insertLines).
 */
export function insertNear(ctx: SettingsContext, anchors: string[], lines: string[], imports: string[] = []): TextEdit[] {
  for (const name of anchors) {
    const stmt = prodStatement(ctx, ctx.setting(name));
    if (stmt) return ctx.edit.insertAfter(stmt, lines, imports);
  }
  return ctx.edit.insertLines(lines, imports);
}

/** Python source for a path under BASE_DIR in the project's style, undefined without BASE_DIR. */
export function baseDirPath(ctx: SettingsContext, ...parts: string[]): { text: string; imports: string[]; kind: 'path' | 'str' } | undefined {
  const base = ctx.profile.setting('BASE_DIR').binding?.value;
  if (!base) return undefined;
  if (base.kind === 'path') return { text: ['BASE_DIR', ...parts.map((p) => JSON.stringify(p))].join(' / '), imports: [], kind: 'path' };
  if (base.kind === 'str') return { text: `os.path.join(BASE_DIR, ${parts.map((p) => JSON.stringify(p)).join(', ')})`, imports: ['import os'], kind: 'str' };
  return undefined;
}

/** Top-level packages of the first-party apps in INSTALLED_APPS (modules found in the workspace). */
export function firstPartyPackages(ctx: SettingsContext): string[] {
  const apps = stringItems(ctx.setting('INSTALLED_APPS').value) ?? [];
  const out: string[] = [];
  for (const app of apps) {
    const top = app.split('.')[0]!;
    if (top === 'django' || out.includes(top)) continue;
    const file = ctx.edit.resolveModuleFile(top);
    if (file && file !== 'missing') out.push(top);
  }
  return out;
}

export function versionAtLeast(ctx: SettingsContext, major: number, minor: number): boolean {
  return atLeast(ctx.profile.version, major, minor);
}

/** Apply the module's quote style to generated lines. */
export function styled(ctx: SettingsContext, lines: string[]): string[] {
  const q = prodQuote(ctx);
  return lines.map((l) => requote(l, q));
}

// ------------------------------------------------------------------ syntactic scans

/** Is `node` inside the body of an `if DEBUG:` / `if settings.DEBUG:` (dev-only code)? */
export function underDebugOnly(node: SyntaxNode): boolean {
  let cur: SyntaxNode | null = node;
  while (cur?.parent) {
    const parent: SyntaxNode = cur.parent;
    if (parent.type === 'if_statement' && parent.childForFieldName('consequence') === cur) {
      const cond = parent.childForFieldName('condition')?.text.replace(/\s+/g, ' ');
      if (cond === 'DEBUG' || cond === 'settings.DEBUG') return true;
    }
    cur = parent;
  }
  return false;
}

/** Calls in a parsed module whose callee's dotted text satisfies `match`. */
export function callsIn(root: SyntaxNode, match: (callee: string) => boolean): SyntaxNode[] {
  return root.descendantsOfType('call').filter((c): c is SyntaxNode => {
    const fn = c?.childForFieldName('function');
    return !!fn && (fn.type === 'identifier' || fn.type === 'attribute') && match(fn.text.replace(/\s+/g, ''));
  });
}

/** The call node a value was computed from (`dj_database_url.config(...)`), if its source is one. */
export function callAt(ctx: SettingsContext, loc: Location | undefined): SyntaxNode | undefined {
  if (!loc) return undefined;
  const root = ctx.edit.rootOf(loc.file);
  return root ? nodeAt(root, loc, ['call']) : undefined;
}

export function dictAt(ctx: SettingsContext, loc: Location | undefined): SyntaxNode | undefined {
  if (!loc) return undefined;
  const root = ctx.edit.rootOf(loc.file);
  return root ? nodeAt(root, loc, ['dictionary']) : undefined;
}

export function listAt(ctx: SettingsContext, loc: Location | undefined): SyntaxNode | undefined {
  if (!loc) return undefined;
  const root = ctx.edit.rootOf(loc.file);
  return root ? nodeAt(root, loc, ['list', 'tuple']) : undefined;
}

export { locOf };

/** Edit replacing the default argument an environment fallback came from (keeps it a string if it was). */
export function replaceFallback(ctx: SettingsContext, v: Value, newValue: string | number): TextEdit | undefined {
  const fb = v.env?.fallback;
  if (!fb) return undefined;
  const root = ctx.edit.rootOf(fb.file);
  const node = root ? nodeAt(root, fb, ['string', 'integer', 'float', 'true', 'false', 'none']) : undefined;
  if (!node) return undefined;
  if (node.type === 'string') {
    const q = node.text.replace(/^[a-zA-Z]*/, '').startsWith("'") ? "'" : '"';
    return { ...fb, newText: `${q}${newValue}${q}` };
  }
  return { ...fb, newText: typeof newValue === 'number' ? String(newValue) : JSON.stringify(newValue) };
}

/**
 * Edits giving settings new values: rewrite those the production module assigns, insert the others
 * (after the first assigned anchor, else where production settings go).
 */
export function assignEdits(ctx: SettingsContext, pairs: [string, string][], anchors: string[], imports: string[] = []): TextEdit[] {
  const edits: TextEdit[] = [];
  const lines: string[] = [];
  for (const [name, value] of pairs) {
    const s = ctx.setting(name);
    const rhs = s.binding?.rhs;
    if (prodStatement(ctx, s) && rhs && rhs.file === prodPath(ctx)) edits.push({ ...rhs, newText: styled(ctx, [value])[0]! });
    else lines.push(`${name} = ${value}`);
  }
  if (lines.length) edits.push(...insertNear(ctx, anchors, styled(ctx, lines), imports));
  else edits.push(...ctx.edit.importEdits(imports));
  return edits;
}

/** Edits removing the string `entry` from a list literal. */
export function removeFromList(ctx: SettingsContext, list: SyntaxNode, entry: string): TextEdit[] {
  const item = list.namedChildren.find((c) => !!c && c.type === 'string' && stringText(c) === entry);
  return item ? removeElement(ctx.profile.module.path, list, item) : [];
}

/** Django's defaults for settings the shared default table does not model (the DJ-OPS ones). */
const OPS_DEFAULTS: Record<string, Value> = {
  EMAIL_USE_TLS: { kind: 'bool', value: false },
  EMAIL_USE_SSL: { kind: 'bool', value: false },
  EMAIL_PORT: { kind: 'int', value: 25 },
  EMAIL_HOST: { kind: 'str', value: 'localhost' },
  EMAIL_TIMEOUT: { kind: 'none' },
  ADMINS: { kind: 'list', items: [] },
};

/** A setting's production value, with Django's default for the settings above when unassigned. */
export function valueOf(ctx: SettingsContext, name: string): Value {
  const s = ctx.setting(name);
  return s.isDefault && OPS_DEFAULTS[name] ? OPS_DEFAULTS[name]! : s.value;
}

/** A domain production serves, from ALLOWED_HOSTS, for a From address. */
export function siteDomain(ctx: SettingsContext): string | undefined {
  const hosts = stringItems(ctx.setting('ALLOWED_HOSTS').value) ?? [];
  for (const h of hosts) {
    const d = h.replace(/^\./, '');
    if (d && !d.includes('*') && !isLocalHost(d) && !/^[\d.:]+$/.test(d) && d.includes('.')) return d;
  }
  return undefined;
}
