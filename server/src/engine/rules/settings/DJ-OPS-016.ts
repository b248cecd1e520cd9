import type { Fix } from '../../types';
import { hasApp } from '../helpers';
import { cacheChoice, cachesEdits } from '../ops/blocks';
import { DUMMY, cacheAlias, isVolatile, usesRatelimit } from '../ops/cache';
import { opsContext, strOf, styled } from '../ops/support';
import type { ProjectRule } from '../types';

const CACHE = 'django.contrib.sessions.backends.cache';
const CACHED_DB = 'django.contrib.sessions.backends.cached_db';
const DB = 'django.contrib.sessions.backends.db';

export const rule: ProjectRule = {
  id: 'DJ-OPS-016',
  name: 'sessions-in-local-cache',
  family: 'project',
  summary: 'Sessions are kept in a per-process or non-existent cache',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `The \`cache\` session engine stores sessions only in the cache. With \`LocMemCache\` (the default when
\`CACHES\` is not set) each worker process has its own copy, so users are logged out whenever a request
reaches another worker or the server restarts; with \`DummyCache\` nobody stays logged in. \`cached_db\`
over LocMemCache keeps sessions in the database but each process's cached copy outlives a logout in
another process (Hint). The fix stores sessions in the database; the alternative keeps
\`cached_db\` and moves the cache to Redis.

Before:
\`\`\`python
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
\`\`\`
After:
\`\`\`python
SESSION_ENGINE = "django.contrib.sessions.backends.db"
\`\`\``,
  check(pctx) {
    const ctx = opsContext(pctx);
    if (!ctx) return;
    const engine = ctx.setting('SESSION_ENGINE');
    const name = strOf(engine.value);
    if (name !== CACHE && name !== CACHED_DB) return;
    const aliasName = strOf(ctx.setting('SESSION_CACHE_ALIAS').value) ?? 'default';
    const alias = cacheAlias(ctx, aliasName);
    if (!alias) return;
    const missing = alias.backend === undefined;
    if (!missing && !isVolatile(alias.backend)) return;
    const fixes: Fix[] = [];
    if (hasApp(ctx, 'django.contrib.sessions') === true) fixes.push(...ctx.edit.setValue(engine, styled(ctx, [`"${DB}"`])[0]!, 'Store sessions in the database'));
    const choice = cacheChoice(ctx, usesRatelimit(ctx));
    const caches = aliasName === 'default' ? cachesEdits(ctx, choice) : [];
    if (caches.length && name === CACHE) {
      const engineEdits = ctx.edit.setValue(engine, styled(ctx, [`"${CACHED_DB}"`])[0]!, '')[0]?.edits ?? [];
      fixes.push({ title: 'Keep sessions in the database, cached in Redis', edits: [...engineEdits, ...caches, ...ctx.requirement(choice.requirement)], safe: false });
    }
    const where = missing ? `the cache alias "${aliasName}", which CACHES does not define` : alias.backend === DUMMY ? 'DummyCache, which stores nothing' : 'LocMemCache, a separate cache in each worker process';
    ctx.report({
      setting: engine,
      severity: name === CACHE ? 'warning' : 'hint',
      message:
        name === CACHE
          ? `Sessions are stored only in ${where}: users are logged out when a request reaches another worker or the server restarts`
          : `Sessions are cached in ${where}: after a logout, other workers keep serving the cached session until it expires`,
      fixes,
    });
  },
};
