import { baseName } from '../../workspace';
import { type Value, dictGetStr } from '../../settings/value';
import type { Fix, TextEdit } from '../../types';
import { whenUnset } from '../helpers';
import { type Alias, addAliasOptions, addCallKeywords, aliases, dbUrlCall, isMysql, isPostgres } from '../ops/db';
import { type OpsContext, envGet, isLocalHost, opsContext, prodPath, replaceFallback, strOf } from '../ops/support';
import type { ProjectRule } from '../types';

const WEAK_SSLMODES = ['disable', 'allow', 'prefer'];
const STRONG_SSLMODES = ['require', 'verify-ca', 'verify-full'];

/** Service names of the project's compose files (a database reached by service name is on the compose network). */
function composeServices(ctx: OpsContext): Set<string> {
  const out = new Set<string>();
  for (const f of ctx.files) {
    if (!/^(docker-)?compose.*\.ya?ml$/i.test(baseName(f))) continue;
    const text = ctx.fs.readFile(f) ?? '';
    let inServices = false;
    for (const line of text.split('\n')) {
      if (/^services:\s*$/.test(line)) inServices = true;
      else if (/^\S/.test(line)) inServices = false;
      else if (inServices) {
        const m = /^ {2}([A-Za-z0-9_.-]+):\s*$/.exec(line) ?? /^\t([A-Za-z0-9_.-]+):\s*$/.exec(line);
        if (m) out.add(m[1]!);
      }
    }
  }
  return out;
}

type Remote = 'remote' | 'maybe';

/** Is the alias's server reached over the network? 'maybe' when the host comes from the environment. */
function remoteness(alias: Alias, services: Set<string>): { kind: Remote; host?: Value } | undefined {
  const host = dictGetStr(alias.value, 'HOST');
  const fromUrl = !!alias.value.env;
  if (!host) return fromUrl ? { kind: 'maybe' } : undefined;
  const h = strOf(host);
  if (h !== undefined) {
    if (isLocalHost(h) || services.has(h)) return host.env || fromUrl ? { kind: 'maybe', host } : undefined;
    return { kind: host.env ? 'maybe' : 'remote', host };
  }
  if (host.kind === 'unknown' && host.required?.length) return { kind: 'maybe', host };
  return undefined;
}

function sslFix(ctx: OpsContext, alias: Alias, sslmode: Value | undefined, remote: Remote, postgres: boolean): Fix[] {
  const safe = remote === 'remote';
  const title = postgres ? 'Require TLS to the database (DB_SSLMODE overrides)' : 'Require TLS to the database';
  const edits: TextEdit[] = [];
  if (!postgres) {
    // MySQL: ssl_mode is a client option of mysqlclient.
    edits.push(...addAliasOptions(ctx, alias, [['ssl_mode', '"REQUIRED"']]));
    return edits.length ? [{ title, edits, safe }] : [];
  }
  if (sslmode) {
    const fallback = replaceFallback(ctx, sslmode, 'require');
    if (fallback) edits.push(fallback);
    else if (sslmode.src && !sslmode.env && sslmode.src.file === prodPath(ctx)) edits.push({ ...sslmode.src, newText: '"require"' });
    return edits.length ? [{ title: 'Require TLS to the database', edits, safe }] : [];
  }
  const call = dbUrlCall(ctx, alias);
  if (call) return [{ title: 'Require TLS to the database (ssl_require=True)', edits: addCallKeywords(ctx, call, [['ssl_require', 'True']]), safe }].filter((f) => f.edits.length);
  const read = envGet(ctx.edit, 'DB_SSLMODE', '"require"');
  const full: [string, string][] = [['sslmode', read.text]];
  const options = dictGetStr(alias.value, 'OPTIONS');
  if (!options || !dictGetStr(options, 'connect_timeout')) full.push(['connect_timeout', '10']);
  if (!options || !strOf(dictGetStr(options, 'options'))?.includes('statement_timeout')) full.push(['options', '"-c statement_timeout=30000"']);
  edits.push(...addAliasOptions(ctx, alias, [['sslmode', read.text]], full));
  if (edits.length) edits.push(...ctx.edit.importEdits(read.imports));
  return edits.length ? [{ title, edits, safe }] : [];
}

export const rule: ProjectRule = {
  id: 'DJ-OPS-012',
  name: 'db-tls',
  family: 'project',
  summary: 'The connection to a remote database is not required to use TLS',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `PostgreSQL's default \`sslmode\` is \`prefer\`: the client falls back to an unencrypted connection without a
word, so passwords and query results can cross the network in clear text, and \`disable\`/\`allow\` are
worse. For a database on another host, require TLS (\`sslmode=require\`, or \`verify-full\` with the
server's CA). Local hosts, unix sockets and compose service names are exempt. When the host comes from
the environment (or a \`DATABASE_URL\`), a missing \`sslmode\` is Information and an explicitly weak one a
Warning, and the fix is not applied by "fix all" (a local server without TLS would refuse it). MySQL
aliases get the same check with \`ssl_mode\` (Information).

Before:
\`\`\`python
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db.example.com", "NAME": "app"}}
\`\`\`
After:
\`\`\`python
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db.example.com", "NAME": "app",
                         "OPTIONS": {"sslmode": os.environ.get("DB_SSLMODE", "require")}}}
\`\`\``,
  check(pctx) {
    const ctx = opsContext(pctx);
    if (!ctx) return;
    const services = composeServices(ctx);
    for (const alias of aliases(ctx)) {
      const postgres = isPostgres(alias.engine);
      if (!postgres && !isMysql(alias.engine)) continue;
      const remote = remoteness(alias, services);
      if (!remote) continue;
      const options = dictGetStr(alias.value, 'OPTIONS');
      if (options && options.kind !== 'dict') continue;
      const label = `DATABASES["${alias.name}"]`;
      const where = remote.host && strOf(remote.host) ? `${JSON.stringify(strOf(remote.host))}${whenUnset(remote.host)}` : 'a host set by the environment';
      if (postgres) {
        const sslmode = options ? dictGetStr(options, 'sslmode') : undefined;
        const mode = strOf(sslmode);
        if (sslmode && mode === undefined) continue;
        if (mode && STRONG_SSLMODES.includes(mode)) continue;
        const weak = mode !== undefined && WEAK_SSLMODES.includes(mode);
        if (!weak && mode !== undefined) continue;
        ctx.report({
          setting: alias.setting,
          at: sslmode?.env?.fallback ?? sslmode?.src ?? remote.host?.src,
          severity: weak || remote.kind === 'remote' ? 'warning' : 'information',
          message: weak
            ? `${label} connects to ${where} with sslmode "${mode}"${whenUnset(sslmode!)}: the connection silently falls back to clear text`
            : `${label} connects to ${where} without sslmode: PostgreSQL then prefers TLS but silently falls back to clear text`,
          fixes: () => sslFix(ctx, alias, sslmode, remote.kind, true),
        });
      } else {
        const ssl = options ? (dictGetStr(options, 'ssl') ?? dictGetStr(options, 'ssl_mode')) : undefined;
        if (ssl) continue;
        ctx.report({
          setting: alias.setting,
          at: remote.host?.src,
          severity: 'information',
          message: `${label} connects to MySQL at ${where} without ssl/ssl_mode in OPTIONS: the connection may be unencrypted`,
          fixes: () => sslFix(ctx, alias, undefined, remote.kind, false),
        });
      }
    }
  },
};
