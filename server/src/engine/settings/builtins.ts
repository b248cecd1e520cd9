import { readingOtherModule } from './statementMemo';
// The library functions settings modules call, modelled for the production profile: environment
// readers (os, django-environ, python-decouple, dj-database-url), the parsers env text goes
// through (json, ast.literal_eval, strtobool), pydantic's config dicts, django-split-settings,
// django-configurations values, str/list/dict methods, pathlib and os.path. Anything not listed
// evaluates to unknown.
import type { SyntaxNode } from '../parsing/syntax';
import type { Location } from '../types';
import { type Frame, PyRaise, braceFormat, classAttr, envHeuristic, iterableItems, joinPath, normalizePath, pyStr } from './evaluator';
import {
  type PyType,
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

export interface CallArgs {
  positional: Value[];
  keywords: Map<string, Value>;
  nodes: SyntaxNode[];
  keywordNodes: Map<string, SyntaxNode>;
  starred: boolean;
}

const STR_METHODS = new Set([
  // pydantic's SecretStr is transparent: its value is the string.
  'get_secret_value',
  'lower', 'upper', 'strip', 'lstrip', 'rstrip', 'split', 'rsplit', 'startswith', 'endswith', 'replace', 'join',
  'casefold', 'title', 'capitalize', 'isdigit', 'format', 'splitlines', 'removeprefix', 'removesuffix', 'encode',
]);
const LIST_METHODS = new Set(['append', 'extend', 'insert', 'remove', 'pop', 'index', 'count', 'copy', 'clear', 'sort', 'reverse']);
const DICT_METHODS = new Set(['get', 'update', 'setdefault', 'copy', 'keys', 'values', 'items', 'pop', 'clear']);
const ENV_READER_METHODS = new Set(['str', 'bool', 'int', 'float', 'list', 'tuple', 'dict', 'json', 'url', 'path', 'db', 'db_url', 'cache', 'cache_url', 'email', 'email_url', 'search_url', 'read_env', 'NOTSET', 'parse_value']);

/**
 * A name from a library module (`sys.argv`, `os.getenv`): the value we model for the production
 * process, else an opaque library name that calls can be modelled on.
 */
export function libraryValue(name: string, src?: Location): Value {
  // Production runs a WSGI/ASGI server, neither manage.py nor a test runner: `"test" in
  // sys.argv` and `sys.argv[0].endswith("pytest")` are False.
  if (name === 'sys.argv') return { kind: 'list', items: [{ kind: 'str', value: 'gunicorn' }], src };
  return { kind: 'builtin', name };
}

/** Value of `obj.attr`. */
export function attributeOf(frame: Frame, obj: Value, attr: string, src: Location): Value {
  switch (obj.kind) {
    case 'module': {
      const namespace = (obj.path !== undefined ? frame.ev.loadedScope(obj.path) : undefined) ?? obj.namespace;
      if (namespace) {
        const hit = namespace.get(attr);
        if (hit) return hit.value;
        return unknown(`${obj.name}.${attr}`, { src });
      }
      return libraryValue(`${obj.name}.${attr}`, src);
    }
    case 'builtin':
      if (obj.bound) return unknown(`${obj.name}.${attr}`, { src });
      return { kind: 'builtin', name: `${obj.name}.${attr}` };
    case 'path':
      if (attr === 'parent') return { kind: 'path', value: normalizePath(joinPath(obj.value, '..')), src, env: obj.env };
      if (attr === 'name') return { kind: 'str', value: obj.value.split('/').pop() ?? '', src };
      return { kind: 'builtin', name: `path.${attr}`, bound: obj };
    case 'str':
      if (STR_METHODS.has(attr)) return { kind: 'builtin', name: `str.${attr}`, bound: obj };
      return unknown(`str.${attr}`, { src });
    case 'list':
    case 'tuple':
    case 'set':
      if (LIST_METHODS.has(attr) || attr === 'add' || attr === 'discard') return { kind: 'builtin', name: `list.${attr}`, bound: obj };
      return unknown(`${obj.kind}.${attr}`, { src });
    case 'dict':
      if (DICT_METHODS.has(attr)) return { kind: 'builtin', name: `dict.${attr}`, bound: obj };
      return unknown(`dict.${attr}`, { src });
    case 'envreader':
      if (ENV_READER_METHODS.has(attr)) return { kind: 'builtin', name: `environ.Env.${attr}`, bound: obj };
      return unknown(`Env.${attr}`, { src });
    case 'class': {
      const hit = obj.cls ? classAttr(obj.cls, attr) : undefined;
      return hit ? hit.value : unknown(`${obj.name}.${attr}`, { src });
    }
    case 'instance': {
      const hit = obj.attrs.get(attr) ?? classAttr(obj.cls, attr);
      // Methods would need `self`; properties run code we do not follow.
      return hit && hit.value.kind !== 'function' ? hit.value : unknown(`${obj.cls.name}.${attr}`, { src });
    }
    case 'unknown':
      return unknown(`attribute of unknown value`, { src, required: obj.required });
    default:
      return unknown(`attribute ${attr}`, { src });
  }
}

/**
 * A conversion that fails on its input. When the input is an environment fallback, the failure
 * happens only while the variable is unset: the read is required (spec §0.1 REQ), like KeyError.
 */
function parseError(type: string, input: Value, src: Location): PyRaise {
  return new PyRaise(type, input.env?.names ?? [], src);
}

function arg(args: CallArgs, index: number, keyword?: string): Value | undefined {
  return (keyword ? args.keywords.get(keyword) : undefined) ?? args.positional[index];
}

function withType(v: Value, setType: PyType, ...from: (Value | undefined)[]): Value {
  const env = mergeEnv(setType, ...from);
  return env ? { ...v, env } : v;
}

/** Call a modelled library function or method. */
export function callBuiltin(frame: Frame, callee: Value, args: CallArgs, src: Location, node: SyntaxNode): Value {
  if (callee.kind === 'envreader') return envReaderGet(frame, callee, 'raw', args, src);
  if (callee.kind === 'module') return unknown(`call of module ${callee.name}`, { src });
  if (callee.kind !== 'builtin') return unknown('call', { src });
  const name = callee.name;
  const bound = callee.bound;

  if (bound) {
    if (name.startsWith('str.') && bound.kind === 'str') return strMethod(name.slice(4), bound, args, src);
    if (name.startsWith('list.') && isSequence(bound)) return listMethod(frame, name.slice(5), bound, args, src, node);
    if (name.startsWith('dict.') && bound.kind === 'dict') return dictMethod(frame, name.slice(5), bound, args, src, node);
    if (name.startsWith('path.') && bound.kind === 'path') return pathMethod(name.slice(5), bound, args, src);
    if (name.startsWith('environ.Env.') && bound.kind === 'envreader') return envReaderGet(frame, bound, name.slice('environ.Env.'.length), args, src);
    return unknown(name, { src });
  }

  switch (name) {
    case 'os.getenv':
    case 'os.environ.get':
    case 'os.environ.pop':
      return frame.readEnvOptional(arg(args, 0, 'key') ?? unknown('no key'), arg(args, 1, 'default'), src);
    case 'os.environ.setdefault': {
      const key = arg(args, 0, 'key');
      const value = arg(args, 1, 'default') ?? NONE;
      if (key?.kind !== 'str') return unknown('setdefault with unknown name', { src });
      frame.ev.recordEnvRead(key.value);
      const existing = frame.ev.processEnv.get(key.value);
      if (existing) return existing;
      // Only a default: when the operator sets the variable, later reads see their text.
      const fallback: Value = { ...value, src: value.src ?? src, env: { names: [key.value], fallback: value.src, setType: 'str' } };
      frame.ev.processEnv.set(key.value, fallback);
      return fallback;
    }
    case 'os.environ.__getitem__':
      return frame.readEnvRequired(arg(args, 0) ?? unknown('no key'), src);
    case 'os.environ.__contains__': {
      const key = arg(args, 0);
      if (key?.kind !== 'str') return unknown('contains', { src, setType: 'bool' });
      frame.ev.recordEnvRead(key.value);
      return { kind: 'bool', value: frame.ev.processEnv.has(key.value), src, env: { names: [key.value], setType: 'bool' } };
    }
    case 'os.environ.copy':
    case 'os.environ.keys':
    case 'os.environ.items':
      return unknown('environment copy', { src });
    case 'builtins.bool': {
      const v = args.positional[0];
      if (!v) return { kind: 'bool', value: false, src };
      const t = truthy(v);
      return t === undefined ? unknown('bool of unknown', { src, setType: 'bool' }) : withType({ kind: 'bool', value: t, src }, 'bool', v);
    }
    case 'builtins.int':
    case 'builtins.float': {
      const v = args.positional[0];
      if (!v) return { kind: name === 'builtins.int' ? 'int' : 'float', value: 0, src };
      const kind = name === 'builtins.int' ? 'int' : 'float';
      let n: number | undefined;
      if (v.kind === 'int' || v.kind === 'float') n = kind === 'int' ? Math.trunc(v.value) : v.value;
      else if (v.kind === 'bool') n = Number(v.value);
      else if (v.kind === 'str') {
        const t = v.value.trim().replace(/_/g, '');
        if (kind === 'int' && /^[+-]?\d+$/.test(t)) n = parseInt(t, 10);
        else if (kind === 'float' && t !== '' && !Number.isNaN(Number(t))) n = Number(t);
        else throw parseError('ValueError', v, src);
      } else if (v.kind === 'none') throw parseError('TypeError', v, src);
      if (n === undefined) return unknown(`${kind} of unknown`, { src, setType: kind });
      return withType({ kind, value: n, src }, kind, v);
    }
    case 'builtins.str': {
      const v = args.positional[0];
      if (!v) return { kind: 'str', value: '', src };
      const s = pyStr(v);
      return s === undefined ? unknown('str of unknown', { src, setType: 'str' }) : withType({ kind: 'str', value: s, src }, 'str', v);
    }
    case 'builtins.list':
    case 'builtins.tuple':
    case 'builtins.set':
    case 'builtins.sorted':
    case 'builtins.frozenset': {
      const kind = name === 'builtins.tuple' ? 'tuple' : name === 'builtins.set' || name === 'builtins.frozenset' ? 'set' : 'list';
      const v = args.positional[0];
      if (!v) return { kind, items: [], src };
      const items = iterableItems(v);
      if (!items) return unknown(`${kind} of unknown`, { src, setType: kind });
      return withType({ kind, items, src }, kind, v);
    }
    case 'builtins.len': {
      const v = args.positional[0];
      const items = v && v.kind !== 'str' ? iterableItems(v) : undefined;
      if (v?.kind === 'str') return { kind: 'int', value: v.value.length, src };
      return items ? { kind: 'int', value: items.length, src } : unknown('len of unknown', { src });
    }
    case 'builtins.dict': {
      let d: Value = { kind: 'dict', entries: [], src };
      const base = args.positional[0];
      if (base?.kind === 'dict') d = { ...base, src };
      else if (base) return unknown('dict of unknown', { src });
      for (const [k, v] of args.keywords) d = dictSet(d as Extract<Value, { kind: 'dict' }>, { kind: 'str', value: k }, v);
      return d;
    }
    case 'builtins.any':
    case 'builtins.all': {
      const items = args.positional[0] ? iterableItems(args.positional[0]) : undefined;
      if (!items) return unknown(name, { src });
      const ts = items.map(truthy);
      if (ts.includes(undefined)) return unknown(name, { src });
      return { kind: 'bool', value: name === 'builtins.any' ? ts.includes(true) : !ts.includes(false), src };
    }
    case 'builtins.print':
      return NONE;
    case 'builtins.globals':
    case 'builtins.vars':
    case 'builtins.locals':
      return { kind: 'builtin', name: 'dynamic-namespace' };
    case 'builtins.exec':
    case 'builtins.eval':
      frame.ev.note('dynamic', 'code executed dynamically may define any setting', src);
      return unknown('exec', { src });
    case 'dynamic-namespace.update':
    case 'dynamic-namespace.setdefault':
    case 'dynamic-namespace.__setitem__':
    case 'dynaconf.DjangoDynaconf':
    case 'dynaconf.contrib.DjangoDynaconf':
      frame.ev.note('dynamic', 'settings defined dynamically may define any setting', src);
      return unknown(name, { src });
    case 'json.loads':
    case 'ast.literal_eval': {
      const v = args.positional[0];
      if (v?.kind !== 'str') return unknown(name, { src, required: v?.kind === 'unknown' ? v.required : undefined });
      const parsed = name === 'json.loads' ? parseJson(v.value) : parsePythonLiteral(v.value);
      if (parsed === 'error') throw parseError('ValueError', v, src);
      // What the variable parses to once set depends on its text.
      return parsed ? withType({ ...parsed, src }, 'unknown', v) : unknown(name, { src });
    }
    case 'distutils.util.strtobool':
    case 'setuptools._distutils.util.strtobool':
    case 'str2bool.str2bool': {
      const v = args.positional[0];
      if (v?.kind === 'unknown' || !v) return unknown('strtobool of unknown', { src, setType: 'int', required: v?.required });
      if (v.kind !== 'str') throw parseError('AttributeError', v, src);
      const t = STRTOBOOL[v.value.toLowerCase()];
      if (t === undefined) throw parseError('ValueError', v, src);
      return withType({ kind: 'int', value: t, src }, 'int', v);
    }
    case 'pydantic.ConfigDict':
    case 'pydantic_settings.SettingsConfigDict': {
      let d: Value = { kind: 'dict', entries: [], src };
      for (const [k, v] of args.keywords) d = dictSet(d as Extract<Value, { kind: 'dict' }>, { kind: 'str', value: k }, v);
      return d;
    }
    case 'split_settings.tools.include':
      return frame.includeFiles(args, src);
    case 'split_settings.tools.optional':
      return { kind: 'builtin', name: 'split_settings.optional', bound: args.positional[0] ?? NONE };
    case 'sys.exit':
      throw new PyRaise('SystemExit', [], src);
    case 'sys.path.append':
    case 'sys.path.insert': {
      // Changes how later imports resolve, which no statement record can describe.
      readingOtherModule();
      const dir = name === 'sys.path.insert' ? args.positional[1] : args.positional[0];
      if (dir?.kind === 'str' || dir?.kind === 'path') frame.ev.addSysPath(dir.value);
      return NONE;
    }
    case 'pathlib.Path':
    case 'pathlib.PurePath':
    case 'pathlib.PosixPath': {
      let p = '';
      for (const a of args.positional) {
        const s = a.kind === 'str' || a.kind === 'path' ? a.value : undefined;
        if (s === undefined) return unknown('path of unknown', { src, setType: 'path' });
        p = p === '' ? s : joinPath(p, s);
      }
      return withType({ kind: 'path', value: p === '' ? '.' : normalizePath(p), src }, 'path', ...args.positional);
    }
    case 'os.path.join': {
      let p: string | undefined;
      for (const a of args.positional) {
        const s = a.kind === 'str' || a.kind === 'path' ? a.value : undefined;
        if (s === undefined) return unknown('path of unknown', { src, setType: 'str' });
        p = p === undefined ? s : joinPath(p, s);
      }
      return withType({ kind: 'str', value: p ?? '', src }, 'str', ...args.positional);
    }
    case 'os.path.dirname':
    case 'os.path.abspath':
    case 'os.path.realpath':
    case 'os.path.normpath':
    case 'os.path.basename': {
      const a = args.positional[0];
      const s = a?.kind === 'str' || a?.kind === 'path' ? a.value : undefined;
      if (s === undefined) return unknown('path of unknown', { src });
      const value =
        name === 'os.path.dirname' ? normalizePath(joinPath(s, '..')) : name === 'os.path.basename' ? (s.split('/').pop() ?? '') : normalizePath(s);
      return { kind: 'str', value, src };
    }
    case 'environ.Env':
    case 'environ.environ.Env': {
      const schemes = new Map<string, { cast?: string; default?: Value }>();
      for (const [k, v] of args.keywords) {
        if (v.kind === 'tuple' && v.items.length >= 1) schemes.set(k, { cast: castName(v.items[0]!), default: v.items[1] });
        else schemes.set(k, { cast: castName(v) });
      }
      return { kind: 'envreader', schemes, src };
    }
    case 'environ.Env.read_env':
    case 'environ.environ.Env.read_env':
    case 'dotenv.load_dotenv':
    case 'dotenv.read_dotenv':
      return NONE;
    case 'decouple.config':
      return decoupleConfig(frame, args, src);
    case 'decouple.Csv':
      return { kind: 'builtin', name: 'decouple.Csv()', bound: { kind: 'dict', entries: [] } };
    case 'dj_database_url.config': {
      const varName = arg(args, 0, 'env');
      const name = varName?.kind === 'str' ? varName.value : 'DATABASE_URL';
      frame.ev.recordEnvRead(name);
      const set = frame.ev.processEnv.get(name);
      if (set?.kind === 'unknown') return { ...set, setType: 'dict' };
      const def = set ?? args.keywords.get('default');
      if (!def || def.kind === 'none') return withEnvNames({ kind: 'dict', entries: [], src }, [name], undefined, 'dict');
      if (def.kind !== 'str') return unknown('database URL', { src });
      const parsed = parseDatabaseUrl(def.value, args, src);
      return set ? parsed : withEnvNames(parsed, [name], def.src, 'dict');
    }
    case 'dj_database_url.parse': {
      const url = args.positional[0];
      if (url?.kind !== 'str') return unknown('database URL', { src, required: url?.kind === 'unknown' ? url.required : undefined });
      return withType(parseDatabaseUrl(url.value, args, src), 'dict', url);
    }
    case 'django.core.management.utils.get_random_secret_key':
    case 'secrets.token_urlsafe':
    case 'secrets.token_hex':
    case 'secrets.token_bytes':
    case 'os.urandom':
    case 'uuid.uuid4':
      return unknown('random value generated at import', { src, setType: 'str' });
    default:
      if (name.startsWith('warnings.') || name.startsWith('logging.')) return NONE;
      if (/^configurations\.values\.\w+$/.test(name)) return configurationsValue(name, args, src);
      // A library helper we do not model may still be an env reader (spec §0.2, last row).
      return envHeuristic(name.split('.').pop()!, args, src) ?? unknown(`call of ${name}`, { src });
  }
}

/**
 * django-configurations `values.BooleanValue(True, environ_prefix=...)` in a class body. Its
 * variable name comes from the attribute it is assigned to, so the call is kept as a marker
 * (the class name, the default and the options) until the configuration class is flattened.
 */
function configurationsValue(name: string, args: CallArgs, src: Location): Value {
  let options: Value = { kind: 'dict', entries: [], src };
  const def = args.keywords.get('default') ?? args.positional[0];
  if (def) options = dictSet(options as Extract<Value, { kind: 'dict' }>, { kind: 'str', value: 'default' }, def);
  for (const [k, v] of args.keywords) if (k !== 'default') options = dictSet(options as Extract<Value, { kind: 'dict' }>, { kind: 'str', value: k }, v);
  return { kind: 'builtin', name: `${name}()`, bound: options, src };
}

const STRTOBOOL: Record<string, number> = { y: 1, yes: 1, t: 1, true: 1, on: 1, '1': 1, n: 0, no: 0, f: 0, false: 0, off: 0, '0': 0 };

/** JSON text → value; 'error' when json.loads would raise. */
function parseJson(text: string): Value | 'error' {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'error';
  }
  return fromJs(parsed);
}

