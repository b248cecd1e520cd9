// Every place a project switches off Django's CSRF check (spec DJ-VIEW-001): `@csrf_exempt` on a
// function (bare, aliased, dotted, re-exported through a project module), on a method,
// `@method_decorator(csrf_exempt, name=...)` on a class (also in a list of decorators),
// `csrf_exempt(view)` calls (typically in urls.py), and django-braces' CsrfExemptMixin.
import type { SyntaxNode } from '../parsing/syntax';
import type { PyModule, TextFacts } from './imports';
import type { Decorator, ModuleParts, View, ViewIndex } from './model';
import { decoratorInfo } from './model';
import { CSRF_EXEMPT } from './patterns';
import { callParts, callsWhere, definitionOf, descendants, dottedName, dottedNameOfText, named, unparen } from './py';
import { mentions, prefilters } from '../textMemo';

export type CsrfSiteKind = 'decorator' | 'method_decorator' | 'call' | 'mixin';

export interface CsrfSite {
  kind: CsrfSiteKind;
  module: PyModule;
  /** What is underlined: the decorator, the call or the base class expression. */
  node: SyntaxNode;
  /** The expression naming csrf_exempt (`csrf_exempt`, `ce`, `csrf.csrf_exempt`), not for mixins. */
  ref?: SyntaxNode;
  /** The decorator, for decorator kinds. */
  decorator?: Decorator;
  /** For method_decorator with a list: the element to drop. */
  listElement?: { list: SyntaxNode; element: SyntaxNode };
  /** For calls: the wrapped argument. */
  argument?: SyntaxNode;
  /** The view the exemption applies to, when it can be resolved. */
  view?: View;
  /** The method it decorates (`dispatch`, `post`), for method-level decorators. */
  method?: string;
}

function isExempt(q: string | undefined): boolean {
  return q === CSRF_EXEMPT;
}

function isMixin(q: string | undefined, written: string): boolean {
  return (q ?? written).split('.').pop() === 'CsrfExemptMixin';
}

const MENTIONS_CSRF = /csrf|Csrf/;

/**
 * `facts` answers text questions about files (ProjectContext.mentions and friends in a rule run):
 * a module that never mentions csrf can still import csrf_exempt under another name from a
 * project module, and the facts tell which imports can lead there without parsing every module
 * an import names.
 */
export function findCsrfExemptions(index: ViewIndex, facts?: TextFacts, parts?: ModuleParts['part']): CsrfSite[] {
  const { resolver } = index;
  const sites: CsrfSite[] = [];
  // Whether an imported name may itself be csrf_exempt (followed by name through the modules'
  // text: most imports of a view module are modules, or classes defined where they are found).
  const mayReexport = (qualified: string, near: string) => !prefilters.enabled || resolver.mayResolveTo(qualified, near, MENTIONS_CSRF, facts);
  // Modules parsed up front, and those of routed views parsed on demand (a webhook view whose
  // module says nothing a pre-check looks for can still import csrf_exempt under another name).
  for (const mod of new Set([...index.modules, ...index.viewModules])) {
    // A module that never says csrf can still import csrf_exempt under another name: that is
    // worked out per module, and kept until a file it looked at changes.
    const importsExempt = () => [...mod.imports.values()].some((b) => mayReexport(b.qualified, mod.path) && resolver.resolve(b.qualified, mod.path).qualified === CSRF_EXEMPT);
    if (!mentions(mod.path, mod.text, MENTIONS_CSRF) && !(parts ? parts('imports-csrf-exempt', mod.path, importsExempt) : importsExempt())) continue;
    sites.push(...(parts ? parts('csrf-sites', mod.path, () => sitesOf(index, mod)) : sitesOf(index, mod)));
  }
  return sites;
}

