import { whenUnset } from '../helpers';
import { cacheChoice, cachesEdits } from '../ops/blocks';
import { DUMMY, cacheAlias, isVolatile, sharedStateUsers, usesRatelimit } from '../ops/cache';
import { opsContext } from '../ops/support';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'DJ-OPS-014',
  name: 'cache-not-shared',
  family: 'project',
  summary: 'Production caches in process memory (LocMemCache) or not at all (DummyCache)',
  defaultSeverity: 'information',
  djangoChecks: [],
  docs: `Without \`CACHES\`, Django uses \`LocMemCache\`: every worker process has its own cache, emptied on each
restart, so cached pages and data are recomputed per process and nothing cached is shared. It becomes
a real fault (Warning) when something relies on a shared cache: django-ratelimit and DRF throttling
count requests per process (limits multiply by the number of workers), cache-backed sessions log
users out at random, the cache middleware serves different pages per worker. The fix configures
Redis from \`REDIS_URL\` (Django's built-in backend, or django-redis when django-ratelimit is used) and
adds the requirement; it needs a Redis server, so "fix all" leaves it to you.

Before:
\`\`\`python
# no CACHES
\`\`\`
After:
\`\`\`python
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"),
    }
}
\`\`\``,
  check(pctx) {
    const ctx = opsContext(pctx);
    if (!ctx) return;
    const alias = cacheAlias(ctx);
    if (!alias || !isVolatile(alias.backend)) return;
    const users = sharedStateUsers(ctx);
    const kind = alias.backend === DUMMY ? 'DummyCache, which caches nothing' : 'LocMemCache, a separate cache in each worker process';
    const subject = alias.setting.isDefault ? `CACHES is not set, so production uses ${kind}` : `The default cache is ${kind}${alias.value ? whenUnset(alias.value) : ''}`;
    const consequence = users.length ? `: ${users.join(', ')} are not shared between workers` : alias.backend === DUMMY ? '' : ': cached data is recomputed per process and lost on every restart';
    const choice = cacheChoice(ctx, usesRatelimit(ctx));
    ctx.report({
      setting: alias.setting,
      at: alias.value?.env?.fallback,
      severity: users.length ? 'warning' : 'information',
      message: subject + consequence,
      fixes: () => {
        const edits = cachesEdits(ctx, choice);
        return edits.length ? [{ title: `Use Redis from REDIS_URL (${choice.requirement})`, edits: [...edits, ...ctx.requirement(choice.requirement)], safe: false }] : [];
      },
    });
  },
};
