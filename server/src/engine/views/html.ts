// HTML marked safe although it contains data (spec DJ-VIEW-009): `mark_safe(x)` / `SafeString(x)`
// where x is formatted from non-literal values (directly or through a variable built in the same
// function) or comes from the request, and `format_html(f"...")`, whose interpolations bypass the
// escaping format_html exists for. Values already escaped (`escape()`, `conditional_escape()`,
// `format_html()`...) or numeric (`int()`, `len()`) are not data for this purpose.
import type { SyntaxNode } from '../parsing/syntax';
import { enclosingFunction, type Formatted, formattedString, requestDerivedNames, tracedFormatted, usesRequestData } from './formatted';
import type { PyModule, TextFacts } from './imports';
import type { ModuleParts, ViewIndex } from './model';
import { callParts, callsWhere, descendants, dottedName, dottedNameOfText, unparen } from './py';
import { mentions, prefilters } from '../textMemo';

export const MARK_SAFE = new Set(['django.utils.safestring.mark_safe', 'django.utils.safestring.SafeString', 'django.utils.safestring.SafeText', 'django.utils.safestring.SafeData']);
export const FORMAT_HTML = 'django.utils.html.format_html';

export interface HtmlSite {
  module: PyModule;
  call: SyntaxNode;
  arg: SyntaxNode;
  api: 'mark_safe' | 'SafeString' | 'format_html';
  /** The name the call uses (`mark_safe`, `safestring.mark_safe`). */
  callee: SyntaxNode;
  formatted?: Formatted;
  via?: SyntaxNode;
  fromRequest: boolean;
}

