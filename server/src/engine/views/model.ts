// The views of a Django project, found by content rather than file name (spec §b.2 "V"): module
// functions whose first parameter is `request` (or that carry view decorators), and classes that
// derive — directly, through the project's own base classes, or through library classes — from
// Django or DRF views. Each view knows its decorators (resolved through imports and aliases), its
// bases, its own methods and class attributes. Pure: built from parsed files only, once per analysis.
import { basename, relative, sep } from 'node:path';
import type { SyntaxNode } from '../parsing/syntax';
import type { DjangoProject } from '../project/model';
import type { PythonSources } from '../project/sources';
import { ModuleResolver, type PyModule, type ResolverCaches } from './imports';
import { AUTH_VIEW_NAME, externalAcceptsPost, isDrfClass, isExternalViewClass, METHOD_DECORATOR } from './patterns';
import { callParts, decoratorExpr, decoratorsOf, dottedName, named, nodeKey, snakeCase, stringValue, topLevelStatements, unparen } from './py';
import { buildUrlIndex, type UrlIndex } from './urls';
import { matches, memoByText, mentions, prefilters } from '../textMemo';

export interface Decorator {
  node: SyntaxNode;
  expr: SyntaxNode;
  /** The decorator's callee (`login_required` in `@login_required()`), or the expression. */
  callee: SyntaxNode;
  call?: SyntaxNode;
  /** Canonical qualified name of the callee, when the module can resolve it. */
  qualified?: string;
  /** Last name of the callee as written (`csrf_exempt`, `ce`, `ratelimit`). */
  name: string;
  /** For `@method_decorator(x, name=...)`: the decorators it applies and the method name. */
  applies?: { expr: SyntaxNode; qualified?: string; name: string }[];
  methodName?: string;
}

interface ViewBase {
  module: PyModule;
  node: SyntaxNode;
  name: string;
  decorators: Decorator[];
  key: string;
  /** True when a URL pattern routes to it (set by the URL walk). */
  routed: boolean;
}

export interface FunctionView extends ViewBase {
  kind: 'function';
  /** `@api_view` function. */
  isDrf: boolean;
}

export interface ClassView extends ViewBase {
  kind: 'class';
  isDrf: boolean;
  /** Canonical qualified names of every library ancestor (`django.contrib.auth.views.LoginView`). */
  externalBases: string[];
  /** Project classes it derives from (nearest first), for attribute and method lookup. */
  projectBases: { module: PyModule; node: SyntaxNode }[];
  /** Base expressions as written, with their resolution. */
  bases: { expr: SyntaxNode; qualified?: string }[];
}

export type View = FunctionView | ClassView;

export interface ViewIndex {
  resolver: ModuleResolver;
  /** Every application module considered (not tests, migrations, settings, management commands). */
  modules: PyModule[];
  views: View[];
  viewModules: PyModule[];
  urls: UrlIndex;
  viewAt(module: PyModule, def: SyntaxNode): View | undefined;
}

export interface ViewIndexInput {
  project: DjangoProject;
  files: string[];
  sources: PythonSources;
  /** ROOT_URLCONF as a dotted module name, when known. */
  rootUrlconf?: string;
  /** Does a file's text match? (ProjectContext.mentions: a dependency on the answer, not the text.) */
  mentions?: (file: string, re: RegExp) => boolean;
  /** A function of a file's text (ProjectContext.derived: a dependency on the result). */
  derived?: (file: string, name: string, derive: (text: string) => string) => string | undefined;
  /** What the resolver may keep from earlier indexes (ProjectContext.kept). */
  caches?: ModuleParts['caches'];
  /** Where per-module results are kept between indexes (see ModuleParts). */
  parts?: ModuleParts['part'];
}

/**
 * Per-module results kept across indexes: `part(name, path, compute)` returns what `compute` gave
 * for the module at `path` until it or a file the computation read changes (ProjectContext.shared
 * with persist records what it reads). A keystroke in one view module then finds again the views
 * of that module only, not of every module of the project.
 */
export interface ModuleParts {
  caches?: ResolverCaches;
  part<T>(name: string, path: string, compute: () => T): T;
}

const EXCLUDED_DIRS = new Set(['tests', 'test', 'testing', 'migrations', 'node_modules', 'site-packages', 'dist-packages', 'venv', '.venv', 'env', 'build', 'dist', '.tox', '.nox', 'fixtures', 'docs', '__pycache__']);
const EXCLUDED_FILES = /^(test_.*|.*_tests?|tests|conftest|manage|wsgi|asgi|setup|noxfile|fabfile|gunicorn(\.conf|_config)?|tasks_test)\.py$/;

