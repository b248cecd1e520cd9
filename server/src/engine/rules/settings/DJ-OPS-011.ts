import { dictGetStr, truthy } from '../../settings/value';
import { whenUnset } from '../helpers';
import { aliases, isPostgres } from '../ops/db';
import { replaceFallback, versionAtLeast } from '../ops/support';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-OPS-011',
  name: 'db-pool-with-persistent-connections',
  family: 'settings',
  summary: 'A pooled PostgreSQL alias also sets CONN_MAX_AGE',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `Django 5.1's PostgreSQL connection pool (\`OPTIONS["pool"]\`, psycopg 3) manages connections itself:
combined with a non-zero \`CONN_MAX_AGE\` Django raises ImproperlyConfigured ("Pooling doesn't support
persistent connections") on the first query.

Before:
\`\`\`python
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "CONN_MAX_AGE": 600, "OPTIONS": {"pool": True}}}
\`\`\`
After:
\`\`\`python
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "CONN_MAX_AGE": 0, "OPTIONS": {"pool": True}}}
\`\`\``,
  check(ctx) {
    if (!versionAtLeast(ctx, 5, 1)) return;
    for (const alias of aliases(ctx)) {
      if (!isPostgres(alias.engine)) continue;
      const options = dictGetStr(alias.value, 'OPTIONS');
      const pool = options ? dictGetStr(options, 'pool') : undefined;
      if (!pool || truthy(pool) !== true) continue;
      const maxAge = dictGetStr(alias.value, 'CONN_MAX_AGE');
      if (!maxAge || !((maxAge.kind === 'int' && maxAge.value !== 0) || maxAge.kind === 'none')) continue;
      const fallback = replaceFallback(ctx, maxAge, 0);
      const edit = fallback ?? (maxAge.src ? { ...maxAge.src, newText: '0' } : undefined);
      ctx.report({
        setting: alias.setting,
        at: maxAge.env?.fallback ?? maxAge.src,
        message: `DATABASES["${alias.name}"] uses the connection pool and CONN_MAX_AGE ${maxAge.kind === 'none' ? 'None' : maxAge.value}${whenUnset(maxAge)}: Django refuses pooled persistent connections (ImproperlyConfigured on the first query)`,
        fixes: () => edit ? [{ title: 'Set CONN_MAX_AGE to 0 (the pool keeps connections)', edits: [edit], safe: true }] : [],
      });
    }
  },
};
