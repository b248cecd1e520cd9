// Shared vocabulary of the API and cross-origin rules: Django REST framework's REST_FRAMEWORK dict,
// django-cors-headers' settings (current and legacy names) and django-ratelimit's use and cache.
// Third-party settings have no Django default: when unassigned, `setting()` says isDefault with an
// unknown value, which these helpers read as "missing".
import { LiteralEditor, py, quoteString, type Py } from '../fixes/literalEdit';
import { normalizeDistName } from '../project/model';
import type { Setting } from '../settings/profile';
import { dictGetStr, isSequence, type Value } from '../settings/value';
import type { Fix } from '../types';
import { hasApp, hasMiddleware } from './helpers';
import type { SettingsContext } from './types';

export type DictValue = Extract<Value, { kind: 'dict' }>;

export type DictState = { kind: 'missing' } | { kind: 'dict'; value: DictValue } | { kind: 'unknown' };

/** A dict setting: missing (never assigned), a known dict, or something we cannot read. */
export function dictSetting(s: Setting): DictState {
  if (s.isDefault && s.value.kind === 'unknown') return { kind: 'missing' };
  if (s.value.kind === 'dict') return { kind: 'dict', value: s.value };
  return { kind: 'unknown' };
}

export type KeyState = { kind: 'absent' } | { kind: 'present'; value: Value } | { kind: 'unknown' };

/** A key of a dict value: present, certainly absent, or unknowable (a `**splat` we cannot read). */
export function keyState(d: Value | undefined, key: string): KeyState {
  if (!d || d.kind !== 'dict') return { kind: 'unknown' };
  const v = dictGetStr(d, key);
  if (v) return { kind: 'present', value: v };
  return d.partial ? { kind: 'unknown' } : { kind: 'absent' };
}

/** The strings of a sequence value, undefined when any element (or the rest) is unknown. */
export function strings(v: Value | undefined): { value: string; item: Value }[] | undefined {
  if (!v || !isSequence(v) || v.partial) return undefined;
  const out: { value: string; item: Value }[] = [];
  for (const item of v.items) {
    if (item.kind !== 'str') return undefined;
    out.push({ value: item.value, item });
  }
  return out;
}

export function lastPart(dotted: string): string {
  return dotted.split('.').pop() ?? dotted;
}

// ------------------------------------------------------------------ Django REST framework

export const DRF = {
  app: 'rest_framework',
  session: 'rest_framework.authentication.SessionAuthentication',
  basic: 'rest_framework.authentication.BasicAuthentication',
  allowAny: 'rest_framework.permissions.AllowAny',
  isAuthenticated: 'rest_framework.permissions.IsAuthenticated',
  anon: 'rest_framework.throttling.AnonRateThrottle',
  user: 'rest_framework.throttling.UserRateThrottle',
  scoped: 'rest_framework.throttling.ScopedRateThrottle',
  json: 'rest_framework.renderers.JSONRenderer',
  browsable: 'rest_framework.renderers.BrowsableAPIRenderer',
  pageNumber: 'rest_framework.pagination.PageNumberPagination',
};

/** The rates our fixes give a throttle scope that has none. */
export function defaultRate(scope: string): string {
  return scope === 'user' ? '1000/hour' : '100/hour';
}

export function drfInstalled(ctx: SettingsContext): boolean {
  return hasApp(ctx, DRF.app) === true || hasApp(ctx, 'rest_framework.apps.RestFrameworkConfig') === true;
}

/**
 * REST_FRAMEWORK as the production defaults our fixes create when the project has none. Every DRF
 * rule inserts exactly this text when REST_FRAMEWORK is missing, so "fix all" adds it once.
 */
export const DRF_DEFAULTS: [string, Py][] = [
  ['DEFAULT_AUTHENTICATION_CLASSES', py.strs(DRF.session)],
  ['DEFAULT_PERMISSION_CLASSES', py.strs(DRF.isAuthenticated)],
  ['DEFAULT_THROTTLE_CLASSES', py.strs(DRF.anon, DRF.user)],
  ['DEFAULT_THROTTLE_RATES', py.dict(['anon', py.str(defaultRate('anon'))], ['user', py.str(defaultRate('user'))])],
];

