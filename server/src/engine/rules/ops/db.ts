// DATABASES aliases and the edits that add keys to one (spec DJ-OPS-009..013, Q8).
import type { SyntaxNode } from '../../parsing/syntax';
import { appendEntries, findPair, keywordArgument, quoteOf } from '../../fixes/dictEdit';
import type { Setting } from '../../settings/profile';
import { type Value, dictGetStr } from '../../settings/value';
import type { TextEdit } from '../../types';
import type { SettingsContext } from '../types';
import { callAt, dictAt, prodPath, prodQuote, strOf } from './support';

export type Dict = Extract<Value, { kind: 'dict' }>;

export interface Alias {
  name: string;
  value: Dict;
  engine: string;
  setting: Setting;
}

export const isPostgres = (engine: string) => /postgresql|postgis/.test(engine);
export const isMysql = (engine: string) => /mysql/.test(engine);
export const isSqlite = (engine: string) => /sqlite3|spatialite/.test(engine);

/** The aliases of DATABASES whose ENGINE is known. */
export function aliases(ctx: SettingsContext): Alias[] {
  const setting = ctx.setting('DATABASES');
  const v = setting.value;
  if (v.kind !== 'dict') return [];
  const out: Alias[] = [];
  for (const e of v.entries) {
    if (e.key.kind !== 'str' || e.value.kind !== 'dict') continue;
    const engine = strOf(dictGetStr(e.value, 'ENGINE'));
    if (engine) out.push({ name: e.key.value, value: e.value, engine, setting });
  }
  return out;
}

/** `DATABASES["default"]` in the module's quote style. */
export function aliasRef(ctx: SettingsContext, alias: Alias): string {
  const q = prodQuote(ctx);
  return `DATABASES[${q}${alias.name}${q}]`;
}

/** The `dj_database_url.config(...)` / `.parse(...)` call the alias came from, in the production module. */
export function dbUrlCall(ctx: SettingsContext, alias: Alias): SyntaxNode | undefined {
  const call = callAt(ctx, alias.value.src);
  if (!call || alias.value.src?.file !== prodPath(ctx)) return undefined;
  const fn = call.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
  return /^dj_database_url\.(config|parse)$/.test(fn) ? call : undefined;
}

/** The alias's own dict literal, when the production module writes it. */
export function aliasLiteral(ctx: SettingsContext, alias: Alias): SyntaxNode | undefined {
  if (alias.value.src?.file !== prodPath(ctx)) return undefined;
  return dictAt(ctx, alias.value.src);
}

/**
 * Edits adding top-level keys (`"CONN_MAX_AGE": 600`) to an alias: into its literal in the production
 * module, else as `DATABASES["default"]["CONN_MAX_AGE"] = 600` lines at the end of production.
 */
export function addAliasKeys(ctx: SettingsContext, alias: Alias, entries: [string, string][]): TextEdit[] {
  if (entries.length === 0) return [];
  const dict = aliasLiteral(ctx, alias);
  if (dict) {
    const q = quoteOf(dict);
    return appendEntries(alias.value.src!.file, dict, entries.map(([k, v]) => `${q}${k}${q}: ${v}`));
  }
  const q = prodQuote(ctx);
  return ctx.edit.insertLines(entries.map(([k, v]) => `${aliasRef(ctx, alias)}[${q}${k}${q}] = ${v}`));
}

/**
 * Edits adding OPTIONS keys to an alias. Without OPTIONS, lines mode creates it with `full` (the
 * whole hardening set, so the rules sharing it produce one identical edit).
 */
export function addAliasOptions(ctx: SettingsContext, alias: Alias, entries: [string, string][], full: [string, string][] = entries): TextEdit[] {
  if (entries.length === 0) return [];
  const options = dictGetStr(alias.value, 'OPTIONS');
  const dict = aliasLiteral(ctx, alias);
  if (dict) {
    const q = quoteOf(dict);
    const file = alias.value.src!.file;
    if (!options) return appendEntries(file, dict, [`${q}OPTIONS${q}: {${entries.map(([k, v]) => `${q}${k}${q}: ${v}`).join(', ')}}`]);
    const pair = findPair(dict, 'OPTIONS');
    const inner = pair?.value.type === 'dictionary' ? pair.value : undefined;
    if (inner) return appendEntries(file, inner, entries.map(([k, v]) => `${q}${k}${q}: ${v}`));
  }
  if (options && options.kind !== 'dict') return [];
  const q = prodQuote(ctx);
  const ref = `${aliasRef(ctx, alias)}[${q}OPTIONS${q}]`;
  if (!options) return ctx.edit.insertLines([`${ref} = {${full.map(([k, v]) => `${q}${k}${q}: ${v}`).join(', ')}}`]);
  return ctx.edit.insertLines(entries.map(([k, v]) => `${ref}[${q}${k}${q}] = ${v}`));
}

/** Edits adding keyword arguments to a `dj_database_url.config(...)` call. */
export function addCallKeywords(ctx: SettingsContext, call: SyntaxNode, kwargs: [string, string][]): TextEdit[] {
  const missing = kwargs.filter(([k]) => !keywordArgument(call, k));
  const args = call.childForFieldName('arguments');
  if (!args || missing.length === 0) return [];
  return appendEntries(prodPath(ctx), args, missing.map(([k, v]) => `${k}=${v}`));
}
