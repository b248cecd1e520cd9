// Brute-force protection of authentication-like endpoints (spec DJ-VIEW-003 / DJ-URL-004): which
// views are auth endpoints that accept POST, and whether anything limits them — django-ratelimit
// (decorator, method_decorator, wrapping in urls.py), DRF throttles (on the view, a project base
// class, or globally), django-axes / django-defender, allauth's built-in limits, a rate-limiting
// middleware, or the project's own limiter called in the body.
import type { SyntaxNode } from '../parsing/syntax';
import { classDecorators, classAcceptsPost, decoratorInfo, type Decorator, lookupAttribute, lookupMethod, type View, type ViewIndex } from './model';
import { ALLAUTH_PREFIX, AUTH_VIEW_NAME, externalAuthView, isRateLimitName, SAFE_ONLY_DECORATORS } from './patterns';
import { callParts, descendants, named, snakeCase, stringValue, unparen } from './py';
import { routeWords, routesOf } from './viewFacts';

export type AuthCategory = 'login' | 'password' | 'signup' | 'otp';

/** Facts from settings the decision needs (computed by the caller from the production profile). */
export interface ProtectionSettings {
  /** DRF DEFAULT_THROTTLE_CLASSES: throttles every DRF view, only scoped ones, none, or unreadable. */
  drfThrottle: 'all' | 'scoped' | 'none' | 'unknown';
  /** django-axes or django-defender installed (they lock out failed authenticate() calls). */
  lockout: boolean;
  /** A middleware that limits requests (not django_ratelimit's exception middleware). */
  limitingMiddleware?: string;
  /** allauth's ACCOUNT_RATE_LIMITS explicitly disabled. */
  allauthLimitsDisabled: boolean;
}

/** Token refresh, logout and revocation endpoints cannot be brute-forced for credentials. */
const NOT_AUTH = /(^|_)(refresh|logout|log_out|signout|sign_out|revoke|blacklist|blocklist)(_|$)/;

export function categoryOf(words: string): AuthCategory | undefined {
  if (!AUTH_VIEW_NAME.test(words) || NOT_AUTH.test(words)) return undefined;
  if (/(^|_)password|(^|_)forgot|reset_password/.test(words)) return 'password';
  if (/(^|_)(register|registration|signup|sign_up)(_|$)/.test(words)) return 'signup';
  if (/(^|_)(otp|verify|verification|mfa|2fa|two_factor|activate|activation|magic|magic_link)(_|$)/.test(words)) return 'otp';
  return 'login';
}

/** The auth category of a view from its name, its routes, or a library auth base class. */
/**
 * Categories already worked out, per index and view: the rate-limit rules ask on every analysis
 * (each keystroke in a settings module their fixes edit), and a kept index keeps its views.
 */
const categories = new WeakMap<ViewIndex, Map<View, AuthCategory | null>>();

export function viewCategory(index: ViewIndex, view: View): AuthCategory | undefined {
  let byView = categories.get(index);
  if (!byView) categories.set(index, (byView = new Map()));
  let category = byView.get(view);
  if (category === undefined) byView.set(view, (category = categoryOfView(index, view) ?? null));
  return category ?? undefined;
}

function categoryOfView(index: ViewIndex, view: View): AuthCategory | undefined {
  const byName = categoryOf(snakeCase(view.name));
  if (byName) return byName;
  if (view.kind === 'class') {
    for (const b of view.externalBases) {
      const c = externalAuthView(b);
      if (c) return c as AuthCategory;
    }
  }
  for (const r of routesOf(index, view)) {
    const c = categoryOf(routeWords(r));
    if (c) return c;
  }
  return undefined;
}