function fromJs(v: unknown): Value {
  if (v === null) return NONE;
  if (typeof v === 'boolean') return { kind: 'bool', value: v };
  if (typeof v === 'number') return { kind: Number.isInteger(v) ? 'int' : 'float', value: v };
  if (typeof v === 'string') return { kind: 'str', value: v };
  if (Array.isArray(v)) return { kind: 'list', items: v.map(fromJs) };
  if (typeof v === 'object') return { kind: 'dict', entries: Object.entries(v as object).map(([k, x]) => ({ key: { kind: 'str', value: k } as Value, value: fromJs(x) })) };
  return unknown('json value');
}

/**
 * `ast.literal_eval` of scalar text: True/False/None, numbers, quoted strings. A bare word raises
 * ValueError (`literal_eval("false")`); anything richer is left unknown.
 */
function parsePythonLiteral(text: string): Value | 'error' | undefined {
  const t = text.trim();
  if (t === 'True' || t === 'False') return { kind: 'bool', value: t === 'True' };
  if (t === 'None') return NONE;
  if (/^[+-]?\d+$/.test(t)) return { kind: 'int', value: Number(t) };
  if (/^[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return { kind: 'float', value: Number(t) };
  const quoted = /^(['"])([^'"\\]*)\1$/.exec(t);
  if (quoted) return { kind: 'str', value: quoted[2]! };
  if (/^[A-Za-z_]\w*$/.test(t) || t === '') return 'error';
  return undefined;
}

function withEnvNames(v: Value, names: string[], fallback: Location | undefined, setType: PyType): Value {
  return { ...v, env: { names, fallback, setType } };
}

function castName(v: Value): string | undefined {
  if (v.kind === 'builtin') return v.name.replace(/^builtins\./, '');
  if (v.kind === 'list') return 'list';
  if (v.kind === 'tuple') return 'tuple';
  if (v.kind === 'dict') return 'dict';
  return undefined;
}

const CAST_TYPES: Record<string, PyType> = { bool: 'bool', int: 'int', float: 'float', str: 'str', list: 'list', tuple: 'tuple', set: 'set', dict: 'dict', json: 'unknown', url: 'unknown', path: 'path' };

const URL_VARIABLES: Record<string, string> = { db: 'DATABASE_URL', db_url: 'DATABASE_URL', cache: 'CACHE_URL', cache_url: 'CACHE_URL', email: 'EMAIL_URL', email_url: 'EMAIL_URL', search_url: 'SEARCH_URL' };

/** `env.NOTSET` / `environ.Env.NOTSET`: django-environ's "no default" marker. */
function isNotSet(v: Value | undefined): boolean {
  return v?.kind === 'builtin' && v.name.endsWith('.NOTSET');
}

/**
 * django-environ reads: `env("X")`, `env.bool("X", default=...)`, `env.db(...)`. When unset the
 * default is returned as written (no cast: `parse_default` is off by default), a scheme default
 * from `Env(X=(bool, False))` applies, and without either the read raises ImproperlyConfigured.
 * Once set, the value is cast by the method, the `cast=` argument, the scheme or (smart cast, on
 * by default) the type of the default.
 */
function envReaderGet(frame: Frame, reader: Extract<Value, { kind: 'envreader' }>, method: string, args: CallArgs, src: Location): Value {
  if (method === 'read_env' || method === 'parse_value') return NONE;
  if (method === 'NOTSET') return unknown('NOTSET', { src });
  const first = arg(args, 0, 'var');
  const varName = first?.kind === 'str' ? first.value : URL_VARIABLES[method];
  if (!varName) return unknown('environment read with unknown name', { src });
  frame.ev.recordEnvRead(varName);
  const set = frame.ev.processEnv.get(varName);
  const scheme = reader.schemes.get(varName);
  const defaultArg = args.keywords.get('default') ?? args.positional[1];
  const fallback = isNotSet(defaultArg) ? undefined : (defaultArg ?? scheme?.default);
  const isUrl = method in URL_VARIABLES;
  let cast = method === 'raw' ? (castName(args.keywords.get('cast') ?? NONE) ?? scheme?.cast) : method;
  if (!cast && fallback && fallback.kind !== 'none') cast = typeOf(fallback);
  const setType: PyType = (cast ? CAST_TYPES[cast] : undefined) ?? (isUrl ? 'dict' : 'str');
  if (set) return { ...set, src };
  if (!fallback) throw new PyRaise('ImproperlyConfigured', [varName], src, setType);
  if (isUrl) {
    if (fallback.kind !== 'str') return unknown('URL default', { src });
    const parsed = method.startsWith('db') ? parseDatabaseUrl(fallback.value, args, src) : method.startsWith('cache') ? parseCacheUrl(fallback.value, src) : unknown('URL config', { src });
    return withEnvNames(parsed, [varName], fallback.src, 'dict');
  }
  return { ...fallback, src: fallback.src ?? src, env: { names: [varName], fallback: fallback.src, setType } };
}

const CACHE_BACKENDS: Record<string, string> = {
  dbcache: 'django.core.cache.backends.db.DatabaseCache',
  dummycache: 'django.core.cache.backends.dummy.DummyCache',
  filecache: 'django.core.cache.backends.filebased.FileBasedCache',
  locmemcache: 'django.core.cache.backends.locmem.LocMemCache',
  pymemcache: 'django.core.cache.backends.memcached.PyMemcacheCache',
  pylibmc: 'django.core.cache.backends.memcached.PyLibMCCache',
};

/**
 * django-environ CACHE_URL → CACHES entry. The redis backend depends on which client library is
 * installed (django-redis or Django's own), so it stays unknown; LOCATION is still known.
 */
export function parseCacheUrl(url: string, src: Location): Value {
  const m = /^([a-z0-9+.-]+):\/\/(.*)$/i.exec(url);
  if (!m) return unknown('cache URL', { src });
  const scheme = m[1]!.toLowerCase();
  const rest = m[2]!;
  const s = (v: string): Value => ({ kind: 'str', value: v });
  if (scheme === 'redis' || scheme === 'rediss' || scheme === 'rediscache') {
    const location = `${scheme === 'rediscache' ? 'redis' : scheme}://${rest}`;
    return { kind: 'dict', entries: [{ key: s('BACKEND'), value: unknown('redis backend depends on the installed client') }, { key: s('LOCATION'), value: s(location) }], src };
  }
  const backend = CACHE_BACKENDS[scheme];
  if (!backend) return unknown('cache URL scheme', { src });
  const entries: { key: Value; value: Value }[] = [{ key: s('BACKEND'), value: s(backend) }];
  const location = scheme === 'filecache' ? `/${rest.replace(/^\/+/, '')}` : rest.split('?')[0]!;
  if (location !== '' && location !== '/') entries.push({ key: s('LOCATION'), value: s(location) });
  return { kind: 'dict', entries, src };
}

const DECOUPLE_BOOLEANS: Record<string, boolean> = { '1': true, yes: true, true: true, on: true, '0': false, no: false, false: false, off: false, '': false };

/** python-decouple `config("X", default=..., cast=...)`: the cast applies to the default too. */
function decoupleConfig(frame: Frame, args: CallArgs, src: Location): Value {
  const key = arg(args, 0, 'option');
  if (key?.kind !== 'str') return unknown('config with unknown name', { src });
  frame.ev.recordEnvRead(key.value);
  const cast = args.keywords.get('cast') ?? args.positional[2];
  const castId: string = !cast ? 'none' : cast.kind === 'builtin' ? cast.name : 'custom';
  const castType: PyType = { none: 'str', 'builtins.bool': 'bool', 'builtins.int': 'int', 'builtins.float': 'float', 'decouple.Csv()': 'list' }[castId] as PyType | undefined ?? 'unknown';
  const set = frame.ev.processEnv.get(key.value);
  if (set?.kind === 'unknown') return { ...set, setType: castType };
  const def = set ?? args.keywords.get('default') ?? args.positional[1];
  if (!def) throw new PyRaise('UndefinedValueError', [key.value], src, castType);
  const env = (setType: PyType) => (set ? undefined : { names: [key.value], fallback: def.src, setType });
  if (!cast) return { ...def, src: def.src ?? src, env: env('str') };
  if (castId === 'builtins.bool') {
    const s = pyStr(def);
    if (s === undefined) return unknown('bool cast of unknown', { src, setType: 'bool' });
    const b = DECOUPLE_BOOLEANS[s.toLowerCase()];
    if (b === undefined) throw new PyRaise('ValueError', set ? [] : [key.value], src);
    return { kind: 'bool', value: b, src: def.src ?? src, env: env('bool') };
  }
  if (castId === 'builtins.int' || castId === 'builtins.float') {
    const s = pyStr(def);
    const n = s === undefined ? NaN : Number(s.trim());
    if (Number.isNaN(n)) return unknown('numeric cast', { src });
    return { kind: castId === 'builtins.int' ? 'int' : 'float', value: castId === 'builtins.int' ? Math.trunc(n) : n, src: def.src ?? src, env: env(castId === 'builtins.int' ? 'int' : 'float') };
  }
  if (castId === 'decouple.Csv()') {
    if (def.kind !== 'str') return unknown('Csv of non-string', { src });
    const items: Value[] = def.value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map((s) => ({ kind: 'str', value: s }) as Value);
    return { kind: 'list', items, src: def.src ?? src, env: env('list') };
  }
  return unknown('config with custom cast', { src });
}

const DB_ENGINES: Record<string, string> = {
  postgres: 'django.db.backends.postgresql',
  postgresql: 'django.db.backends.postgresql',
  pgsql: 'django.db.backends.postgresql',
  psql: 'django.db.backends.postgresql',
  postgis: 'django.contrib.gis.db.backends.postgis',
  mysql: 'django.db.backends.mysql',
  mysql2: 'django.db.backends.mysql',
  mysqlgis: 'django.contrib.gis.db.backends.mysql',
  sqlite: 'django.db.backends.sqlite3',
  spatialite: 'django.contrib.gis.db.backends.spatialite',
  oracle: 'django.db.backends.oracle',
};

/** dj-database-url / django-environ style DATABASE_URL → settings dict. */
export function parseDatabaseUrl(url: string, args: CallArgs, src: Location): Value {
  const m = /^([a-z0-9+.-]+):\/\/(.*)$/i.exec(url);
  if (!m) return unknown('database URL', { src });
  const scheme = m[1]!.toLowerCase().split('+')[0]!;
  const engine = DB_ENGINES[scheme];
  if (!engine) return unknown('database URL scheme', { src });
  const s = (v: string): Value => ({ kind: 'str', value: v });
  const entries: { key: Value; value: Value }[] = [{ key: s('ENGINE'), value: s(engine) }];
  let rest = m[2]!;
  if (scheme === 'sqlite' || scheme === 'spatialite') {
    const name = rest.startsWith('/') ? rest.slice(1) : rest;
    entries.push({ key: s('NAME'), value: s(name === '' ? ':memory:' : name) });
  } else {
    let query = '';
    const q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
    const slash = rest.indexOf('/');
    const netloc = slash >= 0 ? rest.slice(0, slash) : rest;
    const path = slash >= 0 ? rest.slice(slash + 1) : '';
    const at = netloc.lastIndexOf('@');
    const userinfo = at >= 0 ? netloc.slice(0, at) : '';
    const hostport = at >= 0 ? netloc.slice(at + 1) : netloc;
    const [user, password] = userinfo.includes(':') ? [userinfo.slice(0, userinfo.indexOf(':')), userinfo.slice(userinfo.indexOf(':') + 1)] : [userinfo, ''];
    const colon = hostport.lastIndexOf(':');
    const host = colon >= 0 && !hostport.endsWith(']') ? hostport.slice(0, colon) : hostport;
    const port = colon >= 0 && !hostport.endsWith(']') ? hostport.slice(colon + 1) : '';
    entries.push(
      { key: s('NAME'), value: s(decodeURIComponent(path)) },
      { key: s('USER'), value: s(decodeURIComponent(user)) },
      { key: s('PASSWORD'), value: s(decodeURIComponent(password)) },
      { key: s('HOST'), value: s(decodeURIComponent(host)) },
      { key: s('PORT'), value: port ? { kind: 'int', value: Number(port) } : s('') },
    );
    const options: { key: Value; value: Value }[] = [];
    for (const pair of query.split('&').filter(Boolean)) {
      const [k, v = ''] = pair.split('=');
      options.push({ key: s(decodeURIComponent(k!)), value: s(decodeURIComponent(v)) });
    }
    const ssl = args.keywords.get('ssl_require');
    if (ssl && truthy(ssl)) options.push({ key: s('sslmode'), value: s('require') });
    if (options.length) entries.push({ key: s('OPTIONS'), value: { kind: 'dict', entries: options } });
  }
  const cma = args.keywords.get('conn_max_age');
  entries.push({ key: s('CONN_MAX_AGE'), value: cma ?? { kind: 'int', value: 0 } });
  const chc = args.keywords.get('conn_health_checks');
  if (chc) entries.push({ key: s('CONN_HEALTH_CHECKS'), value: chc });
  return { kind: 'dict', entries, src };
}

function strMethod(method: string, s: Extract<Value, { kind: 'str' }>, args: CallArgs, src: Location): Value {
  const a0 = args.positional[0];
  const out = (v: Value, t: PyType) => withType({ ...v, src }, t, s, ...args.positional);
  const charsArg = a0?.kind === 'str' ? a0.value : a0?.kind === 'none' || !a0 ? undefined : null;
  switch (method) {
    case 'lower':
    case 'casefold':
      return out({ kind: 'str', value: s.value.toLowerCase() }, 'str');
    case 'upper':
      return out({ kind: 'str', value: s.value.toUpperCase() }, 'str');
    case 'strip':
    case 'lstrip':
    case 'rstrip': {
      if (charsArg === null) return unknown('strip', { src });
      const chars = charsArg ?? ' \t\n\r\x0b\x0c';
      let v = s.value;
      if (method !== 'rstrip') while (v && chars.includes(v[0]!)) v = v.slice(1);
      if (method !== 'lstrip') while (v && chars.includes(v[v.length - 1]!)) v = v.slice(0, -1);
      return out({ kind: 'str', value: v }, 'str');
    }
    case 'split':
    case 'rsplit': {
      const sep = args.keywords.get('sep') ?? a0;
      const maxsplit = args.keywords.get('maxsplit') ?? args.positional[1];
      if (maxsplit && !(maxsplit.kind === 'int' && maxsplit.value < 0)) return unknown('split with maxsplit', { src, setType: 'list' });
      let parts: string[];
      if (!sep || sep.kind === 'none') parts = s.value.split(/\s+/).filter((p) => p !== '');
      else if (sep.kind === 'str' && sep.value !== '') parts = s.value.split(sep.value);
      else return unknown('split', { src, setType: 'list' });
      return out({ kind: 'list', items: parts.map((p) => ({ kind: 'str', value: p }) as Value) }, 'list');
    }
    case 'splitlines':
      return out({ kind: 'list', items: s.value.split(/\r?\n/).filter((_, i, arr) => i < arr.length - 1 || arr[i] !== '').map((p) => ({ kind: 'str', value: p }) as Value) }, 'list');
    case 'startswith':
    case 'endswith': {
      const needles = a0?.kind === 'str' ? [a0.value] : a0 && a0.kind === 'tuple' ? a0.items.map((i) => (i.kind === 'str' ? i.value : undefined)) : undefined;
      if (!needles || needles.includes(undefined)) return unknown(method, { src, setType: 'bool' });
      const hit = needles.some((n) => (method === 'startswith' ? s.value.startsWith(n!) : s.value.endsWith(n!)));
      return out({ kind: 'bool', value: hit }, 'bool');
    }
    case 'replace': {
      const a1 = args.positional[1];
      if (a0?.kind !== 'str' || a1?.kind !== 'str' || args.positional[2]) return unknown('replace', { src, setType: 'str' });
      return out({ kind: 'str', value: a0.value === '' ? s.value : s.value.split(a0.value).join(a1.value) }, 'str');
    }
    case 'removeprefix':
      return a0?.kind === 'str' ? out({ kind: 'str', value: s.value.startsWith(a0.value) ? s.value.slice(a0.value.length) : s.value }, 'str') : unknown(method, { src });
    case 'removesuffix':
      return a0?.kind === 'str' && a0.value ? out({ kind: 'str', value: s.value.endsWith(a0.value) ? s.value.slice(0, -a0.value.length) : s.value }, 'str') : unknown(method, { src });
    case 'join': {
      const items = a0 ? iterableItems(a0) : undefined;
      if (!items || items.some((i) => i.kind !== 'str')) return unknown('join', { src, setType: 'str' });
      return out({ kind: 'str', value: items.map((i) => (i as { value: string }).value).join(s.value) }, 'str');
    }
    case 'title':
      return out({ kind: 'str', value: s.value.toLowerCase().replace(/(^|[^a-z])([a-z])/g, (_, p, c: string) => p + c.toUpperCase()) }, 'str');
    case 'capitalize':
      return out({ kind: 'str', value: s.value.charAt(0).toUpperCase() + s.value.slice(1).toLowerCase() }, 'str');
    case 'isdigit':
      return out({ kind: 'bool', value: /^\d+$/.test(s.value) }, 'bool');
    case 'get_secret_value':
      return s;
    case 'format': {
      const text = braceFormat(s.value, args.positional, args.keywords);
      return text === undefined ? unknown('format', { src, setType: 'str' }) : withType({ kind: 'str', value: text, src }, 'str', s, ...args.positional, ...args.keywords.values());
    }
    default:
      return unknown(`str.${method}`, { src });
  }
}

function listMethod(frame: Frame, method: string, list: Extract<Value, { kind: 'list' | 'tuple' | 'set' }>, args: CallArgs, src: Location, node: SyntaxNode): Value {
  const objNode = node.childForFieldName('function')?.childForFieldName('object');
  const rebind = (items: Value[], partial?: boolean) => {
    if (objNode) frame.mutate(objNode, { ...list, items, partial: partial || list.partial || undefined });
    return NONE;
  };
  const a0 = args.positional[0];
  switch (method) {
    case 'append':
    case 'add':
      return a0 ? rebind([...list.items, a0]) : NONE;
    case 'extend': {
      const items = a0 ? iterableItems(a0) : undefined;
      return items ? rebind([...list.items, ...items]) : rebind(list.items, true);
    }
    case 'insert': {
      const idx = a0;
      const v = args.positional[1];
      if (idx?.kind !== 'int' || !v) return rebind(list.items, true);
      const items = list.items.slice();
      let i = idx.value < 0 ? Math.max(0, items.length + idx.value) : Math.min(idx.value, items.length);
      items.splice(i, 0, v);
      return rebind(items);
    }
    case 'remove':
    case 'discard': {
      if (!a0) return NONE;
      const i = list.items.findIndex((it) => pyEquals(it, a0) === true);
      if (i < 0) {
        if (list.items.some((it) => pyEquals(it, a0) === undefined) || list.partial) return rebind(list.items, true);
        if (method === 'remove') throw new PyRaise('ValueError', [], src);
        return NONE;
      }
      const items = list.items.slice();
      items.splice(i, 1);
      return rebind(items);
    }
    case 'pop': {
      if (list.partial) return unknown('pop', { src });
      const items = list.items.slice();
      const i = a0?.kind === 'int' ? (a0.value < 0 ? items.length + a0.value : a0.value) : items.length - 1;
      const [removed] = items.splice(i, 1);
      rebind(items);
      return removed ?? unknown('pop', { src });
    }
    case 'clear':
      return rebind([]);
    case 'copy':
      return { ...list, src };
    case 'index':
    case 'count': {
      if (!a0 || list.partial) return unknown(method, { src });
      const eqs = list.items.map((it) => pyEquals(it, a0));
      if (method === 'count') return eqs.includes(undefined) ? unknown('count', { src }) : { kind: 'int', value: eqs.filter((x) => x).length, src };
      const i = eqs.findIndex((x) => x !== false);
      if (i < 0) throw new PyRaise('ValueError', [], src);
      return eqs[i] ? { kind: 'int', value: i, src } : unknown('index', { src });
    }
    case 'sort':
    case 'reverse':
      return rebind(method === 'reverse' ? list.items.slice().reverse() : list.items, method === 'sort');
    default:
      return unknown(`list.${method}`, { src });
  }
}

function dictMethod(frame: Frame, method: string, d: Extract<Value, { kind: 'dict' }>, args: CallArgs, src: Location, node: SyntaxNode): Value {
  const objNode = node.childForFieldName('function')?.childForFieldName('object');
  const a0 = args.positional[0];
  switch (method) {
    case 'get': {
      if (!a0) return unknown('get', { src });
      const hit = dictGet(d, a0);
      if (hit) return hit;
      return d.partial ? unknown('key of partly known dict', { src }) : (args.positional[1] ?? NONE);
    }
    case 'update': {
      let out: Value = d;
      if (a0?.kind === 'dict') for (const e of a0.entries) out = dictSet(out as typeof d, e.key, e.value);
      else if (a0) out = { ...d, partial: true };
      for (const [k, v] of args.keywords) out = dictSet(out as typeof d, { kind: 'str', value: k }, v);
      if (objNode) frame.mutate(objNode, out);
      return NONE;
    }
    case 'setdefault': {
      if (!a0) return NONE;
      const hit = dictGet(d, a0);
      if (hit) return hit;
      const v = args.positional[1] ?? NONE;
      if (objNode) frame.mutate(objNode, dictSet(d, a0, v));
      return v;
    }
    case 'pop': {
      if (!a0) return unknown('pop', { src });
      const hit = dictGet(d, a0);
      if (objNode && hit) frame.mutate(objNode, { ...d, entries: d.entries.filter((e) => pyEquals(e.key, a0) !== true) });
      return hit ?? args.positional[1] ?? unknown('pop', { src });
    }
    case 'copy':
      return { ...d, src };
    case 'keys':
      return { kind: 'list', items: d.entries.map((e) => e.key), partial: d.partial, src };
    case 'values':
      return { kind: 'list', items: d.entries.map((e) => e.value), partial: d.partial, src };
    case 'items':
      return { kind: 'list', items: d.entries.map((e) => ({ kind: 'tuple', items: [e.key, e.value] }) as Value), partial: d.partial, src };
    case 'clear':
      if (objNode) frame.mutate(objNode, { ...d, entries: [], partial: undefined });
      return NONE;
    default:
      return unknown(`dict.${method}`, { src });
  }
}

function pathMethod(method: string, p: Extract<Value, { kind: 'path' }>, args: CallArgs, src: Location): Value {
  switch (method) {
    case 'resolve':
    case 'absolute':
    case 'expanduser':
      return { ...p, src };
    case 'joinpath': {
      let v = p.value;
      for (const a of args.positional) {
        if (a.kind !== 'str' && a.kind !== 'path') return unknown('joinpath', { src });
        v = joinPath(v, a.value);
      }
      return { kind: 'path', value: v, src };
    }
    case 'as_posix':
    case '__str__':
      return { kind: 'str', value: p.value, src };
    default:
      return unknown(`Path.${method}`, { src });
  }
}

export { pyContains, typeOf };
