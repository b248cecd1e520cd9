// DJ-OPS rules beyond their fixture pairs: the fixes "fix all" does not apply (they need a server, a
// bucket or a data migration) still leave valid Python and clear their finding; fixes of different
// rules applied together converge; the container edits keep the container's layout; and realistic
// project layouts (cookiecutter-django, Wagtail, healthchecks) get the findings they should.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Analyzer } from '../../server/src/engine/analyzer';
import { applyEdits } from '../../server/src/engine/fixes/apply';
import { appendEntries, prependEntries, removeElement } from '../../server/src/engine/fixes/dictEdit';
import { ParserPool } from '../../server/src/engine/parsing/documents';
import type { Finding, Fix } from '../../server/src/engine/types';
import { analyzeDir, analyzeSettings, REPO_ROOT, writeProject } from '../helpers/engine';
import { pythonParses } from '../helpers/python';

const HEAD = `import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["shop.example.com"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
]
`;

function applyFix(analyzer: Analyzer, fix: Fix): Map<string, string> {
  const out = new Map<string, string>();
  const byFile = new Map<string, typeof fix.edits>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, edits] of byFile) {
    const text = applyEdits(analyzer.fs.readFile(file) ?? '', edits).text;
    analyzer.setDocument(file, text);
    out.set(file, text);
  }
  return out;
}

function ops(findings: Finding[], id?: string): Finding[] {
  return findings.filter((f) => (id ? f.code === id : f.code.startsWith('DJ-OPS')));
}

async function checkFix(source: string, id: string, title: RegExp, version?: { major: number; minor: number }): Promise<string> {
  const { analyzer, findings } = await analyzeSettings(source, version ? { djangoVersion: { ...version, source: 'test' } } : {});
  try {
    const finding = ops(findings, id)[0];
    assert.ok(finding, `${id} does not fire`);
    const fix = finding.fixes.find((f) => title.test(f.title));
    assert.ok(fix, `${id} has no fix matching ${title}: ${finding.fixes.map((f) => f.title).join(', ')}`);
    const changed = applyFix(analyzer, fix);
    let settings = '';
    for (const [file, text] of changed) {
      if (!file.endsWith('.py')) continue;
      const parsed = pythonParses(text);
      assert.ok(parsed.ok, `${file} no longer parses:\n${parsed.error}\n${text}`);
      if (file.endsWith('settings.py')) settings = text;
    }
    const after = ops(analyzer.analyze().findings, id);
    assert.deepEqual(after.map((f) => f.message), [], `the fix did not clear ${id}:\n${settings}`);
    return settings;
  } finally {
    analyzer.dispose();
  }
}