/**
 * What makes a module worth parsing up front: something a view or URL rule reports on (CSRF
 * exemptions, URL patterns, SQL, HTML building), or a view a rule looks for by its name (see
 * `namesAViewOfInterest`). Any other view is found through the URL patterns that route to it, whose
 * modules are parsed on demand. On a real project most modules mention `request` and only a few of
 * these, so most are never parsed.
 */
// Case matters: the APIs are spelt one way, and settings such as CSRF_COOKIE_SECURE in a helper
// module the settings import must not make it (and the index that depends on it) look like views.
const VIEW_INDICATORS = /csrf|Csrf|urlpatterns|\.\s*execute|\.raw\(|\.extra\(|RawSQL|mark_safe|SafeString|SafeText|format_html/;

/** A superset of the names below, on raw text. */
const LOOSE_NAMES = /(def|class)\s+\w*(log_?in|sign_?in|logon|authenticat|token|obtain|passw|forgot|regist|sign_?up|otp|verif|mfa|2fa|two_?factor|activat|magic|health|ping|status|alive|read[yi]|live)/i;

/** Probe-like function names (DJ-URL-001 points at unrouted ones), word by word in snake_case. */
export const PROBE_VIEW_NAME = /(^|_)(health|healthz|health_check|ping|status|alive|ready|readiness|liveness)(_|$)/;

/**
 * Does a module define something an unrouted view rule looks for by name: a class named like an
 * auth view (DJ-VIEW-003), or a function named like an auth view or a probe that is a view the way
 * `functionView` decides (`request` first, or a view decorator). Names are compared word by word in
 * snake_case like the rules do, so `mapping_list` is not a ping and `deliver` is not live.
 */
export function namesAViewOfInterest(text: string): boolean {
  // Most modules name nothing of the kind: one scan rules them out before any name is split.
  if (!LOOSE_NAMES.test(text)) return false;
  let decorated: boolean | undefined;
  for (const m of text.matchAll(/\b(def|class)[ \t]+(\w+)[ \t]*(?:\(\s*(\w+))?/g)) {
    const words = snakeCase(m[2]!);
    const auth = AUTH_VIEW_NAME.test(words);
    if (m[1] === 'class') {
      if (auth) return true;
      continue;
    }
    if (!auth && !PROBE_VIEW_NAME.test(words)) continue;
    if (m[3] === 'request') return true;
    decorated ??= VIEW_DECORATOR_WRITTEN.test(text);
    if (decorated) return true;
  }
  return false;
}

/** A folder of application code's path that holds none (tests, migrations, dependencies...), anywhere below the root. */
const EXCLUDED_DIR_IN_PATH = new RegExp(`(^|/)(${[...EXCLUDED_DIRS].map((d) => d.replace(/\./g, '\\.')).join('|')})/|(^|/)management/commands/`);

/** Per project: each file's answer, and the settings modules' paths (asked of every file of a large project, twice). */
const appFileAnswers = new WeakMap<DjangoProject, { settings: Set<string>; answers: Map<string, boolean> }>();

/** Is this file application code (not tests, migrations, management commands, settings, tooling)? */
export function isAppFile(project: DjangoProject, path: string): boolean {
  if (!path.endsWith('.py')) return false;
  let memo = appFileAnswers.get(project);
  if (!memo) appFileAnswers.set(project, (memo = { settings: new Set(project.settingsModules.map((m) => m.path)), answers: new Map() }));
  let answer = memo.answers.get(path);
  if (answer === undefined) {
    answer = appFileAnswer(project, path, memo.settings);
    memo.answers.set(path, answer);
  }
  return answer;
}

function appFileAnswer(project: DjangoProject, path: string, settings: Set<string>): boolean {
  // Files under the root (the usual case) need no path.relative, which resolves both paths.
  const rel = path.startsWith(project.root) && path[project.root.length] === sep ? path.slice(project.root.length + 1) : relative(project.root, path);
  if (rel.startsWith('..')) return false;
  const cut = rel.lastIndexOf(sep);
  if (EXCLUDED_FILES.test(cut < 0 ? rel : rel.slice(cut + 1))) return false;
  if (cut >= 0 && EXCLUDED_DIR_IN_PATH.test(sep === '/' ? rel.slice(0, cut + 1) : rel.slice(0, cut + 1).split(sep).join('/'))) return false;
  return !settings.has(path);
}

/**
 * Would the view index parse this module up front (`worthParsing` without facts)? Remembered per
 * file text under the same names the index's own checks use, so asking first costs it nothing.
 */
export function parsedUpFront(path: string, text: string): boolean {
  return matches(path, text, VIEW_INDICATORS) || memoByText(`derived:${VIEW_NAMES_FACT}`, path, text, viewNamesFact) === 'y';
}

/** The text fact `worthParsing` derives: does the module name a view a rule looks for? */
const VIEW_NAMES_FACT = 'view-names-of-interest';
const viewNamesFact = (text: string): string => (namesAViewOfInterest(text) ? 'y' : 'n');

function worthParsing(input: ViewIndexInput, file: string): boolean {
  if (input.mentions ? input.mentions(file, VIEW_INDICATORS) : VIEW_INDICATORS.test(input.sources.fs.readFile(file) ?? '')) return true;
  const named = input.derived ? input.derived(file, VIEW_NAMES_FACT, viewNamesFact) : viewNamesFact(input.sources.fs.readFile(file) ?? '');
  return named === 'y';
}

/**
 * The application modules parsed up front: only those that can hold a view, a URL pattern, SQL or
 * HTML building; others (models, services) are parsed on demand when an import is resolved through
 * them. Depends on facts about each file's text, not on the texts (kept while the answers are).
 */
function filesParsedUpFront(input: ViewIndexInput): string[] {
  const out: string[] = [];
  for (const f of input.files) {
    let app = input.caches?.appFiles.get(f);
    if (app === undefined) {
      app = isAppFile(input.project, f);
      input.caches?.appFiles.set(f, app);
    }
    if (!app) continue;
    if (prefilters.enabled && !worthParsing(input, f)) continue;
    const size = input.derived ? input.derived(f, 'parse-size', (t) => (t.length > 2_000_000 ? 'too big' : 'ok')) : sizeClass(input.sources.fs.readFile(f));
    if (size !== 'ok') continue;
    out.push(f);
  }
  return out;
}

function sizeClass(text: string | undefined): string | undefined {
  return text === undefined ? undefined : text.length > 2_000_000 ? 'too big' : 'ok';
}

export function buildViewIndex(input: ViewIndexInput): ViewIndex {
  const resolver = new ModuleResolver(input.sources, input.project.importRoots, input.caches);
  const modules: PyModule[] = [];
  const parsedUpFront = input.parts ? input.parts('parsed-up-front', input.project.root, () => filesParsedUpFront(input)) : filesParsedUpFront(input);
  for (const f of parsedUpFront) {
    const mod = resolver.module(f);
    if (mod) modules.push(mod);
  }
  const views: View[] = [];
  const byKey = new Map<string, View>();
  // `views` is complete once the URL index is built: a rule that looks a definition up later
  // (viewAt) must not change what another rule sees when it iterates the views, or the findings
  // would depend on which rules ran before (and on earlier analyses, the index being kept).
  let sealed = false;
  const add = (v: View) => {
    if (byKey.has(v.key)) return;
    byKey.set(v.key, v);
    if (!sealed) views.push(v);
  };
  for (const mod of modules) {
    if (!mentions(mod.path, mod.text, /request|View|ViewSet|csrf|urls/)) continue;
    const found = input.parts ? input.parts('views', mod.path, () => viewsOfModule(resolver, mod)) : viewsOfModule(resolver, mod);
    for (const v of found) {
      // Views kept from an earlier index: whether a URL routes to them is the URL walk's to say again.
      v.routed = false;
      add(v);
    }
  }
  const viewAt = (module: PyModule, def: SyntaxNode): View | undefined => {
    const key = nodeKey(module.path, def);
    let v = byKey.get(key);
    if (!v) {
      // A routed definition is a view whatever its parameters are called.
      const make = () => (def.type === 'class_definition' ? classView(resolver, module, def, true) : def.type === 'function_definition' ? functionView(resolver, module, def, true) : undefined) ?? null;
      v = (input.parts ? input.parts(`routed-view:${key}`, module.path, make) : make()) ?? undefined;
      if (v) add(v);
    }
    return v;
  };
  const urls = buildUrlIndex({ resolver, project: input.project, rootUrlconf: input.rootUrlconf, viewAt, modules, parts: input.parts });
  sealed = true;
  const viewModules = [...new Set(views.map((v) => v.module))];
  return { resolver, modules, views, viewModules, urls, viewAt };
}

let viewScanTrace: ((path: string) => void) | undefined;

/** Tests: called with each module whose views are looked for (not taken from an earlier index). */
export function setViewScanTrace(trace: ((path: string) => void) | undefined): void {
  viewScanTrace = trace;
}

/** The views a module defines at its top level (found by their shape, routed or not). */
function viewsOfModule(resolver: ModuleResolver, mod: PyModule): View[] {
  viewScanTrace?.(mod.path);
  const out: View[] = [];
  for (const stmt of topLevelStatements(mod.root)) {
    const def = stmt.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
    if (!def) continue;
    const v = def.type === 'function_definition' ? functionView(resolver, mod, def, false) : def.type === 'class_definition' ? classView(resolver, mod, def) : undefined;
    if (v) out.push(v);
  }
  return out;
}

/** Decorators of a definition, resolved. */
export function decoratorInfo(resolver: ModuleResolver, mod: PyModule, def: SyntaxNode): Decorator[] {
  const out: Decorator[] = [];
  for (const node of decoratorsOf(def)) {
    const expr = decoratorExpr(node);
    if (!expr) continue;
    const call = expr.type === 'call' ? expr : undefined;
    const callee = call?.childForFieldName('function') ?? expr;
    const d: Decorator = { node, expr, callee, call, qualified: resolver.canonical(mod, callee), name: lastName(callee) };
    if (call && d.qualified === METHOD_DECORATOR) {
      const parts = callParts(call)!;
      const first = parts.positional[0];
      const items = first && (unparen(first).type === 'list' || unparen(first).type === 'tuple') ? named(unparen(first)) : first ? [first] : [];
      d.applies = items.map((e) => {
        const inner = e.type === 'call' ? e.childForFieldName('function') ?? e : e;
        return { expr: e, qualified: resolver.canonical(mod, inner), name: lastName(inner) };
      });
      const nameArg = parts.keywords.get('name') ?? parts.positional[1];
      d.methodName = stringValue(nameArg);
    }
    out.push(d);
  }
  return out;
}

export function lastName(node: SyntaxNode): string {
  const d = dottedName(node);
  if (d) return d.split('.').pop()!;
  if (node.type === 'call') return lastName(node.childForFieldName('function') ?? node);
  return node.text;
}

const VIEW_DECORATOR_NAMES = 'api_view|require_(?:GET|POST|safe|http_methods)|login_required|permission_required|csrf_exempt|csrf_protect|ratelimit|never_cache|cache_page|user_passes_test|staff_member_required';
const VIEW_DECORATOR = new RegExp(`^(?:${VIEW_DECORATOR_NAMES})$`);
/** A decorator line naming one of them (`@login_required`, `@decorators.ratelimit(...)`). */
const VIEW_DECORATOR_WRITTEN = new RegExp(`@[\\w.\\s]*\\b(?:${VIEW_DECORATOR_NAMES})\\b`);

function functionView(resolver: ModuleResolver, mod: PyModule, def: SyntaxNode, routed: boolean): FunctionView | undefined {
  const name = def.childForFieldName('name')?.text;
  if (!name) return undefined;
  const params = named(def.childForFieldName('parameters'));
  const first = params[0];
  const firstName = first ? (first.type === 'identifier' ? first.text : first.childForFieldName('name')?.text ?? named(first)[0]?.text) : undefined;
  const decorators = decoratorInfo(resolver, mod, def);
  const viewish = firstName === 'request' || decorators.some((d) => VIEW_DECORATOR.test(d.name));
  if (!viewish && !routed) return undefined;
  if (firstName === 'self' || firstName === 'cls') return undefined;
  const isDrf = decorators.some((d) => d.name === 'api_view' && (d.qualified?.startsWith('rest_framework') ?? true));
  return { kind: 'function', module: mod, node: def, name, decorators, key: nodeKey(mod.path, def), routed, isDrf };
}

interface Ancestry {
  external: string[];
  project: { module: PyModule; node: SyntaxNode }[];
  isView: boolean;
}

/** Walk a class's bases through the project's modules (cycle-safe, bounded). */
function ancestry(resolver: ModuleResolver, mod: PyModule, def: SyntaxNode, seen = new Set<string>(), depth = 0): Ancestry {
  const out: Ancestry = { external: [], project: [], isView: false };
  const key = nodeKey(mod.path, def);
  if (seen.has(key) || depth > 10) return out;
  seen.add(key);
  for (const base of named(def.childForFieldName('superclasses'))) {
    if (base.type === 'keyword_argument' || base.type === 'comment') continue;
    const q = mod.qualify(base);
    const r = q ? resolver.resolve(q, mod.path) : undefined;
    if (r?.kind === 'def' && r.node.type === 'class_definition' && r.rest.length === 0) {
      out.project.push({ module: r.module, node: r.node });
      const up = ancestry(resolver, r.module, r.node, seen, depth + 1);
      out.external.push(...up.external);
      out.project.push(...up.project);
      if (up.isView) out.isView = true;
    } else {
      const name = r?.qualified ?? q ?? dottedName(base) ?? base.text;
      out.external.push(name);
      if (isExternalViewClass(name)) out.isView = true;
    }
  }
  return out;
}

function classView(resolver: ModuleResolver, mod: PyModule, def: SyntaxNode, routed = false): ClassView | undefined {
  const name = def.childForFieldName('name')?.text;
  if (!name) return undefined;
  const a = ancestry(resolver, mod, def);
  if (!a.isView && !routed) return undefined;
  const bases = named(def.childForFieldName('superclasses'))
    .filter((b) => b.type !== 'keyword_argument' && b.type !== 'comment')
    .map((expr) => ({ expr, qualified: resolver.canonical(mod, expr) }));
  return {
    kind: 'class',
    module: mod,
    node: def,
    name,
    decorators: decoratorInfo(resolver, mod, def),
    key: nodeKey(mod.path, def),
    routed,
    isDrf: a.external.some(isDrfClass),
    externalBases: a.external,
    projectBases: a.project,
    bases,
  };
}

// ------------------------------------------------------------------ queries on views

/** Own methods of a class definition by name. */
export function classMethods(def: SyntaxNode): Map<string, SyntaxNode> {
  const out = new Map<string, SyntaxNode>();
  for (const stmt of named(def.childForFieldName('body'))) {
    const fn = stmt.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
    if (fn?.type === 'function_definition') {
      const n = fn.fieldText('name');
      if (n) out.set(n, fn);
    }
  }
  return out;
}

/** Class-body assignments `name = value` by name. */
export function classAttributes(def: SyntaxNode): Map<string, { stmt: SyntaxNode; value: SyntaxNode }> {
  const out = new Map<string, { stmt: SyntaxNode; value: SyntaxNode }>();
  for (const stmt of named(def.childForFieldName('body'))) {
    if (stmt.type !== 'expression_statement') continue;
    const a = stmt.namedChildren[0];
    if (a?.type !== 'assignment') continue;
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (left?.type === 'identifier' && right) out.set(left.text, { stmt, value: right });
  }
  return out;
}

/** A class attribute looked up through the class and its project bases (nearest first). */
export function lookupAttribute(view: ClassView, attr: string): { module: PyModule; value: SyntaxNode } | undefined {
  const own = classAttributes(view.node).get(attr);
  if (own) return { module: view.module, value: own.value };
  for (const b of view.projectBases) {
    const hit = classAttributes(b.node).get(attr);
    if (hit) return { module: b.module, value: hit.value };
  }
  return undefined;
}

/** A method looked up through the class and its project bases. */
export function lookupMethod(view: ClassView, method: string): { module: PyModule; node: SyntaxNode } | undefined {
  const own = classMethods(view.node).get(method);
  if (own) return { module: view.module, node: own };
  for (const b of view.projectBases) {
    const hit = classMethods(b.node).get(method);
    if (hit) return { module: b.module, node: hit };
  }
  return undefined;
}

/** Does a class view accept POST (own or inherited handler, or a form/create/login library base)? */
export function classAcceptsPost(view: ClassView): boolean {
  for (const m of ['post', 'put', 'patch', 'create']) if (lookupMethod(view, m)) return true;
  if (view.externalBases.some(externalAcceptsPost)) return true;
  // DRF @action(methods=["post"]) on a viewset.
  return /@action\([^)]*methods\s*=\s*\[[^\]]*["']post["']/i.test(view.node.text);
}

/** Decorators of a class and of its project bases (class decorators are inherited through wrapping). */
export function classDecorators(resolver: ModuleResolver, view: ClassView): Decorator[] {
  const out = [...view.decorators];
  for (const b of view.projectBases) out.push(...decoratorInfo(resolver, b.module, b.node));
  return out;
}

/** A readable location for messages: `accounts/views.py`. */
export function shortPath(project: DjangoProject, path: string): string {
  const rel = relative(project.root, path);
  return rel && !rel.startsWith('..') ? rel.split(sep).join('/') : basename(path);
}
