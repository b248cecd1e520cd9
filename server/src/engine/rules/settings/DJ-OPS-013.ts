import { nodeAt } from '../../fixes/dictEdit';
import { dictGetStr } from '../../settings/value';
import type { Fix, TextEdit } from '../../types';
import { type Alias, addAliasOptions, aliases, isPostgres } from '../ops/db';
import { envGet, isLocalHost, prodPath, strOf } from '../ops/support';
import type { SettingsContext, SettingsRule } from '../types';

const STATEMENT_TIMEOUT = '-c statement_timeout=30000';

function timeoutFix(ctx: SettingsContext, alias: Alias, needConnect: boolean, needStatement: boolean): Fix[] {
  const options = dictGetStr(alias.value, 'OPTIONS');
  const existing = options ? dictGetStr(options, 'options') : undefined;
  const edits: TextEdit[] = [];
  const entries: [string, string][] = [];
  if (needConnect) entries.push(['connect_timeout', '10']);
  if (needStatement) {
    const text = strOf(existing);
    if (existing && text !== undefined && existing.src && !existing.env && existing.src.file === prodPath(ctx)) {
      const root = ctx.edit.rootOf(existing.src.file);
      const node = root ? nodeAt(root, existing.src, ['string']) : undefined;
      if (!node) return [];
      const q = node.text.endsWith("'") ? "'" : '"';
      edits.push({ ...existing.src, newText: `${q}${`${text} ${STATEMENT_TIMEOUT}`.trim()}${q}` });
    } else if (existing) {
      return [];
    } else {
      entries.push(['options', `"${STATEMENT_TIMEOUT}"`]);
    }
  }
  // Lines mode creates OPTIONS with the whole hardening set, as DJ-OPS-012 does (one identical edit).
  const full: [string, string][] = [];
  const host = strOf(dictGetStr(alias.value, 'HOST'));
  const sslmode = envGet(ctx.edit, 'DB_SSLMODE', '"require"');
  if (!options && !(host !== undefined && isLocalHost(host) && !dictGetStr(alias.value, 'HOST')?.env && !alias.value.env)) full.push(['sslmode', sslmode.text]);
  full.push(['connect_timeout', '10'], ['options', `"${STATEMENT_TIMEOUT}"`]);
  const added = addAliasOptions(ctx, alias, entries, full);
  edits.push(...added);
  if (added.some((e) => e.newText.includes('DB_SSLMODE'))) edits.push(...ctx.edit.importEdits(sslmode.imports));
  const what = [needConnect ? 'a 10 s connect timeout' : '', needStatement ? 'a 30 s statement timeout' : ''].filter(Boolean).join(' and ');
  return edits.length ? [{ title: `Set ${what}`, edits, safe: false }] : [];
}

export const rule: SettingsRule = {
  id: 'DJ-OPS-013',
  name: 'db-timeouts',
  family: 'settings',
  summary: 'A PostgreSQL alias has no connect timeout or statement timeout',
  defaultSeverity: 'hint',
  djangoChecks: [],
  docs: `Without \`connect_timeout\`, a worker waits as long as the operating system allows for an unreachable
database; without a statement timeout (\`"options": "-c statement_timeout=30000"\`), a runaway query holds
a worker and a connection until it ends. Both turn a database problem into a site outage. The fix is
not applied by "fix all": migrations and reports that run longer than the timeout would be cancelled,
and PgBouncer in transaction mode rejects the \`options\` startup parameter (set the timeout on the
database role instead).

Before:
\`\`\`python
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app"}}
\`\`\`
After:
\`\`\`python
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app",
                         "OPTIONS": {"connect_timeout": 10, "options": "-c statement_timeout=30000"}}}
\`\`\``,
  check(ctx) {
    for (const alias of aliases(ctx)) {
      if (!isPostgres(alias.engine)) continue;
      const options = dictGetStr(alias.value, 'OPTIONS');
      if (options && (options.kind !== 'dict' || options.partial)) continue;
      const needConnect = !options || !dictGetStr(options, 'connect_timeout');
      const opts = options ? dictGetStr(options, 'options') : undefined;
      if (opts && strOf(opts) === undefined) continue;
      const needStatement = !strOf(opts)?.includes('statement_timeout');
      if (!needConnect && !needStatement) continue;
      const missing = [needConnect ? 'connect_timeout' : '', needStatement ? 'statement timeout' : ''].filter(Boolean).join(' or ');
      ctx.report({
        setting: alias.setting,
        at: alias.value.src,
        message: `DATABASES["${alias.name}"] has no ${missing}: an unreachable database or a runaway query holds workers indefinitely`,
        fixes: () => timeoutFix(ctx, alias, needConnect, needStatement),
      });
    }
  },
};