test('unsafe fixes: SQLite → DATABASE_URL (dj-database-url) and explicit PostgreSQL', async () => {
  const src = `${HEAD}DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}\n`;
  const url = await checkFix(src, 'DJ-OPS-009', /dj-database-url/);
  assert.match(url, /^import dj_database_url$/m);
  assert.match(url, /dj_database_url\.config\(conn_max_age=600, conn_health_checks=True, ssl_require=True\)/);
  const pg = await checkFix(src, 'DJ-OPS-009', /POSTGRES_/);
  assert.match(pg, /"PASSWORD": os\.environ\["POSTGRES_PASSWORD"\]/);
  assert.match(pg, /"OPTIONS": \{"sslmode": os\.environ\.get\("DB_SSLMODE", "require"\), "connect_timeout": 10/);
});

test('unsafe fixes: Redis cache, cached sessions, timeouts, hashed static storage, USE_TZ', async () => {
  const caches = await checkFix(HEAD, 'DJ-OPS-014', /Redis/);
  assert.match(caches, /"BACKEND": "django\.core\.cache\.backends\.redis\.RedisCache"/);
  const django3 = await checkFix(HEAD, 'DJ-OPS-014', /Redis/, { major: 3, minor: 2 });
  assert.match(django3, /django_redis\.cache\.RedisCache/);
  const sessions = await checkFix(`${HEAD}SESSION_ENGINE = "django.contrib.sessions.backends.cache"\n`, 'DJ-OPS-016', /Redis/);
  assert.match(sessions, /SESSION_ENGINE = "django\.contrib\.sessions\.backends\.cached_db"/);
  const db = `${HEAD}DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n        "NAME": "shop",\n        "HOST": "localhost",\n        "OPTIONS": {"options": "-c search_path=shop"},\n    }\n}\n`;
  const timeouts = await checkFix(db, 'DJ-OPS-013', /timeout/);
  assert.match(timeouts, /"OPTIONS": \{"options": "-c search_path=shop -c statement_timeout=30000", "connect_timeout": 10\}/);
  const storage = await checkFix(`${HEAD}STATIC_URL = "https://cdn.example.com/static/"\nSTATIC_ROOT = BASE_DIR / "staticfiles"\n`, 'DJ-OPS-022', /Manifest/);
  assert.match(storage, /"staticfiles": \{"BACKEND": "django\.contrib\.staticfiles\.storage\.ManifestStaticFilesStorage"\}/);
  const tz = await checkFix(`${HEAD}USE_TZ = False\n`, 'DJ-OPS-028', /timezone/);
  assert.match(tz, /^USE_TZ = True$/m);
});

test('fixes of every DJ-OPS rule applied together converge to valid Python in the module style', async () => {
  const src = `import os
import dj_database_url
import environ

env = environ.Env()

DEBUG = env.bool('DJANGO_DEBUG', default=False)
ALLOWED_HOSTS = env.list('DJANGO_ALLOWED_HOSTS', default=['shop.example.com'])
INSTALLED_APPS = ['django.contrib.auth', 'django.contrib.contenttypes', 'django.contrib.sessions', 'django.contrib.staticfiles']
MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'whitenoise.middleware.WhiteNoiseMiddleware',
]
DATABASES = {'default': dj_database_url.config(default='postgres://app@db.internal:5432/app')}
EMAIL_BACKEND = env('DJANGO_EMAIL_BACKEND', default='django.core.mail.backends.console.EmailBackend')
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
STATICFILES_STORAGE = 'whitenoise.storage.CompressedManifestStaticFilesStorage'
LOGGING = {'handlers': {'file': {'class': 'logging.FileHandler', 'filename': '/tmp/app.log'}}, 'root': {'handlers': ['file']}}

if not DEBUG:
    SECURE_SSL_REDIRECT = True
`;
  const { analyzer } = await analyzeSettings(src);
  try {
    const changed = analyzer.fixAll(8, (f) => f.code.startsWith('DJ-OPS'));
    const settings = [...changed].find(([file]) => file.endsWith('settings.py'))![1];
    const parsed = pythonParses(settings);
    assert.ok(parsed.ok, `${parsed.error}\n${settings}`);
    const left = ops(analyzer.analyze().findings).filter((f) => f.fixes.some((x) => x.safe));
    assert.deepEqual(left.map((f) => `${f.code} ${f.message}`), [], settings);
    assert.equal(analyzer.fixAll(8, (f) => f.code.startsWith('DJ-OPS')).size, 0, 'a second fix-all changed something');
    // The module's single quotes, env idiom and production block are respected; nothing is duplicated.
    assert.doesNotMatch(settings, /"django\./);
    assert.match(settings, /EMAIL_HOST = env\('EMAIL_HOST'\)/);
    assert.match(settings, /^ {4}LOGGING|'version': 1/m);
    assert.match(settings, /dj_database_url\.config\(default='postgres:\/\/app@db\.internal:5432\/app', .*ssl_require=True.*\)/);
    assert.match(settings, /'whitenoise\.middleware\.WhiteNoiseMiddleware',\n {4}'django\.contrib\.sessions/);
    assert.equal(settings.match(/^\s*STORAGES = /gm)?.length, 1);
    assert.equal(settings.match(/'maxBytes'/g)?.length, 1);
    assert.match(settings, /^ {4}SENTRY_DSN = env\('SENTRY_DSN', default=None\)$/m);
  } finally {
    analyzer.dispose();
  }
});

test('database hardening goes into production, never the base module it inherits from', async () => {
  const dir = writeProject({
    'proj/__init__.py': '',
    'proj/settings/__init__.py': '',
    'proj/settings/base.py': `import os\nDATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n        "NAME": "app",\n        "HOST": "db.example.com",\n    }\n}\n`,
    'proj/settings/production.py': 'from .base import *  # noqa\n\nDEBUG = False\n',
  });
  const { analyzer } = await analyzeDir(dir, { settingsOverride: 'proj/settings/production.py', djangoVersion: { major: 5, minor: 2, source: 'test' } });
  try {
    const changed = analyzer.fixAll(5, (f) => f.code === 'DJ-OPS-010' || f.code === 'DJ-OPS-012');
    assert.deepEqual([...changed.keys()].map((f) => f.split('/').slice(-1)[0]), ['production.py']);
    const prod = [...changed.values()][0]!;
    assert.match(prod, /^DATABASES\["default"\]\["CONN_MAX_AGE"\] = int\(os\.environ\.get\("DB_CONN_MAX_AGE", "600"\)\)$/m);
    assert.match(prod, /^DATABASES\["default"\]\["OPTIONS"\] = \{"sslmode": os\.environ\.get\("DB_SSLMODE", "require"\), "connect_timeout": 10, "options": "-c statement_timeout=30000"\}$/m);
    assert.ok(pythonParses(prod).ok);
    assert.deepEqual(ops(analyzer.analyze().findings).filter((f) => f.code === 'DJ-OPS-010' || f.code === 'DJ-OPS-012' || f.code === 'DJ-OPS-013'), []);
  } finally {
    analyzer.dispose();
  }
});

test('cookiecutter-style production: only the disabled loggers are reported', async () => {
  const dir = writeProject({
    'config/__init__.py': '',
    'config/settings/__init__.py': '',
    'config/settings/base.py': `import environ\nenv = environ.Env()\nDEBUG = env.bool("DJANGO_DEBUG", False)\nDATABASES = {"default": env.db("DATABASE_URL")}\nDATABASES["default"]["ATOMIC_REQUESTS"] = True\nINSTALLED_APPS = ["django.contrib.sessions", "django.contrib.staticfiles"]\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "whitenoise.middleware.WhiteNoiseMiddleware"]\nSTATIC_ROOT = "/app/staticfiles"\nEMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")\nEMAIL_TIMEOUT = 5\n`,
    'config/settings/production.py': `import sentry_sdk
from .base import *  # noqa
from .base import DATABASES, env
SECRET_KEY = env("DJANGO_SECRET_KEY")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": env("REDIS_URL")}}
STORAGES = {"default": {"BACKEND": "storages.backends.s3.S3Storage"}, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
EMAIL_BACKEND = "anymail.backends.mailgun.EmailBackend"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": True,
    "handlers": {"console": {"level": "DEBUG", "class": "logging.StreamHandler"}},
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {"django.db.backends": {"level": "ERROR", "handlers": ["console"], "propagate": False}},
}
SENTRY_DSN = env("SENTRY_DSN")
sentry_sdk.init(dsn=SENTRY_DSN, environment=env("SENTRY_ENVIRONMENT", default="production"), traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0))
`,
    'config/settings/local.py': 'from .base import *  # noqa\nDEBUG = True\nEMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"\nimport sentry_sdk\nsentry_sdk.init(dsn="https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/1", send_default_pii=True)\n',
  });
  const { analyzer, findings } = await analyzeDir(dir, { settingsOverride: 'config/settings/production.py', djangoVersion: { major: 5, minor: 2, source: 'test' } });
  try {
    assert.deepEqual(ops(findings).map((f) => f.code), ['DJ-OPS-003']);
  } finally {
    analyzer.dispose();
  }
});

test('healthchecks-style DB selector and env fallbacks are named in messages', async () => {
  const src = `import os\nDEBUG = False\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "hc.sqlite"}}\nif os.getenv("DB") == "postgres":\n    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "hc"}}\nCACHES = {"default": {"BACKEND": os.getenv("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache")}}\n`;
  const { analyzer, findings } = await analyzeSettings(src);
  try {
    assert.match(ops(findings, 'DJ-OPS-009')[0]!.message, /SQLite unless DB is set/);
    assert.match(ops(findings, 'DJ-OPS-014')[0]!.message, /LocMemCache.* when CACHE_BACKEND is unset/);
  } finally {
    analyzer.dispose();
  }
});

test('appendEntries, prependEntries and removeElement follow the container layout', async () => {
  const pool = await ParserPool.create(['python']);
  try {
    const run = (src: string, edit: (root: import('../../server/src/engine/parsing/syntax').SyntaxNode) => import('../../server/src/engine/types').TextEdit[]) => {
      const tree = pool.parse('python', src);
      return applyEdits(src, edit(tree.rootNode)).text;
    };
    const firstDict = (root: import('../../server/src/engine/parsing/syntax').SyntaxNode) => root.descendantsOfType('dictionary')[0]!;
    assert.equal(run('D = {"a": 1}\n', (r) => appendEntries('f', firstDict(r), ['"b": 2'])), 'D = {"a": 1, "b": 2}\n');
    assert.equal(run('D = {}\n', (r) => appendEntries('f', firstDict(r), ['"b": 2'])), 'D = {"b": 2}\n');
    assert.equal(run('D = {\n    "a": 1,\n}\n', (r) => appendEntries('f', firstDict(r), ['"b": 2'])), 'D = {\n    "a": 1,\n    "b": 2,\n}\n');
    assert.equal(run('D = {\n    "a": 1  # one\n}\n', (r) => appendEntries('f', firstDict(r), ['"b": 2'])), 'D = {\n    "a": 1,  # one\n    "b": 2,\n}\n');
    assert.equal(run('D = {"a": 1,\n     "b": 2}\n', (r) => appendEntries('f', firstDict(r), ['"c": 3'])), 'D = {"a": 1,\n     "b": 2,\n    "c": 3,\n}\n');
    assert.equal(run('D = {\n    "a": 1,\n}\n', (r) => prependEntries('f', firstDict(r), ['"v": 1'])), 'D = {\n    "v": 1,\n    "a": 1,\n}\n');
    const list = (r: import('../../server/src/engine/parsing/syntax').SyntaxNode) => r.descendantsOfType('list')[0]!;
    assert.equal(run('L = [\n    "a",\n    "b",\n    "c",\n]\n', (r) => removeElement('f', list(r), list(r).namedChildren[1]!)), 'L = [\n    "a",\n    "c",\n]\n');
    assert.equal(run('L = ["a", "b", "c"]\n', (r) => removeElement('f', list(r), list(r).namedChildren[1]!)), 'L = ["a", "c"]\n');
    assert.equal(run('L = ["a", "b"]\n', (r) => removeElement('f', list(r), list(r).namedChildren[1]!)), 'L = ["a"]\n');
  } finally {
    pool.dispose();
  }
});

test('the Sentry init follows edits of the statement that names it and of the call, as a fresh analysis does', async () => {
  const source = `${HEAD}import sentry_sdk as sdk\nSENTRY_DSN = os.environ.get("SENTRY_DSN", "")\nsdk.init(dsn=SENTRY_DSN)\n`;
  const { analyzer, dir } = await analyzeSettings(source);
  try {
    const file = analyzer.projects()[0]!.production!.path;
    const reported = () => ops(analyzer.analyze().findings, 'DJ-OPS-007').length > 0;
    const fresh = async () => {
      const other = await analyzeDir(dir, { settingsOverride: 'settings.py', djangoVersion: { major: 5, minor: 2, source: 'test' } });
      try {
        // The fresh analysis reads the disk: give it the edited text.
        other.analyzer.setDocument(file, analyzer.fs.readFile(file)!);
        return ops(other.analyzer.analyze().findings, 'DJ-OPS-007').length > 0;
      } finally {
        other.analyzer.dispose();
      }
    };
    const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.startsWith(needle));
    const replaceLine = (needle: string, line: string) => {
      const text = analyzer.fs.readFile(file)!;
      const row = lineOf(text, needle);
      const old = text.split('\n')[row]!;
      const next = text.split('\n').map((l, i) => (i === row ? line : l)).join('\n');
      analyzer.updateDocument(file, [{ range: { start: { line: row, character: 0 }, end: { line: row, character: old.length } }, text: line }], next);
    };
    assert.equal(reported(), false, 'sdk.init initialises Sentry');
    replaceLine('import sentry_sdk', 'import sentry_sdk as other');
    assert.equal(reported(), true, 'sdk is no longer sentry_sdk');
    assert.equal(await fresh(), true);
    replaceLine('sdk.init', 'other.init(dsn=SENTRY_DSN)');
    assert.equal(reported(), false, 'other.init is the init');
    assert.equal(await fresh(), false);
    replaceLine('import sentry_sdk', 'from sentry_sdk import init as other');
    assert.equal(reported(), true, 'other is the init function now, not the module');
    replaceLine('other.init', 'other(dsn=SENTRY_DSN)');
    assert.equal(reported(), false);
    assert.equal(await fresh(), false);
  } finally {
    analyzer.dispose();
  }
});

test('DJ-OPS-027 finds error pages directly in any template root (DIRS or an app templates folder), not deeper, not in static', async () => {
  const settings = readFileSync(join(REPO_ROOT, 'test/fixtures/rules/DJ-OPS-027/fires/settings.py'), 'utf8');
  const page = '<!doctype html><title>x</title>\n';
  const cases: { name: string; files: Record<string, string>; missing: string[] }[] = [
    { name: 'both in an app templates folder', files: { 'shop/templates/shop/list.html': page, 'shop/templates/404.html': page, 'shop/templates/500.html': page }, missing: [] },
    { name: 'both in DIRS', files: { 'templates/404.html': page, 'templates/500.html': page, 'shop/templates/shop/list.html': page }, missing: [] },
    { name: 'one in DIRS, one in an app folder', files: { 'templates/404.html': page, 'blog/templates/500.html': page }, missing: [] },
    { name: 'one level too deep', files: { 'shop/templates/shop/404.html': page, 'shop/templates/500.html': page }, missing: ['404.html'] },
    { name: 'a root inside a root', files: { 'shop/templates/emails/templates/404.html': page, 'shop/templates/500.html': page }, missing: [] },
    { name: 'only a page named like a root', files: { 'shop/templatesx/404.html': page, 'shop/templates/500.html': page }, missing: ['404.html'] },
    { name: 'none', files: { 'shop/templates/shop/list.html': page }, missing: ['404.html', '500.html'] },
    { name: 'static pages only', files: { 'shop/static/templates/404.html': page }, missing: [] },
  ];
  for (const c of cases) {
    const dir = writeProject({ 'settings.py': settings, ...c.files });
    const { analyzer, findings } = await analyzeDir(dir, { settingsOverride: 'settings.py', djangoVersion: { major: 5, minor: 2, source: 'test' } });
    analyzer.dispose();
    const hit = ops(findings, 'DJ-OPS-027')[0];
    if (c.missing.length === 0) assert.equal(hit, undefined, `${c.name}: ${hit?.message}`);
    else {
      assert.ok(hit, c.name);
      assert.match(hit.message, new RegExp(`^No ${c.missing.join(' or ').replace(/\./g, '\\.')} template`), c.name);
    }
  }
});

test('a Sentry init in test code is not production error tracking; one in app code is', async () => {
  const settings = `${HEAD}SENTRY_DSN = os.environ.get("SENTRY_DSN")\n`;
  const init = 'import sentry_sdk\nsentry_sdk.init(dsn="https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/1")\n';
  const cases: { place: string; tracked: boolean }[] = [
    { place: 'shop/tests.py', tracked: false },
    { place: 'shop/test.py', tracked: false },
    { place: 'shop/tests/test_views.py', tracked: false },
    { place: 'shop/views_test.py', tracked: false },
    { place: 'conftest.py', tracked: false },
    { place: 'shop/apps.py', tracked: true },
    { place: 'shop/contests.py', tracked: true },
  ];
  for (const c of cases) {
    const dir = writeProject({ 'settings.py': settings, 'requirements.txt': 'Django==5.2.9\nsentry-sdk==2.19.2\n', [c.place]: init });
    const { analyzer, findings } = await analyzeDir(dir, { settingsOverride: 'settings.py', djangoVersion: { major: 5, minor: 2, source: 'test' } });
    analyzer.dispose();
    assert.equal(ops(findings, 'DJ-OPS-007').length === 0, c.tracked, c.place);
  }
});
