import type { SyntaxNode } from '../../parsing/syntax';
import { pinnedVersion } from '../../fixes/requirementsEdit';
import { atLeast } from '../../project/djangoVersion';
import { dictGetStr } from '../../settings/value';
import type { Fix, TextEdit } from '../../types';
import { aliases, isSqlite } from '../ops/db';
import { type OpsContext, assignsName, envInt, opsContext, prodPath, statements, styled } from '../ops/support';
import type { ProjectRule } from '../types';

const ENV_READ = /(?:getenv|environ\.get|environ\[|\benv(?:\.\w+)?|config|\w*env\w*)\(?\s*\[?\s*["']([A-Z][A-Z0-9_]*)["']/g;

/** Variables whose being set picks another DATABASES (healthchecks: `if os.getenv("DB") == "postgres":`). */
function selectorNames(ctx: OpsContext): string[] {
  const stmt = ctx.setting('DATABASES').binding?.stmt;
  // Conditions of module-level ifs: statements only (a comment typed in the module changes nothing).
  const root = stmt ? ctx.edit.codeOf(stmt.file)?.root : undefined;
  if (!root) return [];
  const names: string[] = [];
  for (const s of statements(root)) {
    if (s.type !== 'if_statement') continue;
    const assigns = (n: SyntaxNode): boolean => n.descendantsOfType('assignment').some((a) => /^DATABASES\b/.test(a?.childForFieldName('left')?.text ?? ''));
    if (!assigns(s)) continue;
    for (const cond of [s.childForFieldName('condition'), ...s.descendantsOfType('elif_clause').map((e) => e?.childForFieldName('condition'))]) {
      for (const m of (cond?.text ?? '').matchAll(ENV_READ)) if (!names.includes(m[1]!)) names.push(m[1]!);
    }
  }
  return names;
}

function list(names: string[]): string {
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

function driverRequirement(ctx: OpsContext): TextEdit[] {
  if (['psycopg', 'psycopg2', 'psycopg2-binary', 'psycopg-binary', 'psycopg-c'].some((p) => ctx.requires(p))) return [];
  // The binary wheels bundle libpq: slim images have no system libpq for plain psycopg.
  return atLeast(ctx.profile.version, 4, 2) ? ctx.requirement('psycopg[binary]', pinnedVersion('psycopg')) : ctx.requirement('psycopg2-binary');
}

/** Replace the DATABASES production uses (or override it in the production module). */
function databasesEdits(ctx: OpsContext, valueLines: string[], imports: string[]): TextEdit[] {
  const s = ctx.setting('DATABASES');
  const lines = styled(ctx, valueLines);
  const rhs = s.binding?.rhs;
  if (rhs && rhs.file === prodPath(ctx) && !s.binding?.imported) {
    const indent = ' '.repeat(s.binding?.stmt?.range.start.character ?? 0);
    return [{ ...rhs, newText: lines.join('\n' + indent) }, ...ctx.edit.importEdits(imports)];
  }
  // A DATABASES assignment production skips (a dead branch) would make insertLines drop the first line.
  const root = ctx.edit.rootOf(prodPath(ctx));
  if (root && assignsName(root, 'DATABASES')) return [];
  const copy = [...lines];
  copy[0] = `DATABASES = ${copy[0]}`;
  return ctx.edit.insertLines(copy, imports);
}

function fixes(ctx: OpsContext): Fix[] {
  const out: Fix[] = [];
  const maxAge = envInt(ctx.edit, 'DB_CONN_MAX_AGE', 600);
  const health = atLeast(ctx.profile.version, 4, 1);
  if (ctx.edit.idiom === 'environ') {
    out.push({ title: 'Use the database in DATABASE_URL (required)', edits: [...databasesEdits(ctx, [`{"default": ${ctx.edit.environName}.db("DATABASE_URL")}`], []), ...driverRequirement(ctx)], safe: false });
  } else {
    const call = `dj_database_url.config(conn_max_age=600${health ? ', conn_health_checks=True' : ''}, ssl_require=True)`;
    out.push({
      title: 'Use the database in DATABASE_URL (dj-database-url)',
      edits: [...databasesEdits(ctx, [`{"default": ${call}}`], ['import dj_database_url']), ...ctx.requirement('dj-database-url'), ...driverRequirement(ctx)],
      safe: false,
    });
  }
  const req = (name: string) => ctx.edit.envRequired(name);
  const reads = ['POSTGRES_DB', 'POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_HOST'].map(req);
  const port = ctx.edit.idiom === 'os' ? { text: 'os.environ.get("POSTGRES_PORT", "5432")', imports: ['import os'] } : { text: ctx.edit.idiom === 'environ' ? `${ctx.edit.environName}("POSTGRES_PORT", default="5432")` : 'config("POSTGRES_PORT", default="5432")', imports: [] };
  const sslmode = ctx.edit.idiom === 'os' ? 'os.environ.get("DB_SSLMODE", "require")' : ctx.edit.idiom === 'environ' ? `${ctx.edit.environName}("DB_SSLMODE", default="require")` : 'config("DB_SSLMODE", default="require")';
  const dict = [
    '{',
    '    "default": {',
    '        "ENGINE": "django.db.backends.postgresql",',
    `        "NAME": ${reads[0]!.text},`,
    `        "USER": ${reads[1]!.text},`,
    `        "PASSWORD": ${reads[2]!.text},`,
    `        "HOST": ${reads[3]!.text},`,
    `        "PORT": ${port.text},`,
    `        "CONN_MAX_AGE": ${maxAge.text},`,
    ...(health ? ['        "CONN_HEALTH_CHECKS": True,'] : []),
    `        "OPTIONS": {"sslmode": ${sslmode}, "connect_timeout": 10, "options": "-c statement_timeout=30000"},`,
    '    }',
    '}',
  ];
  const imports = [...new Set([...reads.flatMap((r) => r.imports), ...port.imports, ...maxAge.imports])];
  out.push({ title: 'Use PostgreSQL configured from POSTGRES_* variables', edits: [...databasesEdits(ctx, dict, imports), ...driverRequirement(ctx)], safe: false });
  // A fix that could not place the new DATABASES would only add requirements.
  return out.filter((f) => f.edits.some((e) => e.file.endsWith('.py')));
}

export const rule: ProjectRule = {
  id: 'DJ-OPS-009',
  name: 'sqlite-in-production',
  family: 'project',
  summary: 'Production uses SQLite',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `SQLite is a file next to the code: it disappears when a container is redeployed, allows one writer at a
time, and cannot be shared by several app servers. The rule also reads fallbacks: a
\`dj_database_url.config(default="sqlite:///db.sqlite3")\` or a SQLite default that is replaced only when
a variable such as \`DB\` selects another branch is what production runs when the variable is missing.
The fixes (not applied by "fix all": moving data to a database server is a deliberate step) read
\`DATABASE_URL\` with dj-database-url or django-environ, or spell out PostgreSQL from \`POSTGRES_*\`
variables, and add the driver to the requirements.

Before:
\`\`\`python
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
\`\`\`
After:
\`\`\`python
DATABASES = {"default": dj_database_url.config(conn_max_age=600, conn_health_checks=True, ssl_require=True)}
\`\`\``,
  check(pctx) {
    const ctx = opsContext(pctx);
    if (!ctx) return;
    const alias = aliases(ctx).find((a) => a.name === 'default');
    if (!alias || !isSqlite(alias.engine)) return;
    const envNames = [...new Set([...(alias.value.env?.names ?? []), ...(ctx.setting('DATABASES').value.env?.names ?? [])])];
    const selectors = envNames.length ? [] : selectorNames(ctx);
    const when = envNames.length ? ` when ${list(envNames)} ${envNames.length === 1 ? 'is' : 'are'} unset` : selectors.length ? ` unless ${list(selectors)} ${selectors.length === 1 ? 'is' : 'are'} set` : '';
    const engine = dictGetStr(alias.value, 'ENGINE');
    ctx.report({
      setting: ctx.setting('DATABASES'),
      at: alias.value.env?.fallback ?? engine?.src,
      message: `Production uses SQLite${when}: the database file is lost when a container is replaced, writes are serialised, and several servers cannot share it${ctx.profile.mayDefineMore ? ' (unless an optional settings module the analysis cannot see replaces DATABASES)' : ''}`,
      fixes: () => fixes(ctx),
    });
  },
};