const POST_EVIDENCE = /\brequest\.(POST|method|body|data|FILES)\b|\bauthenticate\(|\.is_valid\(|\blogin\(\s*request/;

function methodsOf(d: Decorator): string[] | undefined {
  if (!d.call) return undefined;
  const first = callParts(d.call)!.positional[0];
  if (!first) return d.name === 'api_view' ? ['GET'] : undefined;
  const list = unparen(first);
  if (list.type !== 'list' && list.type !== 'tuple') return undefined;
  return named(list).map((n) => (stringValue(n) ?? '').toUpperCase());
}

/** Does a function view accept (and handle) POST? */
export function functionAcceptsPost(view: View): boolean {
  for (const d of view.decorators) {
    if (SAFE_ONLY_DECORATORS.test(d.name)) return false;
    if (d.name === 'require_POST') return true;
    if (d.name === 'require_http_methods' || d.name === 'api_view') {
      const m = methodsOf(d);
      if (m) return m.includes('POST') || m.includes('PUT') || m.includes('PATCH');
      if (d.name === 'api_view' && !d.call) return false;
    }
  }
  return POST_EVIDENCE.test(view.node.text);
}

export function acceptsPost(view: View): boolean {
  return view.kind === 'class' ? classAcceptsPost(view) : functionAcceptsPost(view);
}

/**
 * Is a function a helper rather than an endpoint? Routed views are endpoints; unrouted functions are
 * helpers when the URL configuration was read completely, or when another function of the module
 * calls them.
 */
export function isEndpoint(index: ViewIndex, view: View): boolean {
  if (view.routed) return true;
  if (view.kind === 'class') return !index.urls.complete || !index.urls.root;
  if (index.urls.complete && index.urls.root) return false;
  const name = view.name;
  const text = view.module.text;
  // A call of the function names it once more than its own `def` does: without a second
  // occurrence of the word, no call needs to be looked for (and no node made for every call).
  if (wordOccurrences(text, name, 2) < 2) return true;
  for (const call of descendants(view.module.root, 'call')) {
    const fn = call.childForFieldName('function');
    if (fn?.type === 'identifier' && fn.endIndex - fn.startIndex === name.length && text.startsWith(name, fn.startIndex)) return false;
  }
  return true;
}

/**
 * How many times `word` stands in `text` with no ASCII letter, digit or underscore on either side,
 * counting up to `enough`. Any other character counts as a boundary, so the count is never below
 * the number of identifiers `word` in the code.
 */
export function wordOccurrences(text: string, word: string, enough: number): number {
  if (word === '') return enough;
  let count = 0;
  for (let at = text.indexOf(word); at >= 0 && count < enough; at = text.indexOf(word, at + 1)) {
    if (isWordChar(text.charCodeAt(at - 1)) || isWordChar(text.charCodeAt(at + word.length))) continue;
    count++;
  }
  return count;
}

function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

function isRateLimitDecorator(d: Decorator): boolean {
  if (isRateLimitName(d.name) || (d.qualified && isRateLimitName(d.qualified))) return true;
  return !!d.applies?.some((a) => isRateLimitName(a.name) || (a.qualified ? isRateLimitName(a.qualified) : false));
}

/** A non-empty literal list/tuple (or anything non-literal, which we trust). */
function nonEmpty(value: SyntaxNode): boolean {
  const v = unparen(value);
  if (v.type === 'list' || v.type === 'tuple') return named(v).some((n) => n.type !== 'comment');
  return v.type !== 'none';
}

export interface Protection {
  protectedBy?: string;
  /** DRF view whose throttling cannot be decided from settings: do not report. */
  undecided?: boolean;
}

export function protectionOf(index: ViewIndex, view: View, category: AuthCategory, settings: ProtectionSettings): Protection {
  const resolver = index.resolver;
  // Wrapped in urls.py: path("login/", ratelimit(...)(views.login)).
  for (const p of index.urls.byView.get(view.key) ?? []) {
    const w = p.wrappers.find((x) => isRateLimitName(x.name) || (x.qualified ? isRateLimitName(x.qualified) : false));
    if (w) return { protectedBy: `${w.name}(...) in urls` };
  }
  const decorators = view.kind === 'class' ? classDecorators(resolver, view) : view.decorators;
  const dec = decorators.find(isRateLimitDecorator);
  if (dec) return { protectedBy: `@${dec.name}` };
  if (view.kind === 'class') {
    for (const m of ['post', 'dispatch', 'create', 'put']) {
      const hit = lookupMethod(view, m);
      if (hit && decoratorInfo(resolver, hit.module, hit.node).some(isRateLimitDecorator)) return { protectedBy: `a rate-limit decorator on ${m}()` };
    }
    const classes = lookupAttribute(view, 'throttle_classes');
    const scope = lookupAttribute(view, 'throttle_scope');
    if (classes && nonEmpty(classes.value)) return { protectedBy: 'throttle_classes' };
    if (classes && !nonEmpty(classes.value)) return {};
    if (scope && view.isDrf && settings.drfThrottle !== 'none') return { protectedBy: 'throttle_scope' };
    if (view.externalBases.some((b) => b.startsWith(ALLAUTH_PREFIX)) && !settings.allauthLimitsDisabled) return { protectedBy: "allauth's ACCOUNT_RATE_LIMITS" };
  } else {
    const t = view.decorators.find((d) => d.name === 'throttle_classes');
    if (t) return { protectedBy: '@throttle_classes' };
  }
  if (view.isDrf) {
    if (settings.drfThrottle === 'all') return { protectedBy: "REST_FRAMEWORK's DEFAULT_THROTTLE_CLASSES" };
    if (settings.drfThrottle === 'unknown') return { undecided: true };
  }
  if (settings.lockout && category === 'login') return { protectedBy: 'django-axes/django-defender' };
  if (settings.limitingMiddleware) return { protectedBy: settings.limitingMiddleware };
  // The project's own limiter called in the body (cache counters, is_ratelimited, a helper).
  if (/is_ratelimited|rate_?limit|throttl|RateLimit|too_many_attempts|login_attempts|failed_attempts/i.test(view.node.text)) return { protectedBy: 'a limiter in the view body' };
  return {};
}
