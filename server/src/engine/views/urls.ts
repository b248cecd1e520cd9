// URL patterns of a project, read from ROOT_URLCONF and every module it include()s (spec §b.2
// "U"): `path`/`re_path`/`url` entries with their full literal route, the view each one reaches
// (through `as_view()`, wrappers such as `csrf_exempt(view)` or `ratelimit(...)(view)`, and DRF
// routers), `static()` additions, and whether an entry sits under `if settings.DEBUG:`. Modules named
// urls.py that nothing includes are read too, marked unreachable, so "is there a route like X
// anywhere" questions never give a false negative.
import { basename } from 'node:path';
import type { SyntaxNode } from '../parsing/syntax';
import type { DjangoProject } from '../project/model';
import type { ModuleResolver, PyModule } from './imports';
import type { View } from './model';
import { callParts, dottedName, named, stringValue, unparen } from './py';
import { mayMatch } from '../textMemo';

export interface UrlWrapper {
  call: SyntaxNode;
  qualified?: string;
  name: string;
}

export interface UrlPattern {
  module: PyModule;
  /** The `path(...)` call (kind route), `static(...)` call, or `router.register(...)` call. */
  node: SyntaxNode;
  kind: 'route' | 'static' | 'router';
  /** `path`, `re_path` or `url`. */
  fn?: string;
  /** This entry's own route, when it is a literal. */
  route?: string;
  routeNode?: SyntaxNode;
  /** Route including every include() prefix, when all of them are literal (regex anchors removed). */
  fullRoute?: string;
  viewArg?: SyntaxNode;
  /** The view expression after unwrapping `as_view()` and wrapper calls. */
  viewExpr?: SyntaxNode;
  asView: boolean;
  wrappers: UrlWrapper[];
  target?: View;
  /** Canonical qualified name of a library view (`django.contrib.auth.views.LoginView`). */
  external?: string;
  /** For include() entries: the included module, or its dotted name when it is a library's. */
  include?: { module?: PyModule; name?: string };
  isAdmin: boolean;
  name?: string;
  debugGuarded: boolean;
  /** The list literal the entry is an element of, if any. */
  container?: SyntaxNode;
  /** The module-level statement the entry belongs to. */
  statement: SyntaxNode;
  /** Reached from ROOT_URLCONF. */
  reachable: boolean;
}

/**
 * Words a route or a view name can carry that some rule looks for: login/token/sign-up/reset/OTP
 * views (DJ-VIEW-003), probes (DJ-URL-001), webhooks (DJ-VIEW-001).
 */
const ROUTE_INTEREST = /log_?in|sign_?in|logon|auth|token|obtain|passw|forgot|reset|regist|sign_?up|otp|verif|mfa|2fa|two_factor|activat|magic|health|ping|status|alive|ready|live|webhook|hook|callback|ipn|notif|stripe|paypal|razorpay|twilio|github|slack/i;

export interface UrlIndex {
  rootName?: string;
  root?: PyModule;
  modules: PyModule[];
  patterns: UrlPattern[];
  /** Every include() was followed and every urlpatterns expression understood. */
  complete: boolean;
  byView: Map<string, UrlPattern[]>;
}

interface UrlInput {
  resolver: ModuleResolver;
  project: DjangoProject;
  rootUrlconf?: string;
  viewAt(module: PyModule, def: SyntaxNode): View | undefined;
  modules: PyModule[];
  /** Per-module results kept between indexes (views/model.ts ModuleParts). */
  parts?: <T>(name: string, path: string, compute: () => T) => T;
}

/** A URLconf module's entry, or the place where it includes another module. */
type UrlItem = { pattern: UrlPattern } | { include: PyModule; prefix: string | undefined; guarded: boolean };

interface UrlPart {
  items: UrlItem[];
  /** Every entry of the module was understood. */
  complete: boolean;
}

