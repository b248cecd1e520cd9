// The abstract values the settings evaluator computes (spec §0.1). A value is what the setting
// holds in production when every environment variable is unset (its "fallback value"); `env` says
// which variables it came from and what type it has once they are set. `unknown` covers anything
// we cannot decide (calls into unknown code, required variables the operator sets) and never
// produces a finding.
import type { SyntaxNode } from '../parsing/syntax';
import type { Location } from '../types';

export type PyType = 'none' | 'bool' | 'int' | 'float' | 'str' | 'path' | 'list' | 'tuple' | 'set' | 'dict' | 'unknown';

export interface EnvOrigin {
  /** Variables whose being unset produced this value. */
  names: string[];
  /** The default argument that became the value (what a finding underlines), when there is one. */
  fallback?: Location;
  /** Python type of the value once the variable is set ('unknown' when it depends on the text). */
  setType: PyType;
}

export interface DictEntry {
  key: Value;
  value: Value;
}

export interface FunctionRef {
  node: SyntaxNode;
  name: string;
  /** The live namespace of the defining module (Python closures see later module-level changes). */
  globals: Scope;
  file: string;
  moduleName: string;
}

/** A class defined in the workspace: what its body defined, for attribute reads and settings classes. */
export interface ClassInfo {
  name: string;
  /** Base classes: workspace classes, or library names such as `pydantic_settings.BaseSettings`. */
  bases: Value[];
  /** The class body's namespace (attributes, nested classes, methods). */
  attrs: Scope;
  /** Annotated attributes in declaration order: pydantic fields. */
  fields: FieldInfo[];
}

export interface FieldInfo {
  name: string;
  /** The declared type, as far as it tells what a set variable parses to. */
  type: PyType;
  /** The default, or undefined when the field has none (required). */
  default?: Value;
  /** An explicit environment variable name (`Field(env=...)`, `alias=`), used without the prefix. */
  envName?: string;
  stmt: Location;
}

interface ValueBase {
  /** Source that produced the value (literal, call, expression). */
  src?: Location;
  env?: EnvOrigin;
}

export type Value = ValueBase &
  (
    | { kind: 'none' }
    | { kind: 'bool'; value: boolean }
    | { kind: 'int'; value: number }
    | { kind: 'float'; value: number }
    | { kind: 'str'; value: string }
    | { kind: 'path'; value: string }
    | { kind: 'list' | 'tuple' | 'set'; items: Value[]; partial?: boolean }
    | { kind: 'dict'; entries: DictEntry[]; partial?: boolean }
    | { kind: 'unknown'; reason: string; required?: string[]; setType?: PyType }
    | { kind: 'function'; fn: FunctionRef }
    | { kind: 'class'; name: string; cls?: ClassInfo }
    /** An instance of a workspace class whose attributes we know (a pydantic settings object). */
    | { kind: 'instance'; cls: ClassInfo; attrs: Scope }
    /**
     * An imported module: a workspace module has a namespace and a path, an external one only a
     * name. Attributes are read from the module's namespace in the current evaluation (found by
     * path): a statement replayed from an earlier analysis holds that analysis's namespace.
     */
    | { kind: 'module'; name: string; namespace?: Scope; path?: string }
    /** A name from a library we model (`os.getenv`, `pathlib.Path`, `environ.Env`...). */
    | { kind: 'builtin'; name: string; bound?: Value }
    /** A django-environ `Env(...)` instance with its schemes (`Env(DEBUG=(bool, False))`). */
    | { kind: 'envreader'; schemes: Map<string, { cast?: string; default?: Value }> }
  );

export type Known = Exclude<Value, { kind: 'unknown' }>;

/** Where a name got its value: the statement, the target and the expression assigned. */
export interface Binding {
  value: Value;
  /** The whole statement (`X = ...`), used to replace or delete it. */
  stmt?: Location;
  /** The right-hand side, used to rewrite the value. */
  rhs?: Location;
  /** True when the binding came from a module imported with `*` or `from x import NAME`. */
  imported?: boolean;
}

export type Scope = Map<string, Binding>;

export const NONE: Value = { kind: 'none' };

export function unknown(reason: string, extra?: { required?: string[]; setType?: PyType; src?: Location }): Value {
  return { kind: 'unknown', reason, ...extra };
}

export function str(value: string, src?: Location): Value {
  return { kind: 'str', value, src };
}

export function bool(value: boolean, src?: Location): Value {
  return { kind: 'bool', value, src };
}

export function isKnown(v: Value): v is Known {
  return v.kind !== 'unknown';
}

export function isSequence(v: Value): v is Extract<Value, { kind: 'list' | 'tuple' | 'set' }> {
  return v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set';
}

/** Python truthiness; undefined when it cannot be decided. */
export function truthy(v: Value): boolean | undefined {
  switch (v.kind) {
    case 'none':
      return false;
    case 'bool':
      return v.value;
    case 'int':
    case 'float':
      return v.value !== 0;
    case 'str':
      return v.value.length > 0;
    case 'path':
      return true;
    case 'list':
    case 'tuple':
    case 'set':
      if (v.items.length > 0) return true;
      return v.partial ? undefined : false;
    case 'dict':
      if (v.entries.length > 0) return true;
      return v.partial ? undefined : false;
    case 'unknown':
      return undefined;
    case 'builtin':
      // A name imported from a library (`from conf import FLAG`) can hold any value.
      return undefined;
    default:
      return true;
  }
}

