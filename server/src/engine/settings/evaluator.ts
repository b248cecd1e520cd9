// The settings evaluator: an abstract interpreter for the subset of Python that settings modules
// are written in. It runs a module top to bottom in the "production profile": every environment
// variable is unset (spec §0.1), so each read yields its fallback value, and required reads
// (`os.environ["X"]`) raise KeyError exactly as Python would. Code that runs at import time treats
// such a raise as "the operator sets this variable" (the binding becomes unknown-required), which
// is the value model's REQ. Nothing here executes project code: calls into workspace functions
// are interpreted from their source, everything else is unknown.
import { dirname } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { recreateParser } from '../parsing/grammars';
import { copyTree, type SyntaxNode, SyntaxTree } from '../parsing/syntax';
import type { Location, Range } from '../types';
import { decodeEscapes, parseIntLiteral, plainStringValue, stringPrefix } from './literals';
import { callBuiltin, attributeOf, libraryValue, parseCacheUrl, parseDatabaseUrl, type CallArgs } from './builtins';
import { foundLoadedModule, loadedShared, Recorder, RecordingMap, readingModule, readingOtherModule, recording, recordsFor, registerNamespace, replay, resolvedImport, reuseEqualWrites, storeRecords, traceStatement, type ReplayWorld, type StatementRecord } from './statementMemo';
import {
  type Binding,
  type ClassInfo,
  type FieldInfo,
  type PyType,
  type Scope,
  type Value,
  NONE,
  dictGet,
  dictSet,
  isSequence,
  mergeEnv,
  pyContains,
  pyEquals,
  truthy,
  typeOf,
  unknown,
} from './value';

/** Where an import resolves to. */
export type ImportTarget =
  | { kind: 'workspace'; path: string; moduleName: string; isPackage: boolean }
  | { kind: 'missing'; moduleName: string }
  | { kind: 'external'; moduleName: string };

export interface ModuleSourceText {
  path: string;
  moduleName: string;
  isPackage: boolean;
  root: SyntaxNode;
}

/** What the evaluator needs from the project: import resolution and parsed files. */
export interface ModuleHost {
  /** `extraRoots`: folders the settings added to `sys.path`, searched after the project's own. */
  resolveModule(from: { path: string; moduleName: string; isPackage: boolean }, level: number, dotted: string, extraRoots?: readonly string[]): ImportTarget;
  load(path: string): ModuleSourceText | undefined;
  /**
   * Modules already evaluated from a clean start (empty process environment), shared by every
   * profile of one analysis: base.py is evaluated once, not once per settings module importing it.
   */
  moduleCache?: Map<string, CachedModule>;
  /**
   * When `moduleCache` outlives one analysis: a stamp of the files a module's evaluation read, and
   * whether a stamp is still current (none of those files changed since).
   */
  stamp?(files: string[]): unknown;
  isCurrent?(stamp: unknown): boolean;
}

export interface CachedModule {
  stamp?: unknown;
  scope: Scope;
  /** The modules its evaluation loaded first, with their namespaces. */
  imported: [path: string, scope: Scope][];
  notes: EvalNote[];
  filesRead: string[];
  processEnv: [string, Value][];
}

/** Things the evaluation noticed that rules and the checklist need to know. */
export interface EvalNote {
  kind:
    | 'optional-import-missing' // try: from .local import * / except ImportError
    | 'dynamic' // globals().update, exec, vars()[...]: later-missing settings are unknown
    | 'import-failed' // an import of a workspace module that does not exist, not guarded
    | 'guard' // a decided `if ...: raise` turned fallback values into required ones
    | 'aborted'; // the module raises unconditionally under the production profile
  message: string;
  location: Location;
}

export class PyRaise {
  constructor(
    readonly type: string,
    /** Unset environment variables that caused the raise (a required read). */
    readonly envNames: string[] = [],
    readonly location?: Location,
    /** The type the raising read has once its variables are set. */
    readonly setType?: PyType,
  ) {}
}

class ReturnSignal {
  constructor(readonly value: Value) {}
}

class LoopControl {}

/** Exception names and what `except X` catches them (the little of Python's hierarchy we need). */
const EXCEPTION_PARENTS: Record<string, string[]> = {
  KeyError: ['LookupError', 'Exception', 'BaseException'],
  IndexError: ['LookupError', 'Exception', 'BaseException'],
  ModuleNotFoundError: ['ImportError', 'Exception', 'BaseException'],
  ImportError: ['Exception', 'BaseException'],
  ValueError: ['Exception', 'BaseException'],
  TypeError: ['Exception', 'BaseException'],
  AttributeError: ['Exception', 'BaseException'],
  ImproperlyConfigured: ['Exception', 'BaseException'],
  UndefinedValueError: ['Exception', 'BaseException'],
  SystemExit: ['BaseException'],
};

function exceptionMatches(raised: string, handler: string): boolean {
  if (raised === handler) return true;
  return (EXCEPTION_PARENTS[raised] ?? ['Exception', 'BaseException']).includes(handler);
}

const MAX_CALL_DEPTH = 8;
const MAX_LOOP_ITEMS = 200;

/**
 * One evaluation of a settings entry module and everything it imports. Modules imported several
 * times are evaluated once and share their namespace, as in Python.
 */
export class Evaluation {
  /**
   * Environment variables known to be set for the rest of the evaluation: by the settings
   * (`os.environ.setdefault`, `os.environ["X"] = ...`) or, as unknown required values, by the
   * operator once a required read or a guard showed that the program cannot go on without them.
   */
  readonly processEnv = new RecordingMap<Value>();
  readonly notes: EvalNote[] = [];
  /** Every workspace file whose text this evaluation read. */
  readonly filesRead = new Set<string>();
  private modules = new Map<string, { scope: Scope; done: boolean }>();
  /** Depth of undecided `if` sides being run: facts about the process must not leak out of them. */
  undecided = 0;
  /** Files being run by django-split-settings `include()`, innermost last (it skips recursion). */
  readonly including: string[] = [];
  private callDepth = 0;
  /** Env variable names read during the innermost call into a workspace function. */
  private callEnvReads: string[][] = [];
  /**
   * Folders the code appended to `sys.path` (Horizon: `sys.path.append(ROOT_PATH)` before
   * `from local.local_settings import *`): imports resolve from them too.
   */
  readonly sysPath: string[] = [];

  constructor(readonly host: ModuleHost) {}

  /** `sys.path.append(dir)` / `sys.path.insert(i, dir)` with a known folder. */
  addSysPath(dir: string): void {
    const normalized = dir.replace(/[\\/]+$/, '');
    if (normalized && !this.sysPath.includes(normalized)) this.sysPath.push(normalized);
  }

  /** Evaluate a module by path; cached, cycle-safe (a module in progress yields what it has so far). */
  evaluateModule(path: string): Scope | undefined {
    const cached = this.modules.get(path);
    if (cached?.done) {
      // Python takes it from sys.modules: nothing runs, a replay only needs it loaded again.
      foundLoadedModule(path);
      return cached.scope;
    }
    if (cached) {
      readingOtherModule();
      return cached.scope;
    }
    // A module evaluated from a clean start gives the same namespace every time in this analysis.
    // (Imports resolve differently once the code extended sys.path: that is part of the key.)
    const cacheKey = this.pristineKey(path);
    let shared = cacheKey !== undefined ? this.host.moduleCache!.get(cacheKey) : undefined;
    if (shared && this.host.isCurrent && !this.host.isCurrent(shared.stamp)) {
      this.host.moduleCache!.delete(cacheKey!);
      shared = undefined;
    }
    if (shared) {
      // The load's effects are the cache entry's: a replay of the statement repeats them.
      const notesBefore = this.notes.length;
      this.loadShared(path, shared);
      loadedShared(path, shared, notesBefore, this.notes.length);
      return shared.scope;
    }
    readingOtherModule();
    const notesBefore = this.notes.length;
    const filesBefore = new Set(this.filesRead);
    const modulesBefore = this.modules.size;
    // A module's code runs on its own, whoever imports it (a function body, `import horizon`
    // inside a helper): its calls start at depth 0 and its environment reads are its own.
    const callDepth = this.callDepth;
    const callEnvReads = this.callEnvReads;
    this.callDepth = 0;
    this.callEnvReads = [];
    let result: Scope | undefined;
    try {
      result = this.evaluateFresh(path);
    } finally {
      this.callDepth = callDepth;
      this.callEnvReads = callEnvReads;
    }
    if (cacheKey !== undefined && result) {
      const filesRead = [...this.filesRead].filter((f) => !filesBefore.has(f));
      // The modules it imported first (entries are never removed: the new ones come last).
      const imported = [...this.modules].slice(modulesBefore + 1).map(([p, m]) => [p, m.scope] as [string, Scope]);
      this.host.moduleCache!.set(cacheKey, {
        stamp: this.host.stamp?.(filesRead),
        scope: result,
        imported,
        notes: this.notes.slice(notesBefore),
        filesRead,
        processEnv: [...this.processEnv],
      });
    }
    return result;
  }

  /** The module cache's key for `path` when a module loaded now starts from a clean state. */
  private pristineKey(path: string): string | undefined {
    // Not recorded: a load from the cache is replayed only if this still gives the same entry.
    if (this.processEnv.peekSize() !== 0 || this.undecided !== 0 || this.host.moduleCache === undefined) return undefined;
    return this.sysPath.length === 0 ? path : `${path}\0${this.sysPath.join('\0')}`;
  }

  private loadShared(path: string, shared: CachedModule): void {
    this.modules.set(path, { scope: shared.scope, done: true });
    // As in Python's sys.modules, what the module imported is loaded too.
    for (const [p, scope] of shared.imported) if (!this.modules.has(p)) this.modules.set(p, { scope, done: true });
    for (const f of shared.filesRead) this.filesRead.add(f);
    this.notes.push(...shared.notes);
    for (const [k, v] of shared.processEnv) this.processEnv.set(k, v);
  }

  /**
   * Replays a load from the module cache (see evaluateModule): only when the module would come
   * from the cache again, as this very entry.
   */
  reloadShared(path: string, shared: CachedModule): boolean {
    if (this.modules.has(path)) return false;
    const cacheKey = this.pristineKey(path);
    if (cacheKey === undefined || this.host.moduleCache!.get(cacheKey) !== shared) return false;
    if (this.host.isCurrent && !this.host.isCurrent(shared.stamp)) return false;
    this.loadShared(path, shared);
    return true;
  }

  private evaluateFresh(path: string): Scope | undefined {
    const mod = this.host.load(path);
    if (!mod) return undefined;
    this.filesRead.add(path);
    const scope = new RecordingMap<Binding>();
    memoScopes.add(scope);
    registerNamespace(scope, path);
    const entry = { scope, done: false };
    this.modules.set(path, entry);
    const frame = new Frame(this, mod, scope, undefined);
    // Statement records are valid for a module run as an import, not from inside an undecided
    // branch or a split-settings include (whose effects differ).
    const records = this.undecided === 0 && this.including.length === 0 && !mod.root.hasError ? recordsFor(mod.root, mod.moduleName) : undefined;
    // The same `__name__` and `__file__` binding objects as last time, so statements reading them
    // can be replayed.
    const header = records?.get(mod.root);
    const dunder = (index: number, name: string, value: string) => {
      // The header's writes: __name__ then __file__, three entries each (statementMemo.Writes).
      const old = header?.writes[index * 3 + 2] as Binding | undefined;
      if (old?.value.kind === 'str' && old.value.value === value) scope.put(name, old);
      else frame.define(name, { kind: 'str', value });
    };
    dunder(0, '__name__', mod.moduleName);
    dunder(1, '__file__', path);
    try {
      if (records) {
        records.set(mod.root, { row: -1, reads: [], writes: [[0, '__name__', scope.peek('__name__')], [0, '__file__', scope.peek('__file__')]], notes: [] });
        frame.execModuleRecorded(mod.root, records);
      } else frame.execBlock(mod.root, true);
    } catch (e) {
      if (e instanceof PyRaise) {
        this.note('aborted', `this module raises ${e.type} when the environment is empty`, e.location ?? frame.loc(mod.root));
      } else if (!(e instanceof ReturnSignal)) {
        throw e;
      }
    }
    entry.done = true;
    return scope;
  }