function cleanRoute(route: string, regex: boolean): string {
  if (!regex) return route;
  return route
    .replace(/^\^/, '')
    .replace(/\$$/, '')
    .replace(/\\\//g, '/')
    .replace(/\/\?$/, '/');
}

export function buildUrlIndex(input: UrlInput): UrlIndex {
  const { resolver } = input;
  const patterns: UrlPattern[] = [];
  const modules: PyModule[] = [];
  const walked = new Set<string>();
  let complete = true;
  const byView = new Map<string, UrlPattern[]>();

  let root: PyModule | undefined;
  if (input.rootUrlconf) root = resolver.moduleByName(input.rootUrlconf);
  if (!root) complete = false;

  // Each module's entries are worked out once per prefix and kept (input.parts) until the module or
  // a module they resolve through changes; the walk replays them, following includes in place.
  const walkModule = (mod: PyModule, prefix: string | undefined, guarded: boolean, reachable: boolean) => {
    if (walked.has(mod.path)) return;
    walked.add(mod.path);
    modules.push(mod);
    const compute = () => urlPartOf(mod, prefix, guarded, reachable);
    const part = input.parts ? input.parts(`urls:${prefix ?? '\0'}:${guarded}:${reachable}`, mod.path, compute) : compute();
    if (!part.complete) complete = false;
    for (const item of part.items) {
      if ('include' in item) {
        walkModule(item.include, item.prefix, item.guarded, reachable);
        continue;
      }
      const p = item.pattern;
      patterns.push(p);
      // The view object of this index (a kept part names the one of the index it was made for).
      const view = p.target && input.viewAt(p.target.module, p.target.node);
      if (!view) continue;
      p.target = view;
      if (reachable) view.routed = true;
      const list = byView.get(view.key) ?? [];
      list.push(p);
      byView.set(view.key, list);
    }
  };

  /** One URLconf module's entries in order, with markers where it includes another module. */
  const urlPartOf = (mod: PyModule, prefix: string | undefined, guarded: boolean, reachable: boolean): UrlPart => {
    const items: UrlItem[] = [];
    let complete = true;
    const routers = routerRegistrations(mod);
    const seenVars = new Set<string>();

    const addRoute = (call: SyntaxNode, fnName: string, pfx: string | undefined, g: boolean, container: SyntaxNode | undefined, statement: SyntaxNode) => {
      const parts = callParts(call)!;
      const routeArg = parts.positional[0] ?? parts.keywords.get('route');
      const viewArg = parts.positional[1] ?? parts.keywords.get('view');
      const raw = stringValue(routeArg);
      const regex = fnName !== 'path';
      const route = raw === undefined ? undefined : cleanRoute(raw, regex);
      const full = pfx !== undefined && route !== undefined ? pfx + route : undefined;
      const p: UrlPattern = {
        module: mod,
        node: call,
        kind: 'route',
        fn: fnName,
        route,
        routeNode: routeArg,
        fullRoute: full,
        viewArg,
        asView: false,
        wrappers: [],
        isAdmin: false,
        name: stringValue(parts.keywords.get('name')),
        debugGuarded: g,
        container,
        statement,
        reachable,
      };
      items.push({ pattern: p });
      if (!viewArg) return;
      const v = unparen(viewArg);
      if (v.type === 'call' && lastCallee(v) === 'include') {
        includeTarget(v, p, full, g, statement);
        return;
      }
      if (dottedName(v)?.endsWith('site.urls') || (v.type === 'attribute' && v.childForFieldName('attribute')?.text === 'urls' && /admin/.test(v.text))) {
        p.isAdmin = true;
        return;
      }
      unwrapView(p, v);
    };

    const includeTarget = (call: SyntaxNode, p: UrlPattern, full: string | undefined, g: boolean, statement: SyntaxNode) => {
      const parts = callParts(call)!;
      let arg = parts.positional[0] ? unparen(parts.positional[0]) : undefined;
      if (arg && arg.type === 'tuple') arg = named(arg)[0];
      if (!arg) return;
      const name = stringValue(arg);
      if (name !== undefined) {
        const target = resolver.moduleByName(name, mod.path);
        p.include = { module: target, name };
        if (target) items.push({ include: target, prefix: full, guarded: g });
        return;
      }
      if (arg.type === 'list') {
        collect(arg, full, g, statement);
        return;
      }
      if (arg.type === 'attribute' && arg.childForFieldName('attribute')?.text === 'urls') {
        const obj = dottedName(arg.childForFieldName('object'));
        if (obj && routers.has(obj)) {
          routerPatterns(obj, full, g, statement);
          return;
        }
        if (obj && /admin/.test(obj)) {
          p.isAdmin = true;
          return;
        }
      }
      const d = dottedName(arg);
      if (d && mod.assigns.has(d)) {
        collect(mod.assigns.get(d)!, full, g, statement);
        return;
      }
      const q = mod.qualify(arg);
      const r = q ? resolver.resolve(q, mod.path) : undefined;
      if (r?.kind === 'module') {
        p.include = { module: r.module, name: r.module.moduleName };
        items.push({ include: r.module, prefix: full, guarded: g });
        return;
      }
      if (r?.kind === 'external') {
        p.include = { name: r.qualified };
        return;
      }
      complete = false;
    };

    const unwrapView = (p: UrlPattern, start: SyntaxNode) => {
      let v = start;
      for (let i = 0; i < 8 && v.type === 'call'; i++) {
        const fn = v.childForFieldName('function')!;
        const parts = callParts(v)!;
        if (fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'as_view') {
          p.asView = true;
          v = fn.childForFieldName('object')!;
          break;
        }
        if (fn.type === 'call') {
          const inner = fn.childForFieldName('function') ?? fn;
          p.wrappers.push({ call: v, qualified: resolver.canonical(mod, inner), name: lastName(inner) });
        } else {
          p.wrappers.push({ call: v, qualified: resolver.canonical(mod, fn), name: lastName(fn) });
        }
        const next = parts.positional[0];
        if (!next) return;
        v = unparen(next);
      }
      p.viewExpr = v;
      let q = mod.qualify(v);
      if (!q && (v.type === 'identifier' || v.type === 'attribute')) {
        // `from .views import *`: look the name up in the star-imported modules.
        const d = dottedName(v)!;
        for (const star of mod.starImports) {
          const r = resolver.resolve(`${star}.${d}`, mod.path);
          if (r.kind === 'def') {
            q = `${star}.${d}`;
            break;
          }
        }
        // An unresolvable view name means some routed views cannot be known.
        if (!q && !['serve', 'path'].includes(d)) complete = false;
      }
      if (!q) return;
      // Parsing the module of every routed view is most of a large project's parse time, and a
      // view only matters to a rule through its name, its route or a wrapper in the URLconf:
      // others are resolved only if that costs no parse.
      if (!p.wrappers.length && !mayMatch(ROUTE_INTEREST, p.fullRoute ?? p.route ?? '') && !mayMatch(ROUTE_INTEREST, q.slice(q.lastIndexOf('.') + 1)) && !resolver.resolvesCheaply(q, mod.path)) return;
      const r = resolver.resolve(q, mod.path);
      if (r.kind === 'def' && r.rest.length === 0) {
        const view = input.viewAt(r.module, r.node);
        if (view) p.target = view;
      } else if (r.kind === 'external') {
        p.external = r.qualified;
      }
    };

    const routerPatterns = (routerVar: string, pfx: string | undefined, g: boolean, statement: SyntaxNode) => {
      for (const reg of routers.get(routerVar) ?? []) {
        const parts = callParts(reg)!;
        const prefixArg = parts.positional[0] ?? parts.keywords.get('prefix');
        const viewset = parts.positional[1] ?? parts.keywords.get('viewset');
        const raw = stringValue(prefixArg);
        const route = raw === undefined ? undefined : cleanRoute(raw, true) + '/';
        const p: UrlPattern = {
          module: mod,
          node: reg,
          kind: 'router',
          route,
          routeNode: prefixArg,
          fullRoute: pfx !== undefined && route !== undefined ? pfx + route : undefined,
          viewArg: viewset,
          asView: true,
          wrappers: [],
          isAdmin: false,
          debugGuarded: g,
          statement,
          reachable,
        };
        items.push({ pattern: p });
        if (viewset) unwrapView(p, unparen(viewset));
      }
    };

    const collect = (expr: SyntaxNode, pfx: string | undefined, g: boolean, statement: SyntaxNode, container?: SyntaxNode) => {
      const e = unparen(expr);
      switch (e.type) {
        case 'list':
        case 'tuple':
          for (const el of named(e)) {
            if (el.type === 'comment') continue;
            if (el.type === 'list_splat') {
              const inner = named(el)[0];
              if (inner) collect(inner, pfx, g, statement);
            } else collect(el, pfx, g, statement, e);
          }
          return;
        case 'binary_operator':
          collect(e.childForFieldName('left')!, pfx, g, statement);
          collect(e.childForFieldName('right')!, pfx, g, statement);
          return;
        case 'call': {
          const name = lastCallee(e);
          const parts = callParts(e)!;
          if (name === 'path' || name === 're_path' || name === 'url') return addRoute(e, name, pfx, g, container, statement);
          if (name === 'static' || name === 'staticfiles_urlpatterns') {
            items.push({ pattern: { module: mod, node: e, kind: 'static', asView: false, wrappers: [], isAdmin: false, debugGuarded: g, container, statement, reachable } });
            return;
          }
          if (name === 'i18n_patterns') {
            for (const a of parts.positional) collect(a, pfx, g, statement, parts.args ?? undefined);
            return;
          }
          if (name === 'format_suffix_patterns' && parts.positional[0]) return collect(parts.positional[0], pfx, g, statement);
          if (name === 'debug_toolbar_urls') return;
          complete = false;
          return;
        }
        case 'identifier': {
          if (e.text === 'urlpatterns' || seenVars.has(e.text)) return;
          const assigned = mod.assigns.get(e.text);
          if (assigned) {
            seenVars.add(e.text);
            collect(assigned, pfx, g, statement);
            return;
          }
          complete = false;
          return;
        }
        case 'attribute': {
          if (e.childForFieldName('attribute')?.text === 'urls') {
            const obj = dottedName(e.childForFieldName('object'));
            if (obj && routers.has(obj)) return routerPatterns(obj, pfx, g, statement);
          }
          complete = false;
          return;
        }
        default:
          return;
      }
    };

    const visitBlock = (block: SyntaxNode, g: boolean) => {
      for (const stmt of named(block)) {
        if (stmt.type === 'if_statement') {
          const cond = stmt.childForFieldName('condition')?.text ?? '';
          const mentionsDebug = /\bDEBUG\b/.test(cond);
          const negated = /^\s*not\b/.test(cond);
          const body = stmt.childForFieldName('consequence');
          if (body) visitBlock(body, g || (mentionsDebug && !negated));
          for (const alt of stmt.childrenForFieldName('alternative')) {
            if (!alt) continue;
            const b = alt.childForFieldName('body') ?? alt.childForFieldName('consequence') ?? named(alt).find((c) => c.type === 'block');
            if (b) visitBlock(b, g || (mentionsDebug && negated && alt.type === 'else_clause'));
          }
          continue;
        }
        if (stmt.type === 'try_statement') {
          for (const c of named(stmt)) {
            if (c.type === 'block') visitBlock(c, g);
            else for (const b of named(c)) if (b.type === 'block') visitBlock(b, g);
          }
          continue;
        }
        if (stmt.type !== 'expression_statement') continue;
        const inner = stmt.namedChildren[0];
        if (!inner) continue;
        if (inner.type === 'assignment' || inner.type === 'augmented_assignment') {
          if (inner.childForFieldName('left')?.text !== 'urlpatterns') continue;
          const right = inner.childForFieldName('right');
          if (right) collect(right, prefix, g, stmt);
        } else if (inner.type === 'call') {
          const fn = inner.childForFieldName('function');
          if (fn?.type !== 'attribute' || fn.childForFieldName('object')?.text !== 'urlpatterns') continue;
          const method = fn.childForFieldName('attribute')?.text;
          const parts = callParts(inner)!;
          if (method === 'append') {
            const a = parts.positional[0];
            if (a) collect(a, prefix, g, stmt);
          } else if (method === 'extend' || method === 'insert') {
            const a = method === 'insert' ? parts.positional[1] : parts.positional[0];
            if (a) collect(a, prefix, g, stmt);
          }
        }
      }
    };
    visitBlock(mod.root, guarded);
    return { items, complete };
  };

  if (root) walkModule(root, '', false, true);
  // urls modules nothing reachable includes (or all of them when ROOT_URLCONF is unknown).
  for (const mod of input.modules) {
    if (walked.has(mod.path)) continue;
    const name = basename(mod.path);
    const isUrls = name === 'urls.py' || basename(mod.path.slice(0, -name.length - 1)) === 'urls';
    if (isUrls && /urlpatterns/.test(mod.text)) walkModule(mod, undefined, false, false);
  }
  return { rootName: input.rootUrlconf, root, modules, patterns, complete, byView };
}

function lastName(node: SyntaxNode): string {
  const d = dottedName(node);
  return d ? d.split('.').pop()! : node.text;
}

function lastCallee(call: SyntaxNode): string | undefined {
  const fn = call.childForFieldName('function');
  return fn ? dottedName(fn)?.split('.').pop() : undefined;
}

/** `router = DefaultRouter()` and `router.register(...)` calls of a module. */
function routerRegistrations(mod: PyModule): Map<string, SyntaxNode[]> {
  const out = new Map<string, SyntaxNode[]>();
  for (const [name, value] of mod.assigns) {
    const v = unparen(value);
    if (v.type === 'call' && /Router$/.test(lastCallee(v) ?? '')) out.set(name, []);
  }
  if (out.size === 0) return out;
  const visit = (block: SyntaxNode) => {
    for (const stmt of named(block)) {
      if (stmt.type === 'if_statement' || stmt.type === 'try_statement') {
        for (const c of named(stmt)) if (c.type === 'block') visit(c);
        continue;
      }
      const call = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : undefined;
      if (call?.type !== 'call') continue;
      const fn = call.childForFieldName('function');
      if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'register') continue;
      const obj = dottedName(fn.childForFieldName('object'));
      if (obj && out.has(obj)) out.get(obj)!.push(call);
    }
  };
  visit(mod.root);
  return out;
}