/** Python `==`; undefined when it cannot be decided. */
export function pyEquals(a: Value, b: Value): boolean | undefined {
  if (a.kind === 'unknown' || b.kind === 'unknown') return undefined;
  // A library name can hold any value; the same unbound name is the same object.
  if (a.kind === 'builtin' || b.kind === 'builtin') return a.kind === 'builtin' && b.kind === 'builtin' && a.name === b.name && !a.bound && !b.bound ? true : undefined;
  const num = (v: Value): number | undefined =>
    v.kind === 'int' || v.kind === 'float' ? v.value : v.kind === 'bool' ? (v.value ? 1 : 0) : undefined;
  const na = num(a);
  const nb = num(b);
  if (na !== undefined || nb !== undefined) return na !== undefined && nb !== undefined ? na === nb : false;
  if (a.kind === 'none' || b.kind === 'none') return a.kind === b.kind;
  if (a.kind === 'str' && b.kind === 'str') return a.value === b.value;
  if (a.kind === 'path' && b.kind === 'path') return a.value === b.value;
  if (a.kind === 'str' || b.kind === 'str' || a.kind === 'path' || b.kind === 'path') return false;
  if (isSequence(a) && isSequence(b)) {
    if (a.kind !== b.kind) return false;
    if (a.partial || b.partial) return undefined;
    if (a.items.length !== b.items.length) return false;
    let all: boolean | undefined = true;
    for (let i = 0; i < a.items.length; i++) {
      const eq = pyEquals(a.items[i]!, b.items[i]!);
      if (eq === false) return false;
      if (eq === undefined) all = undefined;
    }
    return all;
  }
  if (a.kind === 'dict' && b.kind === 'dict') {
    if (a.partial || b.partial) return undefined;
    if (a.entries.length !== b.entries.length) return false;
    let all: boolean | undefined = true;
    for (const e of a.entries) {
      const other = dictGet(b, e.key);
      if (!other) return false;
      const eq = pyEquals(e.value, other);
      if (eq === false) return false;
      if (eq === undefined) all = undefined;
    }
    return all;
  }
  return a === b ? true : undefined;
}

/** `needle in haystack`; undefined when undecidable. */
export function pyContains(haystack: Value, needle: Value): boolean | undefined {
  if (haystack.kind === 'str') {
    if (needle.kind !== 'str') return undefined;
    return haystack.value.includes(needle.value);
  }
  if (isSequence(haystack)) {
    let undecided = false;
    for (const item of haystack.items) {
      const eq = pyEquals(item, needle);
      if (eq === true) return true;
      if (eq === undefined) undecided = true;
    }
    return undecided || haystack.partial ? undefined : false;
  }
  if (haystack.kind === 'dict') {
    const hit = dictGet(haystack, needle);
    if (hit) return true;
    return haystack.partial || needle.kind === 'unknown' ? undefined : false;
  }
  return undefined;
}

export function dictGet(d: Extract<Value, { kind: 'dict' }>, key: Value): Value | undefined {
  for (let i = d.entries.length - 1; i >= 0; i--) {
    const e = d.entries[i]!;
    if (pyEquals(e.key, key) === true) return e.value;
  }
  return undefined;
}

export function dictGetStr(d: Value | undefined, key: string): Value | undefined {
  if (!d || d.kind !== 'dict') return undefined;
  return dictGet(d, { kind: 'str', value: key });
}

/** A dict with `key` set to `value` (later entries win, like a Python dict update). */
export function dictSet(d: Extract<Value, { kind: 'dict' }>, key: Value, value: Value): Value {
  const entries = d.entries.filter((e) => pyEquals(e.key, key) !== true);
  entries.push({ key, value });
  return { ...d, entries };
}

/** The strings of a sequence value, or undefined when any element is not a known string. */
export function stringItems(v: Value | undefined): string[] | undefined {
  if (!v || !isSequence(v) || v.partial) return undefined;
  const out: string[] = [];
  for (const item of v.items) {
    if (item.kind !== 'str') return undefined;
    out.push(item.value);
  }
  return out;
}

/** Does a sequence (MIDDLEWARE, INSTALLED_APPS) contain this string? undefined when undecidable. */
export function containsString(v: Value | undefined, s: string): boolean | undefined {
  if (!v) return undefined;
  return pyContains(v, { kind: 'str', value: s });
}

export function typeOf(v: Value): PyType {
  switch (v.kind) {
    case 'none':
    case 'bool':
    case 'int':
    case 'float':
    case 'str':
    case 'path':
    case 'list':
    case 'tuple':
    case 'set':
    case 'dict':
      return v.kind;
    default:
      return 'unknown';
  }
}

/** Merge the environment origins of operands into the result of an operation. */
export function mergeEnv(setType: PyType, ...operands: (Value | undefined)[]): EnvOrigin | undefined {
  let names: string[] | undefined;
  let fallback: Location | undefined;
  for (const op of operands) {
    if (!op?.env) continue;
    names ??= [];
    for (const n of op.env.names) if (!names.includes(n)) names.push(n);
    fallback ??= op.env.fallback;
  }
  return names ? { names, fallback, setType } : undefined;
}

/** Python's repr, for messages. */
export function pyRepr(v: Value, max = 60): string {
  const s = reprInner(v);
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

function reprInner(v: Value): string {
  switch (v.kind) {
    case 'none':
      return 'None';
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'int':
    case 'float':
      return String(v.value);
    case 'str':
      return JSON.stringify(v.value);
    case 'path':
      return `Path(${JSON.stringify(v.value)})`;
    case 'list':
      return `[${v.items.map(reprInner).join(', ')}${v.partial ? ', …' : ''}]`;
    case 'tuple':
      return `(${v.items.map(reprInner).join(', ')}${v.items.length === 1 ? ',' : ''})`;
    case 'set':
      return `{${v.items.map(reprInner).join(', ')}}`;
    case 'dict':
      return `{${v.entries.map((e) => `${reprInner(e.key)}: ${reprInner(e.value)}`).join(', ')}}`;
    default:
      return '…';
  }
}
