import { addRequirementEdits } from '../../fixes/requirementsEdit';
import { LiteralEditor, py, quoteString, replaceStringContent } from '../../fixes/literalEdit';
import { dictGetStr, truthy } from '../../settings/value';
import type { Fix } from '../../types';
import { dictSetting, keyState, lastPart, ratelimitUsed } from '../apiSettings';
import type { SettingsContext, SettingsRule } from '../types';

const SUPPORTED = ['django.core.cache.backends.memcached.PyMemcacheCache', 'django.core.cache.backends.memcached.PyLibMCCache', 'django_redis.cache.RedisCache'];
const BROKEN: Record<string, string> = {
  'django.core.cache.backends.dummy.DummyCache': 'stores nothing, so no limit ever triggers',
  'django.core.cache.backends.locmem.LocMemCache': 'is not shared: each worker process counts on its own, so the real limit is several times higher and resets on every restart',
  'django.core.cache.backends.filebased.FileBasedCache': 'has no atomic increment, so concurrent requests are miscounted',
  'django.core.cache.backends.db.DatabaseCache': 'has no atomic increment, so concurrent requests are miscounted',
};
const DJANGO_REDIS = 'django_redis.cache.RedisCache';
const BUILTIN_REDIS = 'django.core.cache.backends.redis.RedisCache';

export const rule: SettingsRule = {
  id: 'DJ-API-008',
  name: 'rate-limit-cache',
  family: 'settings',
  summary: 'django-ratelimit counts requests in a cache that cannot hold the counts',
  defaultSeverity: 'error',
  djangoChecks: ['django_ratelimit.E001', 'django_ratelimit.E002', 'django_ratelimit.E003', 'django_ratelimit.W001'],
  docs: `django-ratelimit keeps its counters in the cache. Its own checks refuse a missing cache alias
(E001, E002) and a dummy, local-memory, file or database cache (E003): they store nothing, are private
to each worker process, or cannot increment atomically, so limits never trigger or are several times
too high. It supports only memcached and django-redis (W001, a hint here). The fix points the alias at
django-redis from \`REDIS_URL\` and adds \`django-redis\` to the production requirements; it needs a
Redis server, so "fix all" leaves it to you. (DRF throttling on a local-memory cache is reported by
DJ-OPS-014.)

Before:
\`\`\`python
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
\`\`\`
After:
\`\`\`python
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"),
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
    }
}
\`\`\``,
  check(ctx) {
    const caches = ctx.setting('CACHES');
    const enabled = truthy(ctx.setting('RATELIMIT_ENABLE').value) !== false;
    if (!ratelimitUsed(ctx) || !enabled) return;
    if (caches.value.kind === 'none') {
      ctx.report({
        setting: caches,
        message: 'CACHES is None: django-ratelimit has nowhere to count requests',
        djangoChecks: ['django_ratelimit.E001'],
        fixes: () => redisFix(ctx, 'default'),
      });
      return;
    }
    const state = dictSetting(caches);
    if (state.kind !== 'dict') return;
    const useCache = ctx.setting('RATELIMIT_USE_CACHE');
    const alias = useCache.isDefault ? 'default' : useCache.value.kind === 'str' ? useCache.value.value : undefined;
    if (alias === undefined) return;
    const cfg = keyState(state.value, alias);
    if (cfg.kind === 'absent') {
      ctx.report({
        setting: useCache.isDefault ? caches : useCache,
        message: `CACHES has no "${alias}" alias${useCache.isDefault ? '' : ' (RATELIMIT_USE_CACHE)'}: django-ratelimit fails on the first limited request`,
        djangoChecks: ['django_ratelimit.E002'],
        fixes: () => useCache.isDefault ? redisFix(ctx, alias) : [],
      });
      return;
    }
    if (cfg.kind !== 'present') return;
    const backend = dictGetStr(cfg.value, 'BACKEND');
    if (!backend || backend.kind !== 'str') return;
    const reason = BROKEN[backend.value];
    if (reason) {
      ctx.report({
        setting: caches,
        at: backend.src,
        message: `django-ratelimit counts in ${lastPart(backend.value)}, which ${reason}`,
        djangoChecks: ['django_ratelimit.E003', 'django_ratelimit.W001'],
        fixes: () => redisFix(ctx, alias),
      });
    } else if (!SUPPORTED.includes(backend.value)) {
      const lit = new LiteralEditor(ctx.edit);
      const at = lit.nodeOf(backend, ['string']);
      const edit = backend.value === BUILTIN_REDIS && at ? replaceStringContent(at.file, at.node, DJANGO_REDIS, lit.style(at.file)) : undefined;
      ctx.report({
        setting: caches,
        at: backend.src,
        severity: 'hint',
        message: `django-ratelimit does not officially support ${backend.value}${backend.value === BUILTIN_REDIS ? '; it supports django_redis.cache.RedisCache' : ''}`,
        djangoChecks: ['django_ratelimit.W001'],
        fixes: () => edit ? [{ title: 'Use django-redis for the rate-limit cache', edits: [edit, ...addRequirementEdits(ctx.edit.fileSystem, ctx.profile.project, 'django-redis')], safe: false }] : [],
      });
    }
  },
};

/** Point a cache alias at django-redis, from REDIS_URL, with the requirement. */
function redisFix(ctx: SettingsContext, alias: string): Fix[] {
  // django-ratelimit supports django-redis, not Django's own RedisCache (its W001).
  const location = redisLocation(ctx);
  const value = py.dict(
    ['BACKEND', py.str(DJANGO_REDIS)],
    ['LOCATION', py.raw(location.text)],
    ['OPTIONS', py.dict(['CLIENT_CLASS', py.str('django_redis.client.DefaultClient')])],
  );
  const caches = ctx.setting('CACHES');
  const lit = new LiteralEditor(ctx.edit);
  const title = 'Count requests in Redis (django-redis, REDIS_URL)';
  const fixes = caches.isDefault || caches.value.kind !== 'dict' ? lit.setValue(caches, py.dict([alias, value]), title, location.imports) : lit.setDictKey(caches, [], alias, value, title, location.imports);
  const requirement = addRequirementEdits(ctx.edit.fileSystem, ctx.profile.project, 'django-redis');
  // Unsafe: the alias then needs a reachable Redis server.
  return fixes.slice(0, 1).map((f) => ({ ...f, edits: [...f.edits, ...requirement], safe: false }));
}

function redisLocation(ctx: SettingsContext): { text: string; imports: string[] } {
  const q = new LiteralEditor(ctx.edit).style().quote;
  const url = quoteString('redis://127.0.0.1:6379/1', q);
  const name = quoteString('REDIS_URL', q);
  switch (ctx.edit.idiom) {
    case 'environ':
      return { text: `${ctx.edit.environName}(${name}, default=${url})`, imports: [] };
    case 'decouple':
      return { text: `config(${name}, default=${url})`, imports: [] };
    default:
      return { text: `os.environ.get(${name}, ${url})`, imports: ['import os'] };
  }
}