/** The CSRF exemptions written in one module (kept per module: ModuleParts). */
function sitesOf(index: ViewIndex, mod: PyModule): CsrfSite[] {
  const { resolver } = index;
  const sites: CsrfSite[] = [];
  // Decorators anywhere in the module (functions, classes, methods).
  for (const dec of descendants(mod.root, 'decorator')) {
    const def = dec.parent?.type === 'decorated_definition' ? definitionOf(dec.parent) : undefined;
    if (!def) continue;
    const info = decoratorInfo(resolver, mod, def).find((d) => d.node.startIndex === dec.startIndex);
    if (!info) continue;
    const target = targetOf(index, mod, def);
    if (!info.call && isExempt(info.qualified)) {
      sites.push({ kind: 'decorator', module: mod, node: dec, ref: info.callee, decorator: info, view: target.view, method: target.method });
    } else if (info.applies) {
      const hit = info.applies.find((a) => isExempt(a.qualified));
      if (!hit) continue;
      const first = unparen(callParts(info.call!)!.positional[0]!);
      const listElement = first.type === 'list' || first.type === 'tuple' ? (named(first).length > 1 ? { list: first, element: hit.expr } : undefined) : undefined;
      sites.push({ kind: 'method_decorator', module: mod, node: dec, ref: hit.expr, decorator: info, listElement, view: target.view, method: info.methodName ?? target.method });
    }
  }
  // csrf_exempt(view) calls that are not decorators. Most calls of a module are of names it does
  // not bind or that resolve elsewhere: their function's text says so without making their nodes.
  const mayBeExempt = (text: string): boolean => {
    const dotted = dottedNameOfText(text);
    if (dotted === null) return true;
    const q = dotted === undefined ? undefined : mod.qualifyDotted(dotted);
    return !!q && isExempt(resolver.resolve(q, mod.path).qualified);
  };
  for (const call of callsWhere(mod.root, prefilters.enabled ? mayBeExempt : () => true)) {
    const fn = call.childForFieldName('function');
    if (!fn || (fn.type !== 'identifier' && fn.type !== 'attribute')) continue;
    if (!isExempt(resolver.canonical(mod, fn))) continue;
    const arg = callParts(call)!.positional[0];
    if (!arg) continue;
    sites.push({ kind: 'call', module: mod, node: call, ref: fn, argument: arg, view: viewOfExpression(index, mod, arg) });
  }
  // class X(CsrfExemptMixin, View)
  for (const cls of descendants(mod.root, 'class_definition')) {
    for (const base of named(cls.childForFieldName('superclasses'))) {
      if (base.type === 'keyword_argument' || base.type === 'comment') continue;
      const written = dottedName(base);
      if (!written || !isMixin(resolver.canonical(mod, base), written)) continue;
      sites.push({ kind: 'mixin', module: mod, node: base, view: index.viewAt(mod, cls) });
    }
  }
  return sites;
}

/** The view a decorated definition belongs to: itself, or the class of a decorated method. */
function targetOf(index: ViewIndex, mod: PyModule, def: SyntaxNode): { view?: View; method?: string } {
  if (def.type === 'class_definition') return { view: index.viewAt(mod, def) };
  let p: SyntaxNode | null = def.parent;
  while (p && p.type !== 'class_definition' && p.type !== 'function_definition' && p.type !== 'module') p = p.parent;
  if (p?.type === 'class_definition') return { view: index.viewAt(mod, p), method: def.childForFieldName('name')?.text };
  if (p?.type === 'module') return { view: index.viewAt(mod, def) };
  return {};
}

/** `views.hook`, `HookView.as_view()`, `login_required(views.x)` → the project view. */
export function viewOfExpression(index: ViewIndex, mod: PyModule, expr: SyntaxNode): View | undefined {
  let e = unparen(expr);
  for (let i = 0; i < 6 && e.type === 'call'; i++) {
    const fn = e.childForFieldName('function')!;
    if (fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'as_view') {
      e = fn.childForFieldName('object')!;
      break;
    }
    const next = callParts(e)!.positional[0];
    if (!next) return undefined;
    e = unparen(next);
  }
  const q = mod.qualify(e);
  if (!q) return undefined;
  const r = index.resolver.resolve(q, mod.path);
  return r.kind === 'def' && r.rest.length === 0 ? index.viewAt(r.module, r.node) : undefined;
}