  /** The namespace of module `path` in this evaluation, if it was imported. */
  loadedScope(path: string): Scope | undefined {
    return this.modules.get(path)?.scope;
  }

  /** Whether module `path` was imported and ran to its end in this evaluation. */
  isLoaded(path: string): boolean {
    return this.modules.get(path)?.done === true;
  }

  /** Resolves an import as `Frame.resolve` does, `request` being `importRequest(...)`. */
  resolveRequest(request: string): string {
    const [path, level, dotted] = request.split('\0') as [string, string, string];
    const mod = this.host.load(path);
    if (!mod) return 'missing';
    return describeTarget(this.host.resolveModule({ path, moduleName: mod.moduleName, isPackage: mod.isPackage }, Number(level), dotted, this.sysPath));
  }

  note(kind: EvalNote['kind'], message: string, location: Location): void {
    this.notes.push({ kind, message, location });
  }

  recordEnvRead(name: string): void {
    for (const reads of this.callEnvReads) if (!reads.includes(name)) reads.push(name);
  }

  /** Interpret a call to a function defined in the workspace. */
  callFunction(fn: Extract<Value, { kind: 'function' }>, args: CallArgs, callSite: Location): Value {
    if (this.callDepth >= MAX_CALL_DEPTH) return unknown('call depth exceeded');
    const def = fn.fn.node;
    // What the call computes depends on its arguments, the environment and the globals it reads,
    // all of which the active statement's record sees (reads of another module's namespace are
    // recorded by that module's path).
    const mod = this.host.load(fn.fn.file);
    if (!mod) return unknown('function source unavailable');
    const locals: Scope = new Map();
    // A function from a replayed statement still points at its module's namespace of an earlier
    // evaluation: Python looks its globals up in the module as it is now.
    const current = this.modules.get(fn.fn.file)?.scope;
    const globals = current && memoScopes.has(fn.fn.globals) ? current : fn.fn.globals;
    const frame = new Frame(this, mod, globals, locals);
    const params = def.childForFieldName('parameters');
    let positional = 0;
    for (const p of params?.namedChildren ?? []) {
      if (!p) continue;
      let name: string | undefined;
      let defaultNode: SyntaxNode | null = null;
      if (p.type === 'identifier') name = p.text;
      else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
        name = p.childForFieldName('name')?.text;
        defaultNode = p.childForFieldName('value');
      } else if (p.type === 'typed_parameter') {
        name = p.namedChildren.find((c) => c?.type === 'identifier')?.text;
      } else if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') {
        const n = p.namedChildren[0]?.text;
        if (n) locals.set(n, { value: unknown('*args') });
        continue;
      } else continue;
      if (!name) continue;
      let value: Value | undefined = args.keywords.get(name);
      if (value === undefined && positional < args.positional.length) value = args.positional[positional];
      positional++;
      if (value === undefined) value = defaultNode ? frame.eval(defaultNode) : unknown(`missing argument ${name}`);
      locals.set(name, { value });
    }
    this.callDepth++;
    this.callEnvReads.push([]);
    let result: Value;
    try {
      const body = def.childForFieldName('body');
      if (body) frame.execBlock(body, false);
      result = NONE;
    } catch (e) {
      if (e instanceof ReturnSignal) result = e.value;
      else if (e instanceof PyRaise || e instanceof LoopControl) {
        this.callDepth--;
        const reads = this.callEnvReads.pop()!;
        for (const r of reads) this.recordEnvRead(r);
        if (e instanceof LoopControl) return unknown('loop control escaped function');
        // A helper that raises after reading unset variables (`get_from_env("SECRET_KEY")`, a
        // validator) is a required read of those variables.
        if (e.envNames.length === 0 && reads.length > 0) throw new PyRaise(e.type, reads, callSite);
        throw e;
      } else throw e;
    }
    this.callDepth--;
    const reads = this.callEnvReads.pop()!;
    for (const r of reads) this.recordEnvRead(r);
    if (reads.length > 0 && result.kind !== 'unknown') {
      // A helper like get_bool_from_env("DEBUG", True) returns its default when the variable is
      // unset: the result is an env fallback even though the helper body only saw a parameter.
      // The default argument at the call site is what a finding underlines; the type once set is
      // known only when the helper's own code computed it from the read (`v == "True"`, `int(v)`).
      const inCall = (loc: Location | undefined) => loc && loc.file === callSite.file && contains(callSite.range, loc.range) ? loc : undefined;
      const fallback = inCall(result.env?.fallback) ?? inCall(result.src) ?? callSite;
      result = { ...result, env: { names: reads, fallback, setType: result.env?.setType ?? 'unknown' } };
    }
    return result;
  }
}

/** The class and its bases, depth first (close enough to Python's MRO for settings classes). */
export function classChain(cls: ClassInfo, seen = new Set<ClassInfo>()): ClassInfo[] {
  if (seen.has(cls)) return [];
  seen.add(cls);
  const out = [cls];
  for (const b of cls.bases) if (b.kind === 'class' && b.cls) out.push(...classChain(b.cls, seen));
  return out;
}

/** A class attribute looked up through the bases. */
export function classAttr(cls: ClassInfo, name: string): Binding | undefined {
  for (const c of classChain(cls)) {
    const hit = c.attrs.get(name);
    if (hit) return hit;
  }
  return undefined;
}

/** Does the class derive from a library class named `base` (`BaseSettings`, `Configuration`)? */
export function derivesFrom(cls: ClassInfo, base: RegExp): boolean {
  return classChain(cls).some((c) => c.bases.some((b) => b.kind === 'builtin' && base.test(b.name)));
}

const PYDANTIC_SETTINGS = /(^|\.)BaseSettings$/;

/**
 * `Settings()` for a pydantic BaseSettings class (spec P11): each field reads the variable
 * `env_prefix + name` (upper case unless `case_sensitive`), falls back to its default, and is
 * required when it has none (pydantic raises a ValidationError). Constructor keywords win.
 */
function settingsInstance(ev: Evaluation, cls: ClassInfo, args: CallArgs): Value | undefined {
  if (!derivesFrom(cls, PYDANTIC_SETTINGS)) return undefined;
  const config = (key: string): Value | undefined => {
    const modelConfig = classAttr(cls, 'model_config')?.value;
    const fromDict = modelConfig?.kind === 'dict' ? dictGet(modelConfig, { kind: 'str', value: key }) : undefined;
    const inner = classAttr(cls, 'Config')?.value;
    return fromDict ?? (inner?.kind === 'class' && inner.cls ? classAttr(inner.cls, key)?.value : undefined);
  };
  const prefixValue = config('env_prefix');
  const prefix = prefixValue?.kind === 'str' ? prefixValue.value : '';
  const caseSensitive = config('case_sensitive');
  const attrs: Scope = new Map();
  for (const c of classChain(cls).reverse()) {
    for (const f of c.fields) {
      const explicit = args.keywords.get(f.name);
      if (explicit) {
        attrs.set(f.name, { value: explicit, stmt: f.stmt });
        continue;
      }
      const raw = f.envName ?? prefix + f.name;
      const envName = caseSensitive?.kind === 'bool' && caseSensitive.value ? raw : raw.toUpperCase();
      const set = ev.processEnv.get(envName);
      let value: Value;
      if (set) value = set.kind === 'unknown' ? set : unknown('parsed by pydantic', { setType: f.type });
      else if (!f.default) value = unknown('required settings field', { required: [envName], setType: f.type });
      else if (f.default.kind === 'unknown') value = f.default;
      else value = { ...f.default, env: { names: [envName], fallback: f.default.src, setType: f.type } };
      attrs.set(f.name, { value, stmt: f.stmt, rhs: f.default?.src });
    }
  }
  return { kind: 'instance', cls, attrs };
}