const ESCAPED = /^(escape|conditional_escape|format_html|format_html_join|escapejs|urlencode|quote|quote_plus|iri_to_uri|json_script|intcomma|int|len|float|round|str\(int|mark_safe|strip_tags|bleach\.clean|clean|nh3\.clean|sanitize\w*|linebreaks|urlize|naturaltime|naturalday|date_format|number_format|static|reverse|reverse_lazy)\b/;

function isEscaped(expr: SyntaxNode): boolean {
  const e = unparen(expr);
  if (e.type === 'integer' || e.type === 'float') return true;
  if (e.type === 'call') {
    const fn = dottedName(e.childForFieldName('function')) ?? '';
    return ESCAPED.test(fn) || ESCAPED.test(fn.split('.').pop() ?? '');
  }
  return false;
}

/**
 * A local variable whose every assignment in the function is a literal, an escaping call, or a
 * string formatted only from escaped values (`html = ""`, `html += format_html(...)`).
 */
function builtFromEscaped(expr: SyntaxNode, scope: SyntaxNode | undefined): boolean {
  const e = unparen(expr);
  if (e.type !== 'identifier' || !scope) return false;
  let seen = 0;
  let ok = true;
  for (const n of descendants(scope, ['assignment', 'augmented_assignment'])) {
    if (n.childForFieldName('left')?.text !== e.text) continue;
    const right = n.childForFieldName('right');
    if (!right) continue;
    seen++;
    const r = unparen(right);
    if (r.type === 'string' && !formattedString(r)) continue;
    if (isEscaped(r)) continue;
    const f = formattedString(r);
    if (f && f.exprs.every((x) => isEscaped(x))) continue;
    ok = false;
  }
  return seen > 0 && ok;
}

const HTML_APIS = /mark_safe|SafeString|SafeText|format_html/;

/**
 * `facts` (the rule's text facts) let callees that cannot lead to one of the HTML APIs go
 * unresolved: resolving `api.neutron.list(...)` parses the module it names.
 */
export function findHtmlSites(index: ViewIndex, facts?: TextFacts, parts?: ModuleParts['part']): HtmlSite[] {
  const out: HtmlSite[] = [];
  for (const mod of index.modules) {
    if (!mentions(mod.path, mod.text, HTML_APIS)) continue;
    out.push(...(parts ? parts('html-sites', mod.path, () => htmlSitesOf(index, mod, facts)) : htmlSitesOf(index, mod, facts)));
  }
  return out;
}

/** The API a call's function is, from what it resolves to (`q`) or, unresolved, its last name. */
function htmlApi(q: string | undefined, last: string): HtmlSite['api'] | undefined {
  if (q ? MARK_SAFE.has(q) : last === 'mark_safe') return last === 'mark_safe' || q?.endsWith('mark_safe') ? 'mark_safe' : 'SafeString';
  if (q ? q === FORMAT_HTML : last === 'format_html') return 'format_html';
  return undefined;
}

/** The HTML-building calls of one module (they depend on it and on what its names resolve to). */
function htmlSitesOf(index: ViewIndex, mod: PyModule, facts?: TextFacts): HtmlSite[] {
  const out: HtmlSite[] = [];
  // The same questions as below asked of the function's text first: the calls that cannot be one
  // of the APIs (most) are never made into nodes.
  const mayBeHtml = (text: string): boolean => {
    const dotted = dottedNameOfText(text);
    if (dotted === null) return true;
    const written = dotted === undefined ? undefined : mod.qualifyDotted(dotted);
    if (written && !index.resolver.mayResolveTo(written, mod.path, HTML_APIS, facts)) return false;
    const q = written ? index.resolver.resolve(written, mod.path).qualified : undefined;
    return htmlApi(q, text.split('.').pop()!) !== undefined;
  };
  for (const call of callsWhere(mod.root, prefilters.enabled ? mayBeHtml : () => true)) {
    const fn = call.childForFieldName('function');
    if (!fn || (fn.type !== 'identifier' && fn.type !== 'attribute')) continue;
    const written = mod.qualify(fn);
    // The called name itself must resolve to one of them (followed by name: mayResolveTo).
    if (prefilters.enabled && written && !index.resolver.mayResolveTo(written, mod.path, HTML_APIS, facts)) continue;
    const api = htmlApi(index.resolver.canonical(mod, fn), fn.text.split('.').pop()!);
    if (!api) continue;
    const parts = callParts(call)!;
    const arg = parts.positional[0];
    if (!arg) continue;
    const scope = enclosingFunction(call);
    const derived = requestDerivedNames(scope);
    let formatted = formattedString(arg);
    let via: SyntaxNode | undefined;
    if (!formatted && api !== 'format_html') {
      const traced = tracedFormatted(unparen(arg), scope).filter((t) => t.formatted.exprs.some((e) => !isEscaped(e)));
      const lastT = traced[traced.length - 1];
      if (lastT) {
        formatted = lastT.formatted;
        via = lastT.assignment;
      }
    }
    if (formatted) {
      const data = formatted.exprs.filter((e) => !isEscaped(e) && !builtFromEscaped(e, scope));
      if (data.length === 0) continue;
      out.push({ module: mod, call, arg, api, callee: fn, formatted, via, fromRequest: data.some((e) => usesRequestData(e, derived)) });
    } else if (api !== 'format_html' && usesRequestData(arg, derived) && !isEscaped(arg)) {
      out.push({ module: mod, call, arg, api, callee: fn, fromRequest: true });
    }
  }
  return out;
}

/** `"<b>{}</b>"` and the arguments for format_html, from a simple formatted string. */
export function formatHtmlArgs(f: Formatted): { literal: string; args: string[] } | undefined {
  if (!f.pieces || f.quote === undefined || f.prefix === undefined) return undefined;
  let text = '';
  const args: string[] = [];
  for (const p of f.pieces) {
    if ('lit' in p) text += p.lit.replace(/\{/g, '{{').replace(/\}/g, '}}');
    else {
      text += '{}';
      args.push(p.expr.text);
    }
  }
  return { literal: `${f.prefix}${f.quote}${text}${f.quote}`, args };
}

/** Interpolated values that may intentionally hold HTML (escaping them would change the output). */
export function mayHoldHtml(f: Formatted): boolean {
  return f.exprs.some((e) => /html|safe|rendered|markup|svg|icon|tag|link|widget|content|body|template/i.test(e.text));
}