/**
 * Fixes adding entries to REST_FRAMEWORK (or to a dict inside it, `path`): merged into the literal,
 * or, when the project has no REST_FRAMEWORK at all, the shared production defaults above.
 */
export function drfFix(ctx: SettingsContext, path: string[], entries: [string, Py][], title: string, safe = true): Fix[] {
  const s = ctx.setting('REST_FRAMEWORK');
  const lit = new LiteralEditor(ctx.edit);
  let fixes: Fix[];
  if (dictSetting(s).kind === 'missing') {
    const lines = ['# Django REST framework: logged-in users only, throttled (django-readiness)', ...lit.assignLines('REST_FRAMEWORK', py.dict(...DRF_DEFAULTS))];
    fixes = [{ title: 'Add REST_FRAMEWORK with authentication, permission and throttling defaults', edits: ctx.edit.insertLines(lines), safe: true }];
  } else {
    fixes = lit.mergeDict(s, path, entries, title);
  }
  return safe ? fixes : fixes.map((f) => ({ ...f, safe: false }));
}

// ------------------------------------------------------------------ django-cors-headers

export const CORS_APP = 'corsheaders';
export const CORS_MIDDLEWARE = 'corsheaders.middleware.CorsMiddleware';

/** Is django-cors-headers in use: its app installed or its middleware active? */
export function corsUsed(ctx: SettingsContext): boolean {
  return hasApp(ctx, CORS_APP) === true || hasApp(ctx, 'corsheaders.apps.CorsHeadersAppConfig') === true || hasMiddleware(ctx, CORS_MIDDLEWARE) === true;
}

/**
 * The setting corsheaders reads: the current name when assigned, else the legacy one (still
 * honoured), else the current name at its default.
 */
export function corsSetting(ctx: SettingsContext, name: string, legacy: string): Setting {
  const s = ctx.setting(name);
  if (!s.isDefault) return s;
  const old = ctx.setting(legacy);
  return old.isDefault ? s : old;
}

// ------------------------------------------------------------------ django-ratelimit

export const RATELIMIT_MIDDLEWARE = 'django_ratelimit.middleware.RatelimitMiddleware';

/** Does the project use django-ratelimit (requirement, app, middleware or its settings)? */
export function ratelimitUsed(ctx: SettingsContext): boolean {
  if (ctx.profile.project.requirementNames.has(normalizeDistName('django-ratelimit'))) return true;
  if (hasApp(ctx, 'django_ratelimit') === true || hasApp(ctx, 'ratelimit') === true) return true;
  if (hasMiddleware(ctx, RATELIMIT_MIDDLEWARE) === true || hasMiddleware(ctx, 'ratelimit.middleware.RatelimitMiddleware') === true) return true;
  for (const name of ctx.profile.settingNames()) if (name.startsWith('RATELIMIT_')) return true;
  return false;
}

// ------------------------------------------------------------------ throttle classes

export interface ThrottleInfo {
  /** The scope whose rate DEFAULT_THROTTLE_RATES must hold; undefined when the class has its own rate. */
  scope?: string;
  /** The class parses rates with DRF's own parser ("<n>/<s|m|h|d...>"). */
  standardParser: boolean;
  /** Its own `rate` attribute, when it has one. */
  rate?: { value: string; node: import('../parsing/syntax').SyntaxNode; file: string };
}

const BUILTIN_THROTTLES: Record<string, ThrottleInfo | 'views' | 'none'> = {
  AnonRateThrottle: { scope: 'anon', standardParser: true },
  UserRateThrottle: { scope: 'user', standardParser: true },
  ScopedRateThrottle: 'views',
  SimpleRateThrottle: 'none',
  BaseThrottle: 'none',
};

/**
 * What a throttle class in DEFAULT_THROTTLE_CLASSES needs: DRF's own classes by name, a project
 * class by reading its source (its `scope`/`rate` attributes and bases). Undefined when it cannot
 * tell (a library class, a class that overrides how rates are found, scopes chosen by views).
 */