/** What a pydantic field's annotation parses a set variable to. */
function annotationType(annotation: string): PyType {
  let t = annotation;
  for (;;) {
    const m = /^(?:typing\.)?(?:Optional|Annotated)\[(.*)\]$/.exec(t) ?? /^(.*)\|None$/.exec(t) ?? /^None\|(.*)$/.exec(t);
    if (!m) break;
    t = m[1]!.split(',')[0]!;
  }
  const head = t.replace(/\[.*$/, '').replace(/^typing\./, '').replace(/^pydantic\./, '');
  const types: Record<string, PyType> = {
    bool: 'bool', int: 'int', float: 'float', str: 'str', SecretStr: 'str', AnyUrl: 'str', HttpUrl: 'str', AnyHttpUrl: 'str', PostgresDsn: 'str', RedisDsn: 'str', EmailStr: 'str',
    list: 'list', List: 'list', Sequence: 'list', tuple: 'tuple', Tuple: 'tuple', set: 'set', Set: 'set', dict: 'dict', Dict: 'dict', Mapping: 'dict', Path: 'path', DirectoryPath: 'path', FilePath: 'path',
  };
  return types[head] ?? 'unknown';
}

const CONFIGURATION = /(^|\.)Configuration$/;
const CONFIGURATION_TYPES: Record<string, PyType> = {
  BooleanValue: 'bool', IntegerValue: 'int', PositiveIntegerValue: 'int', FloatValue: 'float', DecimalValue: 'float', ListValue: 'list', TupleValue: 'tuple',
  SingleNestedTupleValue: 'tuple', SingleNestedListValue: 'list', SetValue: 'set', DictValue: 'dict', Value: 'str', SecretValue: 'str', EmailValue: 'str', URLValue: 'str',
  IPValue: 'str', RegexValue: 'str', PathValue: 'str', DatabaseURLValue: 'dict', CacheURLValue: 'dict', EmailURLValue: 'dict', SearchURLValue: 'dict',
};

/**
 * django-configurations (spec P13): settings are attributes of a `Configuration` subclass chosen
 * by DJANGO_CONFIGURATION. The production class is the one the settings name through
 * DJANGO_CONFIGURATION, else the one whose name says production (`Prod`, `Production`,
 * `Staging`); its attributes, bases first, become module settings. When no class can be chosen,
 * any setting may come from one: noted as dynamic.
 */
export function applyConfiguration(ev: Evaluation, scope: Scope, isProduction: (className: string) => number | undefined, location: Location): void {
  const classes: ClassInfo[] = [];
  for (const b of scope.values()) if (b.value.kind === 'class' && b.value.cls && derivesFrom(b.value.cls, CONFIGURATION)) classes.push(b.value.cls);
  if (classes.length === 0) return;
  const selected = ev.processEnv.get('DJANGO_CONFIGURATION');
  const byName = selected?.kind === 'str' ? classes.find((c) => c.name === selected.value) : undefined;
  const ranked = classes.map((c) => ({ c, rank: isProduction(c.name) })).filter((x) => x.rank !== undefined).sort((a, b) => a.rank! - b.rank!);
  const cls = byName ?? ranked[0]?.c;
  if (!cls) {
    ev.note('dynamic', 'the django-configurations class in use is chosen by DJANGO_CONFIGURATION: its settings are not known', location);
    return;
  }
  for (const c of classChain(cls).reverse()) {
    for (const [name, binding] of c.attrs) {
      if (!/^[A-Z][A-Z0-9_]*$/.test(name)) continue;
      scope.set(name, { ...binding, value: configurationSetting(ev, name, binding.value) });
    }
  }
}

/** A class attribute's value as a setting: `values.XValue(default)` reads DJANGO_<NAME>. */
function configurationSetting(ev: Evaluation, name: string, v: Value): Value {
  const m = v.kind === 'builtin' && v.bound?.kind === 'dict' ? /^configurations\.values\.(\w+)\(\)$/.exec(v.name) : null;
  if (!m || v.kind !== 'builtin' || v.bound?.kind !== 'dict') return v;
  const options = v.bound;
  const option = (key: string) => dictGet(options, { kind: 'str', value: key });
  const kind = m[1]!;
  const setType = CONFIGURATION_TYPES[kind] ?? 'unknown';
  const def = option('default') ?? NONE;
  if (truthy(option('environ') ?? { kind: 'bool', value: true }) === false) return def;
  const prefix = option('environ_prefix') ?? { kind: 'str', value: 'DJANGO' };
  const envName = option('environ_name');
  const base = envName?.kind === 'str' ? envName.value : name;
  const full = prefix.kind === 'str' && prefix.value !== '' ? `${prefix.value}_${base}` : base;
  const set = ev.processEnv.get(full);
  if (set) return set.kind === 'unknown' ? set : unknown('parsed by django-configurations', { setType });
  if (kind === 'SecretValue' || truthy(option('environ_required') ?? NONE) === true) return unknown('required configuration value', { required: [full], setType });
  let value: Value = def;
  if ((kind === 'DatabaseURLValue' || kind === 'CacheURLValue') && def.kind === 'str') {
    const keywords = new Map(options.entries.flatMap((e) => (e.key.kind === 'str' ? [[e.key.value, e.value] as [string, Value]] : [])));
    const parsed = kind === 'DatabaseURLValue' ? parseDatabaseUrl(def.value, { positional: [], keywords, nodes: [], keywordNodes: new Map(), starred: false }, def.src ?? v.src!) : parseCacheUrl(def.value, def.src ?? v.src!);
    const alias = option('alias');
    value = { kind: 'dict', entries: [{ key: alias?.kind === 'str' ? alias : { kind: 'str', value: 'default' }, value: parsed }], src: def.src };
  }
  return { ...value, env: { names: [full], fallback: def.src, setType } };
}

/**
 * A binding as seen through an import: one object per imported binding, so that importing an
 * unchanged module again binds the very same objects and the importer's statements replay.
 */
const importedBindings = new WeakMap<Binding, Binding>();
function importedBinding(binding: Binding): Binding {
  if (binding.imported) return binding;
  let b = importedBindings.get(binding);
  if (!b) importedBindings.set(binding, (b = { ...binding, imported: true }));
  return b;
}

/** How an import resolved, as statement records keep it. */
function describeTarget(target: ImportTarget): string {
  return target.kind === 'workspace' ? `workspace:${target.path}` : `${target.kind}:${target.moduleName}`;
}

/** Module namespaces of evaluations that record their statements (see callFunction). */
const memoScopes = new WeakSet<Scope>();

/** Reparses of files with top-level syntax errors, per file, for the tree they were made from. */
const recoveredTrees = new Map<string, { sourceText: string; tree: SyntaxTree }>();
let recoveryParser: Parser | undefined;
const MAX_RECOVERY_PASSES = 50;

/**
 * The module-level statements from a syntax error on. Tree-sitter folds everything from a broken
 * line to the end of the file into one ERROR node. Python would refuse the whole file, but the
 * user is typing (or the file is a cookiecutter template) and the settings after the error still
 * matter: blank the broken lines (keeping every offset) and reparse until the top level parses.
 */
function statementsAfterError(mod: ModuleSourceText, error: SyntaxNode): SyntaxNode[] {
  const source = mod.root.tree;
  let entry = recoveredTrees.get(mod.path);
  if (entry?.sourceText !== source.text) {
    recoveryParser ??= recreateParser('python');
    const parse = (text: string) => {
      const tsTree = recoveryParser!.parse(text)!;
      try {
        const tree = new SyntaxTree(text);
        tree.rootNode = copyTree(tsTree, text, tree);
        return tree;
      } finally {
        tsTree.delete();
      }
    };
    const lines = source.text.split('\n');
    let tree = parse(lines.join('\n'));
    for (let pass = 0; pass < MAX_RECOVERY_PASSES; pass++) {
      const bad = tree.rootNode.namedChildren.find((c) => c.type === 'ERROR');
      if (!bad) break;
      const row = bad.startPosition.row;
      lines[row] = lines[row]!.replace(/[^\r]/g, ' ');
      tree = parse(lines.join('\n'));
    }
    entry = { sourceText: source.text, tree };
    recoveredTrees.set(mod.path, entry);
  }
  return entry.tree.rootNode.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'ERROR' && c.startIndex >= error.startIndex);
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

function contains(outer: Range, inner: Range): boolean {
  const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

/** Execution state of one module body or one function call. */
export class Frame {
  /** Inside the body of a `try` with handlers: a raise must reach them. */
  private tryDepth = 0;

  constructor(
    readonly ev: Evaluation,
    readonly mod: ModuleSourceText,
    /** Module namespace (globals). */
    readonly globals: Scope,
    /** Function locals or a class body's namespace; undefined at module level. */
    public locals: Scope | undefined,
    /** A class body runs at import time: its required reads are recovered like the module's. */
    private readonly classBody = false,
  ) {}

  get scope(): Scope {
    return this.locals ?? this.globals;
  }

  loc(node: SyntaxNode): Location {
    return {
      file: this.mod.path,
      range: {
        start: { line: node.startPosition.row, character: node.startPosition.column },
        end: { line: node.endPosition.row, character: node.endPosition.column },
      },
    };
  }

  define(name: string, value: Value, binding?: Omit<Binding, 'value'>): void {
    this.scope.set(name, { value, ...binding });
  }

  lookup(name: string): Value | undefined {
    return (this.locals?.get(name) ?? this.globals.get(name))?.value;
  }

  // ---------------------------------------------------------------- statements

  execBlock(block: SyntaxNode, moduleLevel: boolean): void {
    for (const stmt of block.namedChildren) {
      if (!stmt) continue;
      if (moduleLevel && stmt.type === 'ERROR') {
        for (const after of statementsAfterError(this.mod, stmt)) this.execStatement(after, true);
        return;
      }
      this.execStatement(stmt, moduleLevel);
    }
  }

  /**
   * A module body whose top-level statements are replayed from `records` when nothing they read
   * changed, and recorded otherwise (statementMemo.ts). `records` is replaced by this run's.
   */
  execModuleRecorded(root: SyntaxNode, records: Map<SyntaxNode, StatementRecord>): void {
    const maps = [this.globals as RecordingMap<unknown>, this.ev.processEnv as RecordingMap<unknown>];
    const world: ReplayWorld = {
      maps,
      namespace: (path) => this.ev.loadedScope(path) as RecordingMap<unknown> | undefined,
      resolve: (request) => this.ev.resolveRequest(request),
      loadShared: (path, entry) => this.ev.reloadShared(path, entry as CachedModule),
      loaded: (path) => this.ev.isLoaded(path),
    };
    const previous = records;
    const next = new Map<SyntaxNode, StatementRecord>();
    next.set(root, previous.get(root)!);
    // The new records replace the old ones even if the module stops half-way (a raise).
    storeRecords(root, this.mod.moduleName, next);
    // A statement reparsed after an edit is a new node: its predecessor on the same row still
    // tells which of its bindings came out equal (see reuseEqualWrites).
    let byRow: Map<number, StatementRecord> | undefined;
    const predecessorAt = (row: number) => {
      if (!byRow) {
        byRow = new Map();
        for (const r of previous.values()) if (r.row >= 0) byRow.set(r.row, r);
      }
      return byRow.get(row);
    };
    const notes = this.ev.notes;
    for (const stmt of root.namedChildren) {
      const old = previous.get(stmt);
      if (old && replay(old, stmt, world, notes)) {
        next.set(stmt, old);
        traceStatement(this.mod.path, stmt, true);
        continue;
      }
      traceStatement(this.mod.path, stmt, false);
      const recorder = new Recorder(maps, this.mod.path);
      const notesBefore = notes.length;
      let completed = false;
      try {
        recording(recorder, () => this.execStatement(stmt, true));
        completed = true;
      } finally {
        if (completed) {
          const predecessor = old ?? predecessorAt(stmt.startRow);
          if (predecessor) reuseEqualWrites(predecessor, recorder.writes, maps);
          next.set(stmt, { row: stmt.startRow, opaque: recorder.opaque, reads: recorder.reads, writes: recorder.writes, notes: recorder.ownNotes(notes, notesBefore) });
        }
      }
    }
  }

  /**
   * Code that runs at import time (the module, the blocks nested in it, class bodies) goes on
   * after a required read: the operator sets the variable (see recoverFromRaise). Any other raise
   * ends the module only at its top level (we note it and go on); in a nested block it
   * propagates, so an `if` around it acts as a guard. In a `try` body every raise goes to the
   * handlers, as in Python; in a function, to the caller.
   */
  private execStatement(stmt: SyntaxNode, topLevel: boolean): void {
    if ((this.locals && !this.classBody) || this.tryDepth > 0) return this.exec(stmt);
    try {
      this.exec(stmt);
    } catch (e) {
      if (!(e instanceof PyRaise) || (!topLevel && e.envNames.length === 0)) throw e;
      this.recoverFromRaise(stmt, e);
    }
  }

  /**
   * A module-level statement raised under the production profile. A required environment read
   * means the operator sets the variable: bind the targets as required-unknown and go on. Any other
   * uncaught raise means the module cannot load without the environment; we note it and go on, so
   * the findings after it still show.
   */
  private recoverFromRaise(stmt: SyntaxNode, e: PyRaise): void {
    const targets = assignedNames(stmt);
    if (e.envNames.length > 0) {
      this.requireEnv(e.envNames);
      const info = this.bindingInfo(stmt);
      // The read's own type applies only when it is the whole right-hand side (`X = env("X")`).
      const whole = info.rhs && e.location && sameRange(info.rhs.range, e.location.range);
      const value = unknown('required environment variable', { required: e.envNames, setType: whole ? e.setType : undefined });
      for (const t of targets) this.define(t, value, info);
      return;
    }
    for (const t of targets) this.define(t, unknown(`raises ${e.type}`), this.bindingInfo(stmt));
    if (e.type === 'ImportError' || e.type === 'ModuleNotFoundError') return; // noted at the import
    this.ev.note('aborted', `raises ${e.type} when the environment is empty`, this.loc(stmt));
  }

  private bindingInfo(stmt: SyntaxNode): Omit<Binding, 'value'> {
    const assign = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : null;
    const rhs = assign?.type === 'assignment' ? assign.childForFieldName('right') : null;
    return { stmt: this.loc(stmt), rhs: rhs ? this.loc(rhs) : undefined };
  }

  exec(stmt: SyntaxNode): void {
    switch (stmt.type) {
      case 'expression_statement':
        for (const child of stmt.namedChildren) if (child) this.execExpressionStatement(child, stmt);
        return;
      case 'import_statement':
        return this.execImport(stmt);
      case 'import_from_statement':
        return this.execImportFrom(stmt);
      case 'future_import_statement':
        return;
      case 'if_statement':
        return this.execIf(stmt);
      case 'try_statement':
        return this.execTry(stmt);
      case 'with_statement': {
        const body = stmt.childForFieldName('body');
        if (body) this.execBlock(body, false);
        return;
      }
      case 'for_statement':
        return this.execFor(stmt);
      case 'while_statement':
        return this.havocAssigned(stmt, 'assigned in a while loop');
      case 'function_definition':
        return this.defineFunction(stmt, stmt);
      case 'decorated_definition': {
        const def = stmt.childForFieldName('definition');
        if (def?.type === 'function_definition') return this.defineFunction(def, stmt);
        if (def?.type === 'class_definition') return this.defineClass(def, stmt);
        return;
      }
      case 'class_definition':
        return this.defineClass(stmt, stmt);
      case 'return_statement': {
        const expr = stmt.namedChildren[0];
        throw new ReturnSignal(expr ? this.eval(expr) : NONE);
      }
      case 'raise_statement':
        throw this.raiseFrom(stmt);
      case 'pass_statement':
      case 'comment':
      case 'global_statement':
      case 'nonlocal_statement':
        return;
      case 'break_statement':
      case 'continue_statement':
        throw new LoopControl();
      case 'assert_statement': {
        // `assert` is stripped by `python -O` and is not a guard (spec §c.2); evaluate for effects only.
        return;
      }
      case 'delete_statement': {
        for (const t of stmt.namedChildren) if (t?.type === 'identifier') this.scope.delete(t.text);
        return;
      }
      case 'match_statement':
        return this.havocAssigned(stmt, 'assigned in a match statement');
      default:
        return;
    }
  }

  private raiseFrom(stmt: SyntaxNode): PyRaise {
    const expr = stmt.namedChildren[0];
    let type = 'Exception';
    if (expr) {
      const callee = expr.type === 'call' ? expr.childForFieldName('function') : expr;
      if (callee) type = callee.type === 'attribute' ? callee.childForFieldName('attribute')?.text ?? type : callee.text;
    }
    return new PyRaise(type, [], this.loc(stmt));
  }

  private execExpressionStatement(expr: SyntaxNode, stmt: SyntaxNode): void {
    switch (expr.type) {
      case 'assignment':
        return this.execAssignment(expr, stmt);
      case 'augmented_assignment':
        return this.execAugmented(expr, stmt);
      case 'call':
        this.eval(expr);
        return;
      default:
        this.eval(expr);
    }
  }

  private execAssignment(node: SyntaxNode, stmt: SyntaxNode): void {
    // Chained assignment `a = b = 1` nests assignments on the right: evaluate the value once and
    // bind every target to it.
    const targets: SyntaxNode[] = [];
    let cur: SyntaxNode | null = node;
    while (cur && cur.type === 'assignment') {
      const left = cur.childForFieldName('left');
      if (left) targets.push(left);
      cur = cur.childForFieldName('right');
    }
    if (!cur) return; // annotation only (`x: int`)
    const value = this.eval(cur);
    for (const t of targets) this.assignTarget(t, value, stmt, cur);
  }

  /** Rebinds the container a mutating call changed (`MIDDLEWARE.append`, `DATABASES["default"].update`). */
  mutate(objNode: SyntaxNode, value: Value): void {
    if (objNode.type === 'identifier') {
      const existing = this.scope.get(objNode.text) ?? this.globals.get(objNode.text);
      this.define(objNode.text, value, { stmt: existing?.stmt, rhs: existing?.rhs });
      return;
    }
    if (objNode.type === 'subscript') {
      const stmt = objNode.parent ?? objNode;
      this.assignSubscript(objNode, value, stmt);
    }
  }

  assignTarget(target: SyntaxNode, value: Value, stmt: SyntaxNode, rhs: SyntaxNode): void {
    switch (target.type) {
      case 'identifier':
        this.define(target.text, value, { stmt: this.loc(stmt), rhs: this.loc(rhs) });
        return;
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
      case 'expression_list': {
        const targets = target.namedChildren.filter((c): c is SyntaxNode => !!c);
        const items = isSequence(value) && !value.partial && value.items.length === targets.length ? value.items : undefined;
        targets.forEach((t, i) => this.assignTarget(t, items ? items[i]! : unknown('unpacking'), stmt, rhs));
        return;
      }
      case 'subscript':
        return this.assignSubscript(target, value, stmt);
      case 'attribute': {
        // os.environ attribute assignments are not a thing; `obj.attr = v` on settings objects is rare.
        return;
      }
      default:
        return;
    }
  }

  /** `D["a"]["b"] = v`: rebuild the nested dict functionally and rebind the root name. */
  private assignSubscript(target: SyntaxNode, value: Value, stmt: SyntaxNode): void {
    const path: SyntaxNode[] = [];
    let cur: SyntaxNode | null = target;
    while (cur && cur.type === 'subscript') {
      const key = cur.childForFieldName('subscript');
      if (!key) return;
      path.unshift(key);
      cur = cur.childForFieldName('value');
    }
    if (!cur) return;
    // os.environ["X"] = "v" sets the process environment for everything evaluated later.
    const base = this.eval(cur);
    if (base.kind === 'builtin' && base.name === 'os.environ' && path.length === 1) {
      const key = this.eval(path[0]!);
      if (key.kind === 'str') this.ev.processEnv.set(key.value, value);
      return;
    }
    if (base.kind === 'builtin' && base.name === 'dynamic-namespace') {
      this.ev.note('dynamic', 'a setting assigned through globals()/vars() may be any setting', this.loc(stmt));
      return;
    }
    if (cur.type !== 'identifier') return;
    const name = cur.text;
    const root = this.lookup(name);
    if (!root) return;
    const keys = path.map((k) => this.eval(k));
    const updated = setPath(root, keys, value);
    const existing = this.scope.get(name) ?? this.globals.get(name);
    this.define(name, updated, { stmt: existing?.stmt ?? this.loc(stmt), rhs: existing?.rhs });
  }

  private execAugmented(node: SyntaxNode, stmt: SyntaxNode): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const op = node.childForFieldName('operator')?.type ?? '';
    if (!left || !right) return;
    const current = this.eval(left);
    const rhs = this.eval(right);
    const result = binaryOp(op.replace('=', ''), current, rhs, this.loc(node));
    if (left.type === 'identifier') {
      const existing = this.scope.get(left.text) ?? this.globals.get(left.text);
      // Keep pointing at the original assignment: fixes edit the list literal, not the `+=`.
      this.define(left.text, result, { stmt: existing?.stmt ?? this.loc(stmt), rhs: existing?.rhs ?? this.loc(right) });
    } else {
      this.assignTarget(left, result, stmt, right);
    }
  }

  private execImport(stmt: SyntaxNode): void {
    for (const name of stmt.childrenForFieldName('name')) {
      if (!name) continue;
      const dotted = name.type === 'aliased_import' ? name.childForFieldName('name') : name;
      const alias = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : undefined;
      if (!dotted) continue;
      const full = dotted.text.replace(/\s+/g, '');
      const target = this.resolve(0, full, stmt);
      if (alias) {
        this.define(alias, this.moduleValue(target, full));
      } else {
        const top = full.split('.')[0]!;
        const topTarget = top === full ? target : this.resolve(0, top, stmt);
        this.define(top, this.moduleValue(topTarget, top));
      }
    }
  }

  private moduleValue(target: ImportTarget, name: string): Value {
    if (target.kind === 'workspace') {
      const ns = this.ev.evaluateModule(target.path);
      return { kind: 'module', name: target.moduleName, namespace: ns, path: target.path };
    }
    return { kind: 'module', name };
  }

  private resolve(level: number, dotted: string, stmt: SyntaxNode): Exclude<ImportTarget, { kind: 'missing' }> {
    const target = this.ev.host.resolveModule({ path: this.mod.path, moduleName: this.mod.moduleName, isPackage: this.mod.isPackage }, level, dotted, this.ev.sysPath);
    // Whether an import resolves depends on the files on disk: a replay resolves it again.
    resolvedImport(`${this.mod.path}\0${level}\0${dotted}`, describeTarget(target));
    if (target.kind === 'missing') throw new PyRaise('ImportError', [], this.loc(stmt));
    return target;
  }

  private execImportFrom(stmt: SyntaxNode): void {
    const moduleNode = stmt.childForFieldName('module_name');
    if (!moduleNode) return;
    let level = 0;
    let dotted = '';
    if (moduleNode.type === 'relative_import') {
      const prefix = moduleNode.namedChildren.find((c) => c?.type === 'import_prefix');
      level = prefix ? prefix.text.length : 1;
      dotted = moduleNode.namedChildren.find((c) => c?.type === 'dotted_name')?.text ?? '';
    } else {
      dotted = moduleNode.text;
    }
    dotted = dotted.replace(/\s+/g, '');
    const target = this.resolve(level, dotted, stmt);
    const wildcard = stmt.namedChildren.some((c) => c?.type === 'wildcard_import');
    const base: Omit<Binding, 'value'> = { stmt: this.loc(stmt), imported: true };
    if (target.kind === 'external') {
      const qualified = target.moduleName;
      for (const name of stmt.childrenForFieldName('name')) {
        if (!name) continue;
        const orig = name.type === 'aliased_import' ? name.childForFieldName('name')?.text : name.text;
        const alias = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : orig;
        if (!orig || !alias) continue;
        this.define(alias, libraryValue(`${qualified}.${orig}`), base);
      }
      if (wildcard) this.ev.note('dynamic', `names from ${qualified} are not known`, this.loc(stmt));
      return;
    }
    const ns = this.ev.evaluateModule(target.path);
    if (!ns) throw new PyRaise('ImportError', [], this.loc(stmt));
    if (wildcard) {
      const all = ns.get('__all__')?.value;
      const allNames = all && isSequence(all) ? all.items.filter((i) => i.kind === 'str').map((i) => (i as { value: string }).value) : undefined;
      for (const [name, binding] of ns) {
        if (allNames ? !allNames.includes(name) : name.startsWith('_')) continue;
        this.scope.set(name, importedBinding(binding));
      }
      return;
    }
    for (const name of stmt.childrenForFieldName('name')) {
      if (!name) continue;
      const orig = name.type === 'aliased_import' ? name.childForFieldName('name')?.text : name.text;
      const alias = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : orig;
      if (!orig || !alias) continue;
      const found = ns.get(orig);
      if (found) {
        this.scope.set(alias, importedBinding(found));
        continue;
      }
      // `from . import production` imports a submodule.
      const sub = this.ev.host.resolveModule({ path: target.path, moduleName: target.moduleName, isPackage: target.isPackage }, 0, `${target.moduleName}.${orig}`);
      if (sub.kind === 'workspace') this.define(alias, this.moduleValue(sub, orig), base);
      else throw new PyRaise('ImportError', [], this.loc(stmt));
    }
  }

  private execIf(stmt: SyntaxNode): void {
    // Collect the chain of (condition, block) with the final else.
    const branches: { cond: SyntaxNode | null; body: SyntaxNode }[] = [];
    const cond = stmt.childForFieldName('condition');
    const body = stmt.childForFieldName('consequence');
    if (body) branches.push({ cond, body });
    for (const alt of stmt.childrenForFieldName('alternative')) {
      if (!alt) continue;
      const b = alt.childForFieldName('body') ?? alt.childForFieldName('consequence');
      if (!b) continue;
      branches.push({ cond: alt.type === 'elif_clause' ? alt.childForFieldName('condition') : null, body: b });
    }
    this.execBranches(branches, 0);
  }

  private execBranches(branches: { cond: SyntaxNode | null; body: SyntaxNode }[], index: number): void {
    const branch = branches[index];
    if (!branch) return;
    if (!branch.cond) {
      this.execBlock(branch.body, false);
      return;
    }
    const test = this.eval(branch.cond);
    const t = truthy(test);
    if (t === true) {
      this.execGuarded(branch.body, test, branch.cond);
      return;
    }
    if (t === false) {
      this.execBranches(branches, index + 1);
      return;
    }
    // Undecided: run both sides from the same state and join them. A side that raises is a guard
    // (the program cannot continue there), so only the other side survives.
    this.ev.undecided++;
    const mark = markScope(this.scope);
    try {
      const sides = this.execBothSides(branches, index, mark);
      mark.undo();
      this.applySides(sides, mark);
    } finally {
      this.ev.undecided--;
      mark.close();
    }
  }

  /** The changes each side of an undecided branch made; a side that raised has none. Leaves the else side's state. */
  private execBothSides(branches: { cond: SyntaxNode | null; body: SyntaxNode }[], index: number, mark: ScopeMark): BranchSides {
    const branch = branches[index]!;
    const sides: BranchSides = {};
    try {
      this.execBlock(branch.body, false);
      sides.then = mark.changes();
    } catch (e) {
      if (!(e instanceof PyRaise) && !(e instanceof ReturnSignal)) throw e;
      if (e instanceof ReturnSignal && this.locals) {
        // Returning from one side of an undecided branch: the function's result is undecided.
        mark.undo();
        try {
          this.execBranches(branches, index + 1);
        } catch (e2) {
          if (!(e2 instanceof ReturnSignal) && !(e2 instanceof PyRaise)) throw e2;
        }
        throw new ReturnSignal(unknown('depends on an undecided condition'));
      }
    }
    mark.undo();
    try {
      this.execBranches(branches, index + 1);
      sides.else = mark.changes();
    } catch (e) {
      if (!(e instanceof PyRaise) && !(e instanceof ReturnSignal)) throw e;
      if (!sides.then) throw e;
    }
    return sides;
  }

  /**
   * Binds what the sides of an undecided branch leave (the scope is back at the mark): a name
   * both sides bind alike keeps its binding, one they bind differently or only one side binds
   * becomes unknown. With one side only (the other raised), its bindings.
   */
  private applySides(sides: BranchSides, mark: ScopeMark): void {
    const names = new Set([...(sides.then?.keys() ?? []), ...(sides.else?.keys() ?? [])]);
    for (const name of names) {
      const after = (side: Map<string, Binding | undefined>) => (side.has(name) ? side.get(name) : mark.original(name));
      const result = sides.then && sides.else ? joinBindings(after(sides.then), after(sides.else)) : after((sides.then ?? sides.else)!);
      if (result === mark.original(name)) continue;
      if (result === undefined) this.scope.delete(name);
      else this.scope.set(name, result);
    }
  }

  /**
   * Runs a branch whose condition holds under the production profile. If it raises (a guard such
   * as `if not SECRET_KEY: raise ImproperlyConfigured`), the program only continues when the
   * operator sets the variables the condition read: those become required. In `not DEBUG and
   * SECRET_KEY == DEFAULT`, a conjunct that only tests a bool flag (`not DEBUG`, `not TEST`) says
   * when the guard applies, not what must be set, so it keeps its value.
   */
  private execGuarded(body: SyntaxNode, test: Value, condNode: SyntaxNode): void {
    if (this.locals) {
      this.execBlock(body, false);
      return;
    }
    const mark = markScope(this.scope);
    try {
      this.execBlock(body, false);
    } catch (e) {
      if (!(e instanceof PyRaise)) throw e;
      mark.undo();
      const conjuncts = flattenAnd(condNode);
      const checked = conjuncts.filter((c) => !this.isFlagTest(c));
      const tested = checked.length > 0 && checked.length < conjuncts.length ? checked.map((c) => this.eval(c)) : [test];
      const names = [...new Set(tested.flatMap((v) => v.env?.names ?? []))];
      const referenced = new Set((checked.length > 0 ? checked : conjuncts).flatMap((c) => [...identifiersIn(c)]));
      // Settings named in the condition that came from the environment are required too, even
      // when the comparison itself lost their origin.
      for (const name of referenced) {
        const env = this.scope.get(name)?.value.env;
        if (env) for (const n of env.names) if (!names.includes(n)) names.push(n);
      }
      if (names.length > 0) {
        this.requireEnv(names);
        this.ev.note('guard', `a guard raises ${e.type} unless ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} set`, this.loc(condNode));
      } else {
        this.ev.note('aborted', `raises ${e.type} when the environment is empty`, this.loc(condNode));
      }
    } finally {
      mark.close();
    }
  }

  /** `DEBUG` / `not TEST`: a bare name (possibly negated) holding a bool. */
  private isFlagTest(node: SyntaxNode): boolean {
    let n: SyntaxNode | null = node;
    while (n && (n.type === 'not_operator' || n.type === 'parenthesized_expression')) n = n.type === 'not_operator' ? n.childForFieldName('argument') : n.namedChildren[0] ?? null;
    return n?.type === 'identifier' && this.lookup(n.text)?.kind === 'bool';
  }

  /**
   * The program goes on only if the operator sets these variables: later reads see an unknown
   * value, and settings already computed from them become required.
   */
  requireEnv(names: string[]): void {
    // On one side of an undecided `if` the variable is required only on that path.
    if (this.ev.undecided === 0) {
      for (const name of names) {
        if (!this.ev.processEnv.has(name)) this.ev.processEnv.set(name, unknown('set by the operator', { required: [name] }));
      }
    }
    for (const [name, binding] of this.globals) {
      const env = binding.value.env;
      const hit = env?.names.filter((n) => names.includes(n));
      if (!hit?.length) continue;
      this.globals.set(name, { ...binding, value: unknown('must be set in production', { required: hit, setType: env!.setType, src: binding.value.src }) });
    }
  }

  private execTry(stmt: SyntaxNode): void {
    const body = stmt.childForFieldName('body');
    const handlers = stmt.namedChildren.filter((c): c is SyntaxNode => c?.type === 'except_clause' || c?.type === 'except_group_clause');
    const elseClause = stmt.namedChildren.find((c) => c?.type === 'else_clause');
    const finallyClause = stmt.namedChildren.find((c) => c?.type === 'finally_clause');
    let raised: PyRaise | undefined;
    if (body) {
      if (handlers.length > 0) this.tryDepth++;
      try {
        this.execBlock(body, false);
      } catch (e) {
        if (!(e instanceof PyRaise)) throw e;
        raised = e;
      } finally {
        if (handlers.length > 0) this.tryDepth--;
      }
    }
    try {
      if (raised) {
        const handler = handlers.find((h) => this.handlerCatches(h, raised!));
        if (!handler) throw raised;
        if (raised.type === 'ImportError' || raised.type === 'ModuleNotFoundError') {
          this.ev.note('optional-import-missing', 'an optional settings module is missing: settings not found may be defined there', raised.location ?? this.loc(stmt));
        }
        const block = handler.namedChildren.find((c) => c?.type === 'block');
        if (block) this.execBlock(block, false);
      } else if (elseClause) {
        const block = elseClause.childForFieldName('body') ?? elseClause.namedChildren.find((c) => c?.type === 'block');
        if (block) this.execBlock(block, false);
      }
    } finally {
      const block = finallyClause?.namedChildren.find((c) => c?.type === 'block');
      if (block) this.execBlock(block, false);
    }
  }

  private handlerCatches(handler: SyntaxNode, raised: PyRaise): boolean {
    const typeNode = handler.namedChildren.find((c) => c && c.type !== 'block' && c.type !== 'comment');
    if (!typeNode) return true; // bare except
    const expr = typeNode.type === 'as_pattern' ? typeNode.namedChildren[0] : typeNode;
    if (!expr) return true;
    const names =
      expr.type === 'tuple' || expr.type === 'parenthesized_expression'
        ? expr.namedChildren.filter((c): c is SyntaxNode => !!c).map((c) => c.text)
        : [expr.text];
    return names.some((n) => exceptionMatches(raised.type, n.split('.').pop()!));
  }

  private execFor(stmt: SyntaxNode): void {
    const left = stmt.childForFieldName('left');
    const right = stmt.childForFieldName('right');
    const body = stmt.childForFieldName('body');
    if (!left || !right || !body) return;
    const iterable = this.eval(right);
    const items = iterableItems(iterable);
    if (!items || items.length > MAX_LOOP_ITEMS) {
      this.havocAssigned(stmt, 'assigned in a loop over unknown values');
      return;
    }
    for (const item of items) {
      this.assignTarget(left, item, stmt, right);
      try {
        this.execBlock(body, false);
      } catch (e) {
        if (e instanceof LoopControl) {
          // break/continue inside an undecided position: give up precision for the loop.
          this.havocAssigned(stmt, 'assigned in a loop with break/continue');
          return;
        }
        throw e;
      }
    }
  }

  /**
   * django-split-settings `include("components/base.py", optional("local.py"))`: each file runs
   * in order in this module's namespace, as split-settings `exec`s it, so a component sees and
   * changes the settings before it (`INSTALLED_APPS += [...]`). Paths are relative to the file
   * that includes them. A missing `optional()` file is noted like a missing optional import; a
   * missing required one raises as split-settings does. Glob patterns are not expanded: what
   * they match may define any setting.
   */
  includeFiles(args: CallArgs, src: Location): Value {
    for (const a of args.positional) {
      const optional = a.kind === 'builtin' && a.name === 'split_settings.optional';
      const pattern = optional ? a.bound : a;
      if (!pattern || (pattern.kind !== 'str' && pattern.kind !== 'path') || /[*?[]/.test(pattern.value)) {
        this.ev.note('dynamic', 'include() of files the analysis does not expand: they may define any setting', src);
        continue;
      }
      const path = joinPath(dirname(this.mod.path), pattern.value);
      if (path === this.mod.path || this.ev.including.includes(path)) continue;
      readingModule(path);
      const mod = this.ev.host.load(path);
      if (!mod) {
        if (!optional) throw new PyRaise('OSError', [], src);
        this.ev.note('optional-import-missing', `${pattern.value} is optional and missing: settings not found may be defined there`, src);
        continue;
      }
      this.ev.filesRead.add(path);
      this.ev.including.push(path);
      try {
        new Frame(this.ev, mod, this.globals, undefined).execBlock(mod.root, true);
      } finally {
        this.ev.including.pop();
      }
    }
    return NONE;
  }

  /** Every name assigned inside `node` becomes unknown (loops we do not unroll). */
  private havocAssigned(node: SyntaxNode, reason: string): void {
    for (const name of assignedNamesDeep(node)) {
      const existing = this.scope.get(name);
      this.define(name, unknown(reason), { stmt: existing?.stmt ?? this.loc(node), rhs: existing?.rhs });
    }
  }

  private defineFunction(def: SyntaxNode, stmt: SyntaxNode): void {
    const name = def.childForFieldName('name')?.text;
    if (!name) return;
    this.define(
      name,
      { kind: 'function', fn: { node: def, name, globals: this.globals, file: this.mod.path, moduleName: this.mod.moduleName } },
      { stmt: this.loc(stmt) },
    );
  }

  /**
   * A class statement runs its body (as Python does) in the class's own namespace, so class
   * attributes can be read (`Config.DEBUG`, django-configurations) and annotated attributes become
   * pydantic fields with their defaults.
   */
  private defineClass(def: SyntaxNode, stmt: SyntaxNode): void {
    const name = def.childForFieldName('name')?.text;
    if (!name) return;
    const bases = (def.childForFieldName('superclasses')?.namedChildren ?? []).filter((b): b is SyntaxNode => !!b && b.type !== 'keyword_argument' && b.type !== 'comment').map((b) => this.eval(b));
    const cls: ClassInfo = { name, bases, attrs: new Map(), fields: [] };
    const body = def.childForFieldName('body');
    if (body) {
      const frame = new Frame(this.ev, this.mod, this.globals, cls.attrs, true);
      frame.execBlock(body, false);
      for (const s of body.namedChildren) {
        const assign = s?.type === 'expression_statement' ? s.namedChildren[0] : null;
        if (assign?.type !== 'assignment') continue;
        const field = frame.fieldOf(assign, s!);
        if (field) cls.fields.push(field);
      }
    }
    this.define(name, { kind: 'class', name, cls }, { stmt: this.loc(stmt) });
  }

  /** `name: type = default` in a class body, as pydantic reads it. */
  private fieldOf(assign: SyntaxNode, stmt: SyntaxNode): FieldInfo | undefined {
    const left = assign.childForFieldName('left');
    const typeNode = assign.childForFieldName('type');
    if (left?.type !== 'identifier' || !typeNode || left.text.startsWith('_') || left.text === 'model_config') return undefined;
    const annotation = typeNode.text.replace(/\s+/g, '');
    if (/^(typing\.)?ClassVar\b/.test(annotation)) return undefined;
    const field: FieldInfo = { name: left.text, type: annotationType(annotation), stmt: this.loc(stmt) };
    const right = assign.childForFieldName('right');
    if (!right || right.type === 'ellipsis') return field;
    const callee = right.type === 'call' ? this.eval(right.childForFieldName('function')!) : undefined;
    if (callee?.kind !== 'builtin' || !/(^|\.)Field$/.test(callee.name)) {
      field.default = this.eval(right);
      return field;
    }
    // Field(default, env="X") / Field(default=..., alias="X") / Field(default_factory=...)
    let defaultNode: SyntaxNode | undefined;
    for (const a of right.childForFieldName('arguments')?.namedChildren ?? []) {
      if (!a || a.type === 'comment') continue;
      if (a.type !== 'keyword_argument') {
        defaultNode ??= a;
        continue;
      }
      const key = a.childForFieldName('name')?.text;
      const value = a.childForFieldName('value');
      if (!value) continue;
      if (key === 'default') defaultNode = value;
      else if (key === 'default_factory') field.default = unknown('default_factory', { src: this.loc(value) });
      else if (key === 'env' || key === 'alias' || key === 'validation_alias') {
        const v = this.eval(value);
        if (v.kind === 'str') field.envName = v.value;
      }
    }
    if (defaultNode && defaultNode.type !== 'ellipsis') field.default = this.eval(defaultNode);
    return field;
  }

  // ---------------------------------------------------------------- expressions

  eval(node: SyntaxNode): Value {
    const src = this.loc(node);
    switch (node.type) {
      case 'integer': {
        const v = parseIntLiteral(node.text);
        return v === undefined ? unknown('integer literal') : { kind: 'int', value: v, src };
      }
      case 'float':
        return { kind: 'float', value: Number(node.text.replace(/_/g, '')), src };
      case 'true':
        return { kind: 'bool', value: true, src };
      case 'false':
        return { kind: 'bool', value: false, src };
      case 'none':
        return { kind: 'none', src };
      case 'string':
        return this.evalString(node, src);
      case 'concatenated_string': {
        let out = '';
        let env: Value | undefined;
        for (const part of node.namedChildren) {
          if (!part || part.type !== 'string') continue;
          const v = this.evalString(part, this.loc(part));
          if (v.kind !== 'str') return unknown('string part', { src });
          out += v.value;
          env ??= v.env ? v : undefined;
        }
        return { kind: 'str', value: out, src, env: mergeEnv('str', env) };
      }
      case 'identifier':
        return this.evalName(node.text, src);
      case 'parenthesized_expression': {
        const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
        return inner ? this.eval(inner) : unknown('empty parentheses');
      }
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list':
        return this.evalSequence(node, node.type === 'expression_list' ? 'tuple' : (node.type as 'list' | 'tuple' | 'set'), src);
      case 'dictionary':
        return this.evalDict(node, src);
      case 'attribute': {
        const obj = node.childForFieldName('object');
        const attr = node.childForFieldName('attribute')?.text;
        if (!obj || !attr) return unknown('attribute');
        return attributeOf(this, this.eval(obj), attr, src);
      }
      case 'subscript':
        return this.evalSubscript(node, src);
      case 'call':
        return this.evalCall(node, src);
      case 'binary_operator': {
        const l = node.childForFieldName('left');
        const r = node.childForFieldName('right');
        const op = node.childForFieldName('operator')?.type ?? '';
        if (!l || !r) return unknown('operator');
        return binaryOp(op, this.eval(l), this.eval(r), src);
      }
      case 'unary_operator': {
        const arg = node.childForFieldName('argument');
        const op = node.childForFieldName('operator')?.type;
        if (!arg) return unknown('operator');
        const v = this.eval(arg);
        if ((v.kind === 'int' || v.kind === 'float') && op === '-') return { kind: v.kind, value: -v.value, src, env: v.env };
        if ((v.kind === 'int' || v.kind === 'float') && op === '+') return { ...v, src };
        return unknown('unary operator', { src });
      }
      case 'not_operator': {
        const arg = node.childForFieldName('argument');
        if (!arg) return unknown('not');
        const v = this.eval(arg);
        const t = truthy(v);
        return t === undefined ? unknown('not of unknown', { src, setType: 'bool' }) : { kind: 'bool', value: !t, src, env: mergeEnv('bool', v) };
      }
      case 'boolean_operator':
        return this.evalBoolOp(node, src);
      case 'comparison_operator':
        return this.evalComparison(node, src);
      case 'conditional_expression': {
        const [a, cond, b] = node.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment');
        if (!a || !cond || !b) return unknown('conditional');
        const c = this.eval(cond);
        const t = truthy(c);
        if (t === true) return withEnv(this.eval(a), c);
        if (t === false) return withEnv(this.eval(b), c);
        const va = this.eval(a);
        const vb = this.eval(b);
        return pyEquals(va, vb) === true ? va : unknown('depends on an undecided condition', { src });
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
        return this.evalComprehension(node, node.type === 'set_comprehension' ? 'set' : 'list', src);
      case 'dictionary_comprehension':
        return unknown('dict comprehension', { src });
      case 'lambda':
        return unknown('lambda', { src });
      case 'named_expression': {
        const name = node.childForFieldName('name');
        const value = node.childForFieldName('value');
        if (!name || !value) return unknown('walrus');
        const v = this.eval(value);
        this.define(name.text, v);
        return v;
      }
      case 'await':
        return unknown('await', { src });
      default:
        return unknown(node.type, { src });
    }
  }

  private evalString(node: SyntaxNode, src: Location): Value {
    const prefix = stringPrefix(node);
    if (!prefix.includes('f')) {
      if (prefix.includes('b')) return unknown('bytes literal', { src });
      return { kind: 'str', value: plainStringValue(node), src };
    }
    let out = '';
    let envFrom: Value | undefined;
    const raw = prefix.includes('r');
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'string_content') {
        const text = child.text.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
        out += raw ? text : decodeEscapes(text);
      } else if (child.type === 'interpolation') {
        const expr = child.childForFieldName('expression');
        if (!expr) return unknown('f-string', { src });
        if (child.namedChildren.some((c) => c?.type === 'format_specifier')) return unknown('formatted f-string', { src });
        const conversion = child.namedChildren.find((c) => c?.type === 'type_conversion')?.text;
        const v = this.eval(expr);
        const s = conversion === '!r' || conversion === '!a' ? pyReprText(v) : pyStr(v);
        if (s === undefined) return unknown('f-string with unknown part', { src, setType: 'str' });
        out += s;
        envFrom ??= v.env ? v : undefined;
      }
    }
    return { kind: 'str', value: out, src, env: mergeEnv('str', envFrom) };
  }

  evalName(name: string, src: Location): Value {
    const v = this.lookup(name);
    if (v) return v;
    switch (name) {
      case 'True':
        return { kind: 'bool', value: true, src };
      case 'False':
        return { kind: 'bool', value: false, src };
      case 'None':
        return { kind: 'none', src };
    }
    return { kind: 'builtin', name: `builtins.${name}` };
  }

  private evalSequence(node: SyntaxNode, kind: 'list' | 'tuple' | 'set', src: Location): Value {
    const items: Value[] = [];
    let partial = false;
    for (const child of node.namedChildren) {
      if (!child || child.type === 'comment') continue;
      if (child.type === 'list_splat' || child.type === 'parenthesized_list_splat') {
        const inner = child.namedChildren[0];
        const v = inner ? this.eval(inner) : unknown('splat');
        const spread = iterableItems(v);
        if (spread) items.push(...spread);
        else partial = true;
        if (isSequence(v) && v.partial) partial = true;
        continue;
      }
      items.push(this.evalElement(child));
    }
    return { kind, items, partial: partial || undefined, src };
  }

  /**
   * An element of a list or dict display. A required environment read inside a container
   * (`"PASSWORD": os.environ["DB_PASSWORD"]`) means the operator sets that one value: it becomes
   * an unknown element, and the rest of the container stays known for the rules.
   */
  private evalElement(node: SyntaxNode): Value {
    try {
      return this.eval(node);
    } catch (e) {
      if (!(e instanceof PyRaise) || e.envNames.length === 0) throw e;
      this.requireEnv(e.envNames);
      return unknown('required environment variable', { required: e.envNames, setType: e.setType, src: this.loc(node) });
    }
  }

  private evalDict(node: SyntaxNode, src: Location): Value {
    let dict: Extract<Value, { kind: 'dict' }> = { kind: 'dict', entries: [], src };
    for (const child of node.namedChildren) {
      if (!child || child.type === 'comment') continue;
      if (child.type === 'pair') {
        const k = child.childForFieldName('key');
        const v = child.childForFieldName('value');
        if (!k || !v) continue;
        const key = this.eval(k);
        if (key.kind === 'unknown') {
          dict = { ...dict, partial: true };
          continue;
        }
        dict = dictSet(dict, key, this.evalElement(v)) as typeof dict;
      } else if (child.type === 'dictionary_splat') {
        const inner = child.namedChildren[0];
        const v = inner ? this.eval(inner) : unknown('splat');
        if (v.kind === 'dict') {
          for (const e of v.entries) dict = dictSet(dict, e.key, e.value) as typeof dict;
          if (v.partial) dict = { ...dict, partial: true };
        } else dict = { ...dict, partial: true };
      }
    }
    dict.src = src;
    return dict;
  }

  private evalSubscript(node: SyntaxNode, src: Location): Value {
    const valueNode = node.childForFieldName('value');
    const keyNode = node.childForFieldName('subscript');
    if (!valueNode || !keyNode) return unknown('subscript', { src });
    const base = this.eval(valueNode);
    if (keyNode.type === 'slice') return unknown('slice', { src });
    const key = this.eval(keyNode);
    if (base.kind === 'builtin' && base.name === 'os.environ') return this.readEnvRequired(key, src);
    return subscriptValue(base, key, src);
  }

  /** `os.environ["X"]`: the process value if the settings set it, else KeyError (required). */
  readEnvRequired(key: Value, src: Location): Value {
    if (key.kind !== 'str') return unknown('environment read with unknown name', { src, setType: 'str' });
    this.ev.recordEnvRead(key.value);
    const set = this.ev.processEnv.get(key.value);
    if (set) return { ...set, src };
    throw new PyRaise('KeyError', [key.value], src, 'str');
  }

  /** `os.environ.get("X", d)`: d (or None) unless the settings set X themselves. */
  readEnvOptional(key: Value, fallback: Value | undefined, src: Location): Value {
    if (key.kind !== 'str') return unknown('environment read with unknown name', { src, setType: 'str' });
    this.ev.recordEnvRead(key.value);
    const set = this.ev.processEnv.get(key.value);
    if (set) return { ...set, src };
    const fv = fallback ?? { kind: 'none' as const };
    return { ...fv, src: fallback?.src ?? src, env: { names: [key.value], fallback: fallback?.src, setType: 'str' } };
  }

  private evalCall(node: SyntaxNode, src: Location): Value {
    const fnNode = node.childForFieldName('function');
    const argsNode = node.childForFieldName('arguments');
    if (!fnNode) return unknown('call', { src });
    const callee = this.eval(fnNode);
    const args: CallArgs = { positional: [], keywords: new Map(), nodes: [], keywordNodes: new Map(), starred: false };
    if (argsNode?.type === 'generator_expression') {
      args.positional.push(this.evalComprehension(argsNode, 'list', this.loc(argsNode)));
      args.nodes.push(argsNode);
    } else {
      for (const a of argsNode?.namedChildren ?? []) {
        if (!a || a.type === 'comment') continue;
        if (a.type === 'keyword_argument') {
          const name = a.childForFieldName('name')?.text;
          const value = a.childForFieldName('value');
          if (name && value) {
            args.keywords.set(name, this.eval(value));
            args.keywordNodes.set(name, value);
          }
        } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') {
          args.starred = true;
        } else {
          args.positional.push(this.eval(a));
          args.nodes.push(a);
        }
      }
    }
    if (callee.kind === 'function') {
      if (args.starred) return unknown('call with *args', { src });
      const result = this.ev.callFunction(callee, args, src);
      // A helper we could not follow; a required read it made stays required.
      if (result.kind === 'unknown' && !result.required) return envHeuristic(callee.fn.name, args, src) ?? result;
      return result;
    }
    if (callee.kind === 'builtin' || callee.kind === 'envreader' || callee.kind === 'module') return callBuiltin(this, callee, args, src, node);
    if (callee.kind === 'class') return (callee.cls && settingsInstance(this.ev, callee.cls, args)) ?? unknown(`instance of ${callee.name}`, { src });
    return unknown('call of unknown value', { src, required: callee.kind === 'unknown' ? callee.required : undefined });
  }

  private evalBoolOp(node: SyntaxNode, src: Location): Value {
    const l = node.childForFieldName('left');
    const r = node.childForFieldName('right');
    const op = node.childForFieldName('operator')?.type;
    if (!l || !r) return unknown('boolean operator', { src });
    const lv = this.eval(l);
    const t = truthy(lv);
    if (t === undefined) {
      const rv = this.eval(r);
      // `x or default` with x unknown stays unknown; `x and y` likewise.
      const rt = truthy(rv);
      if (op === 'and' && rt === false) return { ...rv, env: mergeEnv(typeOf(rv), lv, rv) };
      if (op === 'or' && rt === true) return unknown('depends on an undecided value', { src });
      return unknown('depends on an undecided value', { src });
    }
    if (op === 'and') return t ? withEnv(this.eval(r), lv) : lv;
    if (t) return lv;
    // `os.getenv("X") or "dev"`: the right operand is the fallback a finding underlines.
    const rv = this.eval(r);
    const merged = withEnv(rv, lv);
    return merged.env && !rv.env && lv.env ? { ...merged, env: { ...merged.env, fallback: rv.src } } : merged;
  }

  private evalComparison(node: SyntaxNode, src: Location): Value {
    const operands: SyntaxNode[] = [];
    const ops: string[] = [];
    for (let i = 0; i < node.childCount; i++) {
      const c = node.child(i);
      if (!c) continue;
      if (c.isNamed && c.type !== 'comment') operands.push(c);
      else if (!c.isNamed) ops.push(c.type);
    }
    let left = this.eval(operands[0]!);
    const all: Value[] = [left];
    let result: boolean | undefined = true;
    for (let i = 0; i < ops.length; i++) {
      const right = this.eval(operands[i + 1]!);
      all.push(right);
      const op = ops[i]!;
      let r: boolean | undefined;
      if ((op === 'in' || op === 'not in') && right.kind === 'builtin' && right.name === 'os.environ' && left.kind === 'str') {
        // `"X" in os.environ`: false in the production profile unless the settings set X.
        this.ev.recordEnvRead(left.value);
        const present = this.ev.processEnv.has(left.value);
        r = op === 'in' ? present : !present;
        all.push({ kind: 'bool', value: present, env: { names: [left.value], setType: 'bool' } });
      } else r = compare(op, left, right);
      if (r === false) {
        result = false;
        break;
      }
      if (r === undefined) result = undefined;
      left = right;
    }
    if (result === undefined) return unknown('comparison of unknown values', { src, setType: 'bool' });
    return { kind: 'bool', value: result, src, env: mergeEnv('bool', ...all) };
  }

  private evalComprehension(node: SyntaxNode, kind: 'list' | 'set', src: Location): Value {
    const body = node.childForFieldName('body');
    const clauses = node.namedChildren.filter((c): c is SyntaxNode => c?.type === 'for_in_clause' || c?.type === 'if_clause');
    if (!body) return unknown('comprehension', { src });
    const saved = this.locals;
    const scope: Scope = new Map(this.locals ?? []);
    // Comprehensions have their own scope; reads fall through to the enclosing one.
    this.locals = this.locals ? scope : new Map();
    const out: Value[] = [];
    let failed = false;
    let envFrom: Value | undefined;
    const run = (i: number): void => {
      if (failed) return;
      const clause = clauses[i];
      if (!clause) {
        out.push(this.eval(body));
        return;
      }
      if (clause.type === 'if_clause') {
        const cond = clause.namedChildren[0];
        const t = cond ? truthy(this.eval(cond)) : undefined;
        if (t === undefined) failed = true;
        else if (t) run(i + 1);
        return;
      }
      const left = clause.childForFieldName('left');
      const right = clause.childForFieldName('right');
      if (!left || !right) {
        failed = true;
        return;
      }
      const iter = this.eval(right);
      envFrom ??= iter.env ? iter : undefined;
      const items = iterableItems(iter);
      if (!items || items.length > MAX_LOOP_ITEMS) {
        failed = true;
        return;
      }
      for (const item of items) {
        this.assignTarget(left, item, clause, right);
        run(i + 1);
      }
    };
    try {
      run(0);
    } finally {
      this.locals = saved;
    }
    if (failed) return unknown('comprehension over unknown values', { src, setType: kind });
    return { kind, items: out, src, env: mergeEnv(kind, envFrom) };
  }
}

