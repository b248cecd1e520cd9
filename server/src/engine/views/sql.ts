// SQL built from data (spec DJ-VIEW-007/008): `cursor.execute(...)`, `Model.objects.raw(...)`,
// `.extra(where=[...])` and `RawSQL(...)` whose SQL is an f-string, `%`-formatted, `.format()`-ed or
// `+`-concatenated (directly, or through a variable assigned so in the same function), and the
// rewrite into the parameterised form when the shape is simple.
import type { SyntaxNode } from '../parsing/syntax';
import { enclosingFunction, type Formatted, formattedString, literalSkeleton, requestDerivedNames, tracedFormatted, usesRequestData } from './formatted';
import type { PyModule } from './imports';
import type { ViewIndex } from './model';
import { callParts, callsWhere, named, unparen } from './py';
import { mentions, prefilters } from '../textMemo';

export interface SqlSite {
  module: PyModule;
  call: SyntaxNode;
  /** The SQL argument as written. */
  arg: SyntaxNode;
  api: 'execute' | 'raw' | 'extra' | 'RawSQL';
  /** The formatted string (direct, or the assignment a variable comes from). */
  formatted: Formatted;
  /** When the SQL comes through a variable: the assignment that formats it. */
  via?: SyntaxNode;
  fromRequest: boolean;
  /** Other arguments already given (params): no rewrite then. */
  hasParams: boolean;
}

const SQL_WORDS = /\b(select|insert|update|delete|from|where|values|set|create|drop|alter|with|join|order\s+by|group\s+by|limit)\b/i;

/** Interpolations that are not data: table names from _meta, constants, quoted identifiers, placeholder lists. */
function isStructural(expr: SyntaxNode): boolean {
  const t = expr.text;
  if (/^[A-Z][A-Z0-9_]*$/.test(t)) return true;
  if (/_meta\b|db_table|quote_name\(|\bqn\(|placeholder|\.join\(\s*\[?\s*["']%s["']|["']%s["']\s*\*|\bcolumns?\b|\btable(_name)?\b|\bfields?\b/.test(t)) return true;
  if (/^len\(/.test(t)) return true;
  return false;
}

function siteFor(mod: PyModule, call: SyntaxNode, arg: SyntaxNode, api: SqlSite['api'], hasParams: boolean, requireSqlWords: boolean): SqlSite | undefined {
  const fn = enclosingFunction(call);
  let formatted = formattedString(arg);
  let via: SyntaxNode | undefined;
  if (!formatted) {
    const traced = tracedFormatted(unparen(arg), fn);
    const last = traced[traced.length - 1];
    if (!last) return undefined;
    formatted = last.formatted;
    via = last.assignment;
  }
  if (requireSqlWords && !SQL_WORDS.test(literalSkeleton(formatted))) return undefined;
  const derived = requestDerivedNames(fn);
  const data = formatted.exprs.filter((e) => usesRequestData(e, derived) || !isStructural(e));
  if (data.length === 0) return undefined;
  const fromRequest = data.some((e) => usesRequestData(e, derived));
  return { module: mod, call, arg, api, formatted, via, fromRequest, hasParams };
}

const SQL_CALLEES = new Set(['execute', 'executemany', 'raw', 'extra', 'RawSQL']);

/**
 * Can a call with this function text be one findSqlSites looks at? Its last name (an attribute's
 * name or the identifier) is one of SQL_CALLEES; a comment or a line continuation inside the text
 * leaves it to the nodes.
 */
function mayBeSqlCall(text: string): boolean {
  if (text.includes('#') || text.includes('\\')) return true;
  return SQL_CALLEES.has(text.slice(text.lastIndexOf('.') + 1).trim());
}

export function findSqlSites(index: ViewIndex): SqlSite[] {
  const out: SqlSite[] = [];
  for (const mod of index.modules) {
    if (!mentions(mod.path, mod.text, /\.\s*execute|\.raw\(|\.extra\(|RawSQL/)) continue;
    for (const call of callsWhere(mod.root, prefilters.enabled ? mayBeSqlCall : () => true)) {
      const fn = call.childForFieldName('function');
      if (!fn) continue;
      const name = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn.type === 'identifier' ? fn.text : undefined;
      if (!name || !SQL_CALLEES.has(name)) continue;
      const parts = callParts(call)!;
      if (fn.type === 'attribute' && (name === 'execute' || name === 'executemany' || name === 'raw')) {
        const arg = parts.positional[0] ?? parts.keywords.get('sql') ?? parts.keywords.get('query') ?? parts.keywords.get('raw_query');
        if (!arg) continue;
        const hasParams = parts.positional.length > 1 || parts.keywords.has('params') || parts.keywords.has('parameters') || parts.keywords.has('args');
        const s = siteFor(mod, call, arg, name === 'raw' ? 'raw' : 'execute', hasParams, true);
        if (s) out.push(s);
      } else if (fn.type === 'attribute' && name === 'extra') {
        for (const key of ['select', 'where', 'tables', 'order_by']) {
          const v = parts.keywords.get(key);
          if (!v) continue;
          const u = unparen(v);
          const items = u.type === 'dictionary' ? named(u).map((p) => p.childForFieldName('value')).filter((x): x is SyntaxNode => !!x) : u.type === 'list' || u.type === 'tuple' ? named(u) : [u];
          for (const item of items) {
            const s = siteFor(mod, call, item, 'extra', parts.keywords.has('params') || parts.keywords.has('select_params'), false);
            if (s) out.push(s);
          }
        }
      } else if (name === 'RawSQL') {
        const arg = parts.positional[0] ?? parts.keywords.get('sql');
        if (!arg) continue;
        const s = siteFor(mod, call, arg, 'RawSQL', parts.positional.length > 1 || parts.keywords.has('params'), false);
        if (s) out.push(s);
      }
    }
  }
  return out;
}

const VALUE_BEFORE = /(=|<|>|\blike|\bilike|\blimit|\boffset|\bin\s*\()\s*$/i;

/**
 * `f"... WHERE id = {x}"` → `"... WHERE id = %s"` with params `[x]`: only when every interpolation is a
 * whole SQL value (after a comparison, LIKE, LIMIT/OFFSET, inside IN (...) or VALUES (...)), either bare
 * or wrapped in its own quotes. Literal `%` signs are doubled (the driver formats with params).
 */
export function parameterize(f: Formatted): { literal: string; params: string[] } | undefined {
  if (!f.pieces || f.quote === undefined || f.prefix === undefined) return undefined;
  let text = '';
  const params: string[] = [];
  const pieces = f.pieces.map((p) => ('lit' in p ? { lit: p.lit } : p));
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i]!;
    if ('lit' in p) {
      text += p.lit.replace(/%/g, '%%');
      continue;
    }
    const next = pieces[i + 1];
    let after = next && 'lit' in next ? next.lit : '';
    const q = /['"]$/.exec(text)?.[0];
    if (q) {
      if (!after.startsWith(q)) return undefined;
      text = text.slice(0, -1);
      after = after.slice(1);
      if (next && 'lit' in next) next.lit = after;
    } else if (/^['"]/.test(after)) return undefined;
    const before = text.replace(/%%/g, '%');
    const inList = /\b(in|values)\s*\([^)]*$/i.test(before) && /(,|\()\s*$/.test(before);
    if (!VALUE_BEFORE.test(before) && !inList) return undefined;
    text += '%s';
    params.push(p.expr.text);
  }
  if (params.length === 0) return undefined;
  return { literal: `${f.prefix}${f.quote}${text}${f.quote}`, params };
}
