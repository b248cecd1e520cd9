import { dictGetStr, truthy } from '../../settings/value';
import type { Fix, TextEdit } from '../../types';
import { whenUnset } from '../helpers';
import { type Alias, addAliasKeys, addCallKeywords, aliases, dbUrlCall, isSqlite } from '../ops/db';
import { envInt, replaceFallback, versionAtLeast } from '../ops/support';
import { keywordArgument, replaceNode } from '../../fixes/dictEdit';
import type { SettingsContext, SettingsRule } from '../types';

function persistentFix(ctx: SettingsContext, alias: Alias, withMaxAge: boolean): Fix[] {
  const health = versionAtLeast(ctx, 4, 1) && truthy(dictGetStr(alias.value, 'CONN_HEALTH_CHECKS') ?? { kind: 'bool', value: false }) === false;
  const existing = dictGetStr(alias.value, 'CONN_MAX_AGE');
  const call = dbUrlCall(ctx, alias);
  const edits: TextEdit[] = [];
  if (call) {
    const kw = keywordArgument(call, 'conn_max_age')?.childForFieldName('value');
    if (withMaxAge && kw) {
      if (kw.type !== 'integer') return [];
      edits.push(replaceNode(ctx.profile.module.path, kw, '600'));
    }
    edits.push(...addCallKeywords(ctx, call, [...(withMaxAge && !kw ? ([['conn_max_age', '600']] as [string, string][]) : []), ...(health ? ([['conn_health_checks', 'True']] as [string, string][]) : [])]));
  } else {
    const read = envInt(ctx.edit, 'DB_CONN_MAX_AGE', 600);
    const entries: [string, string][] = [];
    if (withMaxAge) {
      const fallback = existing ? replaceFallback(ctx, existing, 600) : undefined;
      if (fallback && existing?.env?.fallback?.file === ctx.profile.module.path) edits.push(fallback);
      else if (existing?.src && !existing.env && existing.src.file === ctx.profile.module.path) edits.push({ ...existing.src, newText: read.text }, ...ctx.edit.importEdits(read.imports));
      else entries.push(['CONN_MAX_AGE', read.text]);
    }
    if (health && !dictGetStr(alias.value, 'CONN_HEALTH_CHECKS')) entries.push(['CONN_HEALTH_CHECKS', 'True']);
    if (entries.length) edits.push(...addAliasKeys(ctx, alias, entries), ...ctx.edit.importEdits(entries.some(([k]) => k === 'CONN_MAX_AGE') ? read.imports : []));
  }
  const title = withMaxAge ? 'Reuse connections for 10 minutes (DB_CONN_MAX_AGE overrides)' : 'Check reused connections (CONN_HEALTH_CHECKS)';
  return edits.length ? [{ title, edits, safe: true }] : [];
}

export const rule: SettingsRule = {
  id: 'DJ-OPS-010',
  name: 'db-connection-reuse',
  family: 'settings',
  summary: 'The database connection is reopened for every request, or reused without health checks',
  defaultSeverity: 'information',
  djangoChecks: [],
  docs: `With \`CONN_MAX_AGE\` at its default 0, Django opens a new database connection (TCP, TLS and
authentication) for every request and closes it afterwards. A positive value reuses connections; on
Django 4.1+ \`CONN_HEALTH_CHECKS\` then tests a reused connection before the request uses it, so a
connection the database dropped does not fail the request (Hint). \`CONN_MAX_AGE = None\` keeps
connections forever (Hint). Connection pooling (\`OPTIONS["pool"]\`, Django 5.1) and ASGI-only
projects are left alone.

Before:
\`\`\`python
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app", "HOST": "db.internal"}}
\`\`\`
After:
\`\`\`python
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app", "HOST": "db.internal",
                         "CONN_MAX_AGE": int(os.environ.get("DB_CONN_MAX_AGE", "600")), "CONN_HEALTH_CHECKS": True}}
\`\`\``,
  check(ctx) {
    const asgiOnly = !ctx.setting('ASGI_APPLICATION').isDefault && ctx.setting('WSGI_APPLICATION').isDefault;
    if (asgiOnly) return;
    for (const alias of aliases(ctx)) {
      if (isSqlite(alias.engine) || alias.engine.endsWith('.dummy')) continue;
      const options = dictGetStr(alias.value, 'OPTIONS');
      const pool = options ? dictGetStr(options, 'pool') : undefined;
      if (pool && truthy(pool) !== false) continue;
      const maxAge = dictGetStr(alias.value, 'CONN_MAX_AGE');
      const label = `DATABASES["${alias.name}"]`;
      if (maxAge && maxAge.kind !== 'int' && maxAge.kind !== 'none') continue;
      if (!maxAge || (maxAge.kind === 'int' && maxAge.value === 0)) {
        ctx.report({
          setting: alias.setting,
          at: maxAge?.src ?? alias.value.src,
          message: `${label} opens a new database connection for every request: CONN_MAX_AGE is ${maxAge ? `0${whenUnset(maxAge)}` : 'not set (0)'}`,
          fixes: () => persistentFix(ctx, alias, true),
        });
      } else if (maxAge.kind === 'none') {
        ctx.report({ setting: alias.setting, at: maxAge.src, severity: 'hint', message: `${label} keeps connections open forever (CONN_MAX_AGE is None): a restarted or failed-over database leaves stale connections behind` });
      } else if (versionAtLeast(ctx, 4, 1) && truthy(dictGetStr(alias.value, 'CONN_HEALTH_CHECKS') ?? { kind: 'bool', value: false }) === false) {
        ctx.report({
          setting: alias.setting,
          at: maxAge.src ?? alias.value.src,
          severity: 'hint',
          message: `${label} reuses connections without CONN_HEALTH_CHECKS: a connection the database dropped fails the next request that uses it`,
          fixes: () => persistentFix(ctx, alias, false),
        });
      }
    }
  },
};