/**
 * Spec §0.2's last row: an unknown helper called like `get_env("DEBUG", True)` (callee name says
 * env/config/setting, first argument an UPPER_SNAKE literal) is treated as an env read whose
 * fallback is the second positional or `default=` argument.
 */
export function envHeuristic(callee: string, args: CallArgs, src: Location): Value | undefined {
  if (!/env|config|setting/i.test(callee)) return undefined;
  const first = args.positional[0];
  if (!first || first.kind !== 'str' || !/^[A-Z][A-Z0-9_]*$/.test(first.value)) return undefined;
  const fallback = args.keywords.get('default') ?? args.positional[1];
  if (!fallback || fallback.kind === 'unknown') return undefined;
  return { ...fallback, env: { names: [first.value], fallback: fallback.src, setType: 'unknown' } };
}

function withEnv(v: Value, from: Value): Value {
  if (!from.env) return v;
  return { ...v, env: mergeEnv(v.env?.setType ?? typeOf(v), v, from) };
}

/** Names bound by a statement (targets of assignments, imports, defs). */
export function assignedNames(stmt: SyntaxNode): string[] {
  const out: string[] = [];
  const expr = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : stmt;
  if (!expr) return out;
  const collect = (t: SyntaxNode | null) => {
    if (!t) return;
    if (t.type === 'identifier') out.push(t.text);
    else if (['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'expression_list'].includes(t.type))
      for (const c of t.namedChildren) collect(c);
    else if (t.type === 'subscript' || t.type === 'attribute') {
      let base: SyntaxNode | null = t;
      while (base && (base.type === 'subscript' || base.type === 'attribute')) base = base.childForFieldName(base.type === 'subscript' ? 'value' : 'object');
      if (base?.type === 'identifier') out.push(base.text);
    }
  };
  if (expr.type === 'assignment') {
    let cur: SyntaxNode | null = expr;
    while (cur && cur.type === 'assignment') {
      collect(cur.childForFieldName('left'));
      cur = cur.childForFieldName('right');
    }
  } else if (expr.type === 'augmented_assignment') collect(expr.childForFieldName('left'));
  else if (expr.type === 'call') {
    // MIDDLEWARE.append(...) mutates MIDDLEWARE.
    const fn = expr.childForFieldName('function');
    if (fn?.type === 'attribute') collect(fn.childForFieldName('object'));
  }
  return out;
}

function assignedNamesDeep(node: SyntaxNode): Set<string> {
  const names = new Set<string>();
  const visit = (n: SyntaxNode) => {
    if (n.type === 'expression_statement') for (const name of assignedNames(n)) names.add(name);
    if (n.type === 'for_statement') {
      const left = n.childForFieldName('left');
      if (left?.type === 'identifier') names.add(left.text);
    }
    if (n.type === 'function_definition' || n.type === 'class_definition') return;
    for (const c of n.namedChildren) if (c) visit(c);
  };
  visit(node);
  return names;
}

/** The operands of an `a and b and c` chain (the node itself when it is not one). */
function flattenAnd(node: SyntaxNode): SyntaxNode[] {
  if (node.type === 'parenthesized_expression' && node.namedChildren.length === 1) return flattenAnd(node.namedChildren[0]!);
  if (node.type === 'boolean_operator' && node.childForFieldName('operator')?.type === 'and') {
    const l = node.childForFieldName('left');
    const r = node.childForFieldName('right');
    if (l && r) return [...flattenAnd(l), ...flattenAnd(r)];
  }
  return [node];
}

function identifiersIn(node: SyntaxNode): Set<string> {
  const out = new Set<string>();
  const visit = (n: SyntaxNode) => {
    if (n.type === 'identifier') out.add(n.text);
    for (const c of n.namedChildren) if (c) visit(c);
  };
  visit(node);
  return out;
}

/** What two sides of an undecided branch leave for one name (undefined: unbound). */
function joinBindings(a: Binding | undefined, b: Binding | undefined): Binding | undefined {
  if (a && b) return a === b || pyEquals(a.value, b.value) === true ? a : { ...a, value: unknown('differs between branches of an undecided condition', { src: a.value.src }) };
  if (a) return a.value.kind === 'unknown' ? a : { ...a, value: unknown('set in only one branch of an undecided condition', { src: a.value.src }) };
  if (b) return { ...b, value: unknown('set in only one branch of an undecided condition', { src: b.value.src }) };
  return undefined;
}

/** Names an undecided side changed, with their bindings after it (undefined: unbound). */
type BranchSides = { then?: Map<string, Binding | undefined>; else?: Map<string, Binding | undefined> };

/** A point in a scope's history that code run after it can be undone to (see ScopeJournal). */
interface ScopeMark {
  changes(): Map<string, Binding | undefined>;
  original(name: string): Binding | undefined;
  undo(): void;
  close(): void;
}

function markScope(scope: Scope): ScopeMark {
  if (scope instanceof RecordingMap) return (scope as RecordingMap<Binding>).openJournal();
  // Function locals and class bodies: small maps that no statement record sees.
  const before = new Map(scope);
  return {
    changes() {
      const now = new Map<string, Binding | undefined>();
      for (const [k, v] of scope) if (before.get(k) !== v) now.set(k, v);
      for (const k of before.keys()) if (!scope.has(k)) now.set(k, undefined);
      return now;
    },
    original: (name) => before.get(name),
    undo() {
      scope.clear();
      for (const [k, v] of before) scope.set(k, v);
    },
    close() {},
  };
}

export function iterableItems(v: Value): Value[] | undefined {
  if (isSequence(v)) return v.partial ? undefined : v.items;
  if (v.kind === 'dict') return v.partial ? undefined : v.entries.map((e) => e.key);
  if (v.kind === 'str') return [...v.value].map((c) => ({ kind: 'str', value: c }) as Value);
  return undefined;
}

function subscriptValue(base: Value, key: Value, src: Location): Value {
  if (base.kind === 'dict') {
    const hit = dictGet(base, key);
    if (hit) return hit;
    return unknown(base.partial ? 'key of a partly known dict' : 'missing key', { src });
  }
  if ((isSequence(base) || base.kind === 'str') && key.kind === 'int') {
    const items = base.kind === 'str' ? [...base.value].map((c) => ({ kind: 'str', value: c }) as Value) : base.partial ? undefined : base.items;
    if (!items) return unknown('index of a partly known list', { src });
    const i = key.value < 0 ? items.length + key.value : key.value;
    const item = items[i];
    return item ? { ...item, env: mergeEnv(typeOf(item), item, base) ?? item.env } : unknown('index out of range', { src });
  }
  return unknown('subscript', { src });
}

function setPath(root: Value, keys: Value[], value: Value): Value {
  if (keys.length === 0) return value;
  const [key, ...rest] = keys;
  if (root.kind === 'dict' && key!.kind !== 'unknown') {
    const child = dictGet(root, key!) ?? { kind: 'dict' as const, entries: [] };
    return dictSet(root, key!, setPath(child, rest, value));
  }
  if (root.kind === 'list' && key!.kind === 'int' && !root.partial) {
    const items = root.items.slice();
    const i = key!.value < 0 ? items.length + key!.value : key!.value;
    if (i >= 0 && i < items.length) items[i] = setPath(items[i]!, rest, value);
    return { ...root, items };
  }
  if (root.kind === 'dict') return { ...root, partial: true };
  return unknown('assignment into an unknown container');
}

/** repr(v) for known scalars; undefined otherwise. */
export function pyReprText(v: Value): string | undefined {
  if (v.kind !== 'str') return v.kind === 'path' ? `PosixPath('${v.value}')` : pyStr(v);
  const q = v.value.includes("'") && !v.value.includes('"') ? '"' : "'";
  const body = v.value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q;
}

/** `"%s:%d" % (a, b)` and `"%(name)s" % mapping` with plain conversions; undefined otherwise. */
function percentFormat(template: string, arg: Value): string | undefined {
  const positional = arg.kind === 'tuple' ? (arg.partial ? undefined : arg.items) : [arg];
  let i = 0;
  let failed = false;
  const out = template.replace(/%(\(([^)]*)\))?([sdir%])/g, (_m, _g, key: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    let v: Value | undefined;
    if (key !== undefined) v = arg.kind === 'dict' ? dictGet(arg, { kind: 'str', value: key }) : undefined;
    else v = positional?.[i++];
    const text = !v ? undefined : conv === 'r' ? pyReprText(v) : conv === 's' ? pyStr(v) : v.kind === 'int' || v.kind === 'bool' ? String(Number(v.value)) : v.kind === 'float' ? String(Math.trunc(v.value)) : undefined;
    if (text === undefined) failed = true;
    return text ?? '';
  });
  if (failed || /%[^%]/.test(template.replace(/%(\([^)]*\))?[sdir%]/g, ''))) return undefined;
  if (positional && !template.includes('%(') && i !== positional.length) return undefined;
  return out;
}

