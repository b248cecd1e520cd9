// Glue between the view/URL model and a rule run: the index is computed once per analysis and
// shared by every rule (ctx.shared), and a few production-settings facts the view rules need
// (ROOT_URLCONF, installed apps, middleware, DRF throttling, the cache backend).
import { dirname, join } from 'node:path';
import type { ProjectContext } from '../rules/types';
import type { Fix } from '../types';
import { dictGetStr, isSequence, type Value } from '../settings/value';
import { buildViewIndex, type ViewIndex } from './model';
import { assignedAliases, ResolverCaches, textBindings, textImports, type TextFacts } from './imports';
import { UNSHARED_CACHES } from './patterns';
import type { ProtectionSettings } from './ratelimit';

export function viewIndex(ctx: ProjectContext): ViewIndex {
  // Kept across analyses: a keystroke in a settings module leaves the app's views and URLconfs
  // alone, and rebuilding the index was most of a keystroke's time on a large project. A keystroke
  // in a view module rebuilds it from the other modules' kept parts (moduleParts).
  return ctx.shared(
    'views.index',
    () => buildViewIndex({ project: ctx.project, files: ctx.files, sources: ctx.sources, rootUrlconf: rootUrlconf(ctx), mentions: ctx.mentions, derived: ctx.derived, caches: ctx.kept('views.resolver-caches', () => new ResolverCaches()), parts: moduleParts(ctx) }),
    { persist: true },
  );
}

/**
 * Per-module results kept across analyses until a file each one read changes (ModuleParts). The
 * module itself is one of them: `compute` gets its tree from the caller, not through the recording
 * sources, so it is read here for the record.
 */
export function moduleParts(ctx: ProjectContext): <T>(name: string, path: string, compute: () => T) => T {
  return (name, path, compute) =>
    ctx.shared(
      `views.${name}:${path}`,
      () => {
        if (path.endsWith('.py')) ctx.sources.get(path);
        return compute();
      },
      { persist: true },
    );
}

const textFactsByContext = new WeakMap<ProjectContext, TextFacts>();

/** Text facts about files through the rule's context, so the rule depends on the answers only. */
export function textFacts(ctx: ProjectContext): TextFacts {
  let facts = textFactsByContext.get(ctx);
  if (!facts) {
    facts = {
      mentions: (file, re) => ctx.mentions(file, re),
      importedNames: (file) => ctx.derived(file, 'text-imports', (text) => textImports(text).join('\n')) ?? '',
      bindings: (file) => ctx.derived(file, 'text-bindings', textBindings) ?? '',
      aliases: (file, name) => ctx.derived(file, `aliases ${name}`, (text) => assignedAliases(text, name)) ?? '',
      recordedIn: () => ctx.recordedIn(),
    };
    textFactsByContext.set(ctx, facts);
  }
  return facts;
}

/** ROOT_URLCONF from production settings, else the urls.py next to a settings module. */
export function rootUrlconf(ctx: ProjectContext): string | undefined {
  const v = ctx.profile?.setting('ROOT_URLCONF').value;
  if (v?.kind === 'str') return v.value;
  for (const m of [ctx.project.production, ...ctx.project.settingsModules]) {
    if (!m) continue;
    let dir = dirname(m.path);
    if (dir.endsWith('/settings')) dir = dirname(dir);
    const urls = join(dir, 'urls.py');
    if (ctx.fs.isFile(urls)) return ctx.sources.moduleInfo(urls).moduleName;
  }
  return undefined;
}

function strings(v: Value | undefined): { items: string[]; partial: boolean } {
  if (!v || !isSequence(v)) return { items: [], partial: true };
  const items: string[] = [];
  let partial = !!v.partial;
  for (const i of v.items) {
    if (i.kind === 'str') items.push(i.value);
    else partial = true;
  }
  return { items, partial };
}

export function installedApps(ctx: ProjectContext): { items: string[]; partial: boolean } {
  return strings(ctx.profile?.setting('INSTALLED_APPS').value);
}

export function middleware(ctx: ProjectContext): { items: string[]; partial: boolean } {
  return strings(ctx.profile?.setting('MIDDLEWARE').value);
}

/** An app (or its AppConfig path) is in INSTALLED_APPS. */
export function hasApp(ctx: ProjectContext, app: string): boolean {
  return installedApps(ctx).items.some((a) => a === app || a.startsWith(app + '.'));
}

/** A middleware that limits requests by itself (not django_ratelimit's exception handler, not axes). */
export function limitingMiddleware(ctx: ProjectContext): string | undefined {
  return middleware(ctx).items.find((m) => /ratelimit|rate_limit|throttl|brute/i.test(m) && m !== 'django_ratelimit.middleware.RatelimitMiddleware');
}