export function throttleInfo(ctx: SettingsContext, dotted: string, depth = 0): ThrottleInfo | undefined {
  const name = lastPart(dotted);
  const module = dotted.slice(0, -(name.length + 1));
  if (module === 'rest_framework.throttling') {
    const b = BUILTIN_THROTTLES[name];
    return typeof b === 'object' ? b : undefined;
  }
  if (depth > 4 || !module) return undefined;
  const file = ctx.edit.resolveModuleFile(module);
  if (!file || file === 'missing') return undefined;
  const root = ctx.edit.rootOf(file);
  if (!root) return undefined;
  const cls = root.namedChildren.find((n) => n.type === 'class_definition' && n.childForFieldName('name')?.text === name);
  if (!cls) return undefined;
  const body = cls.childForFieldName('body');
  let scope: string | undefined;
  let rate: ThrottleInfo['rate'];
  let parser = true;
  for (const stmt of body?.namedChildren ?? []) {
    const fn = stmt.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
    if (fn?.type === 'function_definition') {
      const fname = fn.childForFieldName('name')?.text;
      if (fname === 'parse_rate') parser = false;
      if (fname === 'get_rate' || fname === '__init__' || fname === 'allow_request') return undefined;
      continue;
    }
    const assign = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : undefined;
    if (assign?.type !== 'assignment') continue;
    const target = assign.childForFieldName('left')?.text;
    const right = assign.childForFieldName('right');
    if (target === 'scope') {
      const v = stringValue(right);
      if (v === undefined) return undefined;
      scope = v;
    } else if (target === 'rate') {
      const v = stringValue(right);
      if (v === undefined) return undefined;
      if (right) rate = { value: v, node: right, file };
    }
  }
  const bases = (cls.childForFieldName('superclasses')?.namedChildren ?? []).filter((b) => b.type !== 'keyword_argument');
  let inherited: ThrottleInfo | undefined;
  let rateThrottle = false;
  for (const base of bases) {
    const baseName = base.text.split('.').pop()!;
    const builtin = BUILTIN_THROTTLES[baseName];
    if (builtin === 'views') return undefined;
    if (builtin !== undefined) {
      rateThrottle = true;
      if (typeof builtin === 'object') inherited = builtin;
      continue;
    }
    // A base class defined in the same module.
    if (root.namedChildren.some((n) => n.type === 'class_definition' && n.childForFieldName('name')?.text === baseName)) {
      const info = throttleInfo(ctx, `${module}.${baseName}`, depth + 1);
      if (!info) return undefined;
      rateThrottle = true;
      inherited = info;
      continue;
    }
    return undefined;
  }
  if (!rateThrottle) return undefined;
  if (rate) return { standardParser: parser && (inherited?.standardParser ?? true), rate };
  if (inherited?.rate) return { ...inherited, standardParser: parser && inherited.standardParser };
  const s = scope ?? inherited?.scope;
  return s ? { scope: s, standardParser: parser && (inherited?.standardParser ?? true) } : undefined;
}

function stringValue(node: import('../parsing/syntax').SyntaxNode | null | undefined): string | undefined {
  if (!node || node.type !== 'string') return undefined;
  const m = /^([A-Za-z]*)("""|'''|"|')([\s\S]*)\2$/.exec(node.text);
  return m && !/[fF]/.test(m[1]!) ? m[3] : undefined;
}

/** Would DRF's parser accept this rate? (`num, period = rate.split("/")`, `int(num)`, `period[0]` in s/m/h/d.) */
export function validDrfRate(rate: string): boolean {
  const parts = rate.split('/');
  if (parts.length !== 2) return false;
  return /^\s*[+-]?\d+(_\d+)*\s*$/.test(parts[0]!) && /^[smhd]/.test(parts[1]!);
}

/** The start of a setting's assignment (`REST_FRAMEWORK = {` → `REST_FRAMEWORK`): where dict-level findings go. */
export function headAnchor(s: Setting): import('../types').Location | undefined {
  const stmt = s.binding?.stmt;
  if (!stmt) return undefined;
  const start = stmt.range.start;
  return { file: stmt.file, range: { start, end: { line: start.line, character: start.character + s.name.length } } };
}

/** A Python string literal in the production module's quote style. */
export function pyStr(ctx: SettingsContext, value: string): string {
  return quoteString(value, new LiteralEditor(ctx.edit).style().quote);
}