/** `"{}:{port}".format(host, port=1)` with plain fields (no conversions or format specs). */
export function braceFormat(template: string, args: Value[], keywords: Map<string, Value>): string | undefined {
  let auto = 0;
  let failed = false;
  const out = template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (m, field: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    let v: Value | undefined;
    if (field === '' || field === undefined) v = args[auto++];
    else if (/^\d+$/.test(field)) v = args[Number(field)];
    else if (/^[A-Za-z_]\w*$/.test(field)) v = keywords.get(field);
    const text = v ? pyStr(v) : undefined;
    if (text === undefined) failed = true;
    return text ?? '';
  });
  return failed ? undefined : out;
}

/** str(v) for known scalars; undefined otherwise. */
export function pyStr(v: Value): string | undefined {
  switch (v.kind) {
    case 'str':
    case 'path':
      return v.value;
    case 'int':
      return String(v.value);
    case 'float':
      return Number.isInteger(v.value) ? v.value.toFixed(1) : String(v.value);
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'none':
      return 'None';
    default:
      return undefined;
  }
}

function compare(op: string, a: Value, b: Value): boolean | undefined {
  switch (op) {
    case '==':
      return pyEquals(a, b);
    case '!=': {
      const eq = pyEquals(a, b);
      return eq === undefined ? undefined : !eq;
    }
    case 'in':
      return pyContains(b, a);
    case 'not in': {
      const c = pyContains(b, a);
      return c === undefined ? undefined : !c;
    }
    case 'is':
    case 'is not': {
      let same: boolean | undefined;
      if (a.kind === 'unknown' || b.kind === 'unknown') same = undefined;
      else if (a.kind === 'none' || b.kind === 'none') same = a.kind === b.kind;
      else if (a.kind === 'bool' && b.kind === 'bool') same = a.value === b.value;
      else if (a.kind === 'bool' || b.kind === 'bool') same = false;
      else same = undefined;
      if (same === undefined) return undefined;
      return op === 'is' ? same : !same;
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const na = a.kind === 'int' || a.kind === 'float' ? a.value : a.kind === 'bool' ? Number(a.value) : undefined;
      const nb = b.kind === 'int' || b.kind === 'float' ? b.value : b.kind === 'bool' ? Number(b.value) : undefined;
      let x: number | string | undefined = na;
      let y: number | string | undefined = nb;
      if (a.kind === 'str' && b.kind === 'str') {
        x = a.value;
        y = b.value;
      }
      if (x === undefined || y === undefined) return undefined;
      return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
    }
    default:
      return undefined;
  }
}