/** django-axes or django-defender installed (or required when INSTALLED_APPS cannot be read fully). */
export function lockoutInstalled(ctx: ProjectContext): boolean {
  if (hasApp(ctx, 'axes') || hasApp(ctx, 'defender')) return true;
  return installedApps(ctx).partial && (hasRequirement(ctx, 'django-axes') || hasRequirement(ctx, 'django-defender'));
}

/** allauth's ACCOUNT_RATE_LIMITS = False (or {}) switches its built-in limits off. */
export function allauthLimitsDisabled(ctx: ProjectContext): boolean {
  const v = ctx.profile?.setting('ACCOUNT_RATE_LIMITS').value;
  return !!v && ((v.kind === 'bool' && !v.value) || (v.kind === 'dict' && v.entries.length === 0 && !v.partial));
}

/** Is a package declared in the project's requirements (normalised name)? */
export function hasRequirement(ctx: ProjectContext, name: string): boolean {
  return ctx.project.requirementNames.has(name.toLowerCase().replace(/[-.]+/g, '_'));
}

/**
 * DRF's global throttling: 'all' when DEFAULT_THROTTLE_CLASSES throttles every view, 'scoped' when
 * it only holds ScopedRateThrottle (views with throttle_scope), 'none', or 'unknown' when the
 * settings cannot be read.
 */
export function drfGlobalThrottle(ctx: ProjectContext): 'all' | 'scoped' | 'none' | 'unknown' {
  if (!ctx.profile) return 'unknown';
  const rf = ctx.profile.setting('REST_FRAMEWORK');
  if (rf.isDefault) return rf.mayBeDefinedElsewhere ? 'unknown' : 'none';
  const v = rf.value;
  if (v.kind !== 'dict') return 'unknown';
  const classes = dictGetStr(v, 'DEFAULT_THROTTLE_CLASSES');
  if (!classes) return v.partial ? 'unknown' : 'none';
  const s = strings(classes);
  if (s.items.length === 0) return s.partial ? 'unknown' : 'none';
  if (s.items.every((c) => c.endsWith('ScopedRateThrottle')) && !s.partial) return 'scoped';
  return 'all';
}

/** Throttle rates configured in DRF settings (scope → rate), undefined when unreadable. */
export function drfThrottleRates(ctx: ProjectContext): Map<string, string> | undefined {
  const v = ctx.profile?.setting('REST_FRAMEWORK').value;
  if (!v || v.kind !== 'dict') return ctx.profile?.setting('REST_FRAMEWORK').isDefault ? new Map() : undefined;
  const rates = dictGetStr(v, 'DEFAULT_THROTTLE_RATES');
  const out = new Map<string, string>();
  if (!rates) return out;
  if (rates.kind !== 'dict') return undefined;
  for (const e of rates.entries) if (e.key.kind === 'str' && e.value.kind === 'str') out.set(e.key.value, e.value.value);
  return out;
}

/** Why the production cache cannot back a rate limiter (LocMem by default), or undefined. */
export function unsharedCache(ctx: ProjectContext): { backend: string; reason: string; isDefault: boolean } | undefined {
  if (!ctx.profile) return undefined;
  const caches = ctx.profile.setting('CACHES');
  const alias = ctx.profile.setting('RATELIMIT_USE_CACHE');
  const aliasName = alias.value.kind === 'str' ? alias.value.value : 'default';
  const entry = dictGetStr(caches.value, aliasName);
  const backend = dictGetStr(entry, 'BACKEND');
  if (backend?.kind !== 'str') return undefined;
  const reason = UNSHARED_CACHES[backend.value];
  if (!reason) return undefined;
  return { backend: backend.value.split('.').pop()!, reason, isDefault: caches.isDefault };
}

/** The sentence a rate-limit finding adds when the production cache cannot share counters. */
export function cacheWarning(ctx: ProjectContext, limiter = 'django-ratelimit'): string {
  const c = unsharedCache(ctx);
  if (!c) return '';
  const which = c.isDefault ? `Django's default cache, ${c.backend},` : c.backend;
  return ` Note: ${limiter} counts in the cache, and production uses ${which} which ${c.reason}: configure a shared cache (Redis or Memcached) before relying on the limit.`;
}

/** The settings facts the rate-limit decision needs. */
export function protectionSettings(ctx: ProjectContext): ProtectionSettings {
  return ctx.shared('views.protectionSettings', () => ({
    drfThrottle: drfGlobalThrottle(ctx),
    lockout: lockoutInstalled(ctx),
    limitingMiddleware: limitingMiddleware(ctx),
    allauthLimitsDisabled: allauthLimitsDisabled(ctx),
  }));
}

/**
 * Fixes whose Python files all parse: a file with a syntax error (half-typed code, a Jinja template
 * such as cookiecutter's) is never edited (spec §c.4).
 */
export function editableFixes(ctx: ProjectContext, fixes: Fix[]): Fix[] {
  return fixes.filter((f) => f.edits.length > 0 && f.edits.every((e) => !e.file.endsWith('.py') || !ctx.sources.get(e.file)?.root.hasError));
}