export function binaryOp(op: string, a: Value, b: Value, src: Location): Value {
  const env = (t: PyType) => mergeEnv(t, a, b);
  if (a.kind === 'unknown' || b.kind === 'unknown') {
    return unknown('operation on an unknown value', { src, required: a.kind === 'unknown' ? a.required : b.kind === 'unknown' ? b.required : undefined });
  }
  const num = (v: Value) => (v.kind === 'int' || v.kind === 'float' ? v.value : v.kind === 'bool' ? Number(v.value) : undefined);
  const na = num(a);
  const nb = num(b);
  if (na !== undefined && nb !== undefined) {
    const isFloat = a.kind === 'float' || b.kind === 'float';
    let r: number | undefined;
    let kind: 'int' | 'float' = isFloat ? 'float' : 'int';
    switch (op) {
      case '+': r = na + nb; break;
      case '-': r = na - nb; break;
      case '*': r = na * nb; break;
      case '/': r = nb === 0 ? undefined : na / nb; kind = 'float'; break;
      case '//': r = nb === 0 ? undefined : Math.floor(na / nb); break;
      case '%': r = nb === 0 ? undefined : ((na % nb) + nb) % nb; break;
      case '**': r = na ** nb; break;
      case '|': r = na | nb; break;
      case '&': r = na & nb; break;
      case '<<': r = na << nb; break;
      case '>>': r = na >> nb; break;
    }
    if (r === undefined) return unknown('arithmetic error', { src });
    return { kind, value: r, src, env: env(kind) };
  }
  if (op === '+' && a.kind === 'str' && b.kind === 'str') return { kind: 'str', value: a.value + b.value, src, env: env('str') };
  if (op === '+' && isSequence(a) && isSequence(b) && a.kind === b.kind) {
    return { kind: a.kind, items: [...a.items, ...b.items], partial: a.partial || b.partial || undefined, src: a.src ?? src, env: env(a.kind) };
  }
  if (op === '*' && (isSequence(a) || a.kind === 'str') && b.kind === 'int') {
    if (a.kind === 'str') return { kind: 'str', value: a.value.repeat(Math.max(0, b.value)), src, env: env('str') };
    if (b.value > MAX_LOOP_ITEMS) return unknown('large repetition', { src });
    const items: Value[] = [];
    for (let i = 0; i < b.value; i++) items.push(...a.items);
    return { kind: a.kind, items, partial: a.partial, src, env: env(a.kind) };
  }
  if (op === '/' && (a.kind === 'path') && (b.kind === 'str' || b.kind === 'path')) {
    return { kind: 'path', value: joinPath(a.value, b.value), src, env: env('path') };
  }
  if (op === '|' && a.kind === 'dict' && b.kind === 'dict') {
    let d: Value = a;
    for (const e of b.entries) d = dictSet(d as Extract<Value, { kind: 'dict' }>, e.key, e.value);
    return { ...d, src, env: env('dict') };
  }
  if (op === '%' && a.kind === 'str') {
    const text = percentFormat(a.value, b);
    return text === undefined ? unknown('%-formatting', { src, setType: 'str' }) : { kind: 'str', value: text, src, env: env('str') };
  }
  return unknown(`operator ${op}`, { src });
}

export function joinPath(base: string, part: string): string {
  if (part.startsWith('/')) return part;
  if (base === '' ) return part;
  return normalizePath(base.endsWith('/') ? base + part : `${base}/${part}`);
}

export function normalizePath(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
      continue;
    }
    out.push(seg);
  }
  return (abs ? '/' : '') + out.join('/') || (abs ? '/' : '.');
}
