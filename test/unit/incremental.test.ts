// The editor's analysis is incremental: each keystroke reparses only the statements around it
// (parsing/region.ts) and replays the recorded evaluation of every top-level statement whose
// inputs did not change (settings/statementMemo.ts). Whatever the edits, its findings must be the
// ones a fresh analysis of the same text gives. Checked here on real-shaped settings modules: the
// example project and the differential fixtures (cookiecutter, Wagtail, Saleor, PostHog styles).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Analyzer, type AnalyzerOptions } from '../../server/src/engine/analyzer';
import { computeLineStarts } from '../../server/src/engine/parsing/documents';
import { RULES } from '../../server/src/engine/rules/index';
import { setStatementTrace } from '../../server/src/engine/settings/statementMemo';
import { setViewScanTrace } from '../../server/src/engine/views/model';
import type { Finding } from '../../server/src/engine/types';
import { FIXTURES, REPO_ROOT, writeProject } from '../helpers/engine';

function positionOf(text: string, offset: number) {
  const starts = computeLineStarts(text);
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1]! <= offset) line++;
  return { line, character: offset - starts[line]! };
}

const summary = (findings: Finding[]) => findings.map((f) => `${f.file}:${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character} ${f.code} ${f.severity} ${f.message} fixes=${JSON.stringify(f.fixes)}`).join('\n');

/** Edits a user makes while typing: in values, in names, new settings, removed lines, newlines. */
function nextEdit(text: string, rand: (n: number) => number): { start: number; end: number; insert: string } {
  const kind = rand(8);
  const lines = text.split('\n');
  const row = rand(lines.length);
  const lineStart = lines.slice(0, row).reduce((n, l) => n + l.length + 1, 0);
  const line = lines[row]!;
  if (kind === 0) {
    // Flip a boolean or a digit.
    const m = /True|False|\d/.exec(line);
    if (m) {
      const to = m[0] === 'True' ? 'False' : m[0] === 'False' ? 'True' : String((Number(m[0]) + 1) % 10);
      return { start: lineStart + m.index, end: lineStart + m.index + m[0].length, insert: to };
    }
  }
  if (kind === 1 && /^[A-Z_]+ = /.test(line)) return { start: lineStart, end: lineStart, insert: `SECURE_HSTS_SECONDS = ${rand(2) ? 0 : 31536000}\n` };
  if (kind === 2 && /^[A-Z_]+ = [^\n]*$/.test(line) && !line.trimEnd().endsWith('(') && !/[[{(]\s*$/.test(line)) return { start: lineStart, end: lineStart + line.length + 1, insert: '' };
  if (kind === 3) {
    const q = line.indexOf('"');
    if (q >= 0) return { start: lineStart + q + 1, end: lineStart + q + 1, insert: 'x' };
  }
  if (kind === 7) {
    // What a fix does: a literal becomes a required environment read.
    const m = /"[^"\n]*"/.exec(line);
    if (m && !line.trimStart().startsWith('#')) return { start: lineStart + m.index, end: lineStart + m.index + m[0].length, insert: 'os.environ["FROM_ENV"]' };
  }
  if (kind === 4) return { start: lineStart + line.length, end: lineStart + line.length, insert: '  # note' };
  if (kind === 5) return { start: lineStart, end: lineStart, insert: '\n' };
  // Type a character and delete it again elsewhere: a name grows by one letter.
  const m = /^[A-Z_]+/.exec(line);
  if (m) return { start: lineStart + m[0].length, end: lineStart + m[0].length, insert: 'X' };
  return { start: lineStart + line.length, end: lineStart + line.length, insert: ' ' };
}

/** Opens `file` in the analyzer if needed and applies one edit as an incremental change; `texts` holds the buffers. */
function typeIn(analyzer: Analyzer, texts: Map<string, string>, file: string, edit: (text: string) => { start: number; end: number; insert: string }): { start: number; insert: string } {
  const text = texts.get(file) ?? analyzer.fs.readFile(file)!;
  if (!texts.has(file)) analyzer.setDocument(file, text);
  const { start, end, insert } = edit(text);
  const next = text.slice(0, start) + insert + text.slice(end);
  analyzer.updateDocument(file, [{ range: { start: positionOf(text, start), end: positionOf(text, end) }, text: insert }], next);
  texts.set(file, next);
  return { start, insert };
}

/** Fails unless a fresh analysis of `root`, with the edited buffers `texts` open, has `incremental`'s findings. */
async function assertFresh(root: string, texts: Map<string, string>, incremental: string, what: string): Promise<void> {
  const fresh = await Analyzer.create(root);
  try {
    for (const [f, t] of texts) fresh.setDocument(f, t);
    assert.equal(incremental, summary(fresh.analyze().findings), what);
  } finally {
    fresh.dispose();
  }
}

async function checkProject(root: string, edits: number, seedStart: number, options: AnalyzerOptions = {}): Promise<void> {
  const analyzer = await Analyzer.create(root, options);
  try {
    const profile = analyzer.analyze().profiles[0];
    if (!profile) return;
    const files = [...profile.filesRead].filter((f) => f.endsWith('.py'));
    let seed = seedStart;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const texts = new Map<string, string>();
    for (let i = 0; i < edits; i++) {
      const file = files[rand(files.length)]!;
      const { start, insert } = typeIn(analyzer, texts, file, (text) => nextEdit(text, rand));
      const incremental = summary(analyzer.analyze().findings);
      const fresh = await Analyzer.create(root, options);
      try {
        for (const [f, t] of texts) fresh.setDocument(f, t);
        const expected = summary(fresh.analyze().findings);
        if (incremental !== expected) {
          const a = incremental.split('\n');
          const b = expected.split('\n');
          const k = a.findIndex((l, j) => l !== b[j]);
          assert.fail(`${root}: after edit ${i} (${JSON.stringify(insert)} at ${start} of ${file}) the incremental analysis has ${a.length} findings, a fresh one ${b.length}; first difference:\n  incremental: ${a[k]?.slice(0, 400)}\n  fresh:       ${b[k]?.slice(0, 400)}`);
        }
      } finally {
        fresh.dispose();
      }
    }
  } finally {
    analyzer.dispose();
  }
}

test('incremental analysis of the example project equals a fresh analysis after every edit', async () => {
  await checkProject(join(REPO_ROOT, 'example'), 60, 3);
});

test('incremental analysis of the differential fixtures equals a fresh analysis after every edit', async () => {
  const dir = join(FIXTURES, 'differential');
  const cases = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as { name: string; settings: string }[];
  assert.ok(cases.length > 30);
  let seed = 11;
  for (const c of cases) await checkProject(join(dir, c.name), 8, seed++, { settingsOverride: c.settings, djangoVersion: { major: 5, minor: 2, source: 'test' } });
});

test('incremental analysis of every rule fixture equals a fresh analysis after every edit', async () => {
  const dir = join(FIXTURES, 'rules');
  let seed = 101;
  let checked = 0;
  for (const id of readdirSync(dir)) {
    for (const name of ['fires.py', 'passes.py']) {
      const path = join(dir, id, name);
      if (!existsSync(path)) continue;
      const root = writeProject({ 'settings.py': readFileSync(path, 'utf8') });
      await checkProject(root, 3, seed++, { settingsOverride: 'settings.py', djangoVersion: { major: 5, minor: 2, source: 'test' } });
      checked++;
    }
  }
  assert.ok(checked > 100, `${checked} fixtures`);
});

/** Edits in view, URL and helper modules: exemptions, re-exports, new views and routes, renames. */
function nextViewEdit(text: string, rand: (n: number) => number): { start: number; end: number; insert: string } {
  const lines = text.split('\n');
  const row = rand(lines.length);
  const lineStart = lines.slice(0, row).reduce((n, l) => n + l.length + 1, 0);
  const line = lines[row]!;
  const snippets = [
    '@csrf_exempt\n',
    '@skip_check\n',
    'from .helpers import skip_check\n',
    'from django.views.decorators.csrf import csrf_exempt\n',
    // An alias by assignment, which name-following cannot see through (it walks imports from there).
    'from . import deco\n',
    'skip_check = deco.skip_check\n',
    'def health(request):\n    return None\n',
    'def login_form(request):\n    return mark_safe(f"<b>{request.GET[\'q\']}</b>")\n',
    '    path("health/", views.health),\n',
    '    path("hooks/pay/", views.payment_webhook),\n',
    '# note\n',
  ];
  const kind = rand(snippets.length + 2);
  if (kind < snippets.length) return { start: lineStart, end: lineStart, insert: snippets[kind]! };
  if (kind === snippets.length && line.startsWith('def ')) return { start: lineStart + 4, end: lineStart + 4, insert: 'x' };
  return { start: lineStart, end: lineStart + line.length + (row < lines.length - 1 ? 1 : 0), insert: '' };
}

test('incremental analysis equals a fresh analysis after edits in view, URL and helper modules, and a new module', async () => {
  const root = writeProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
    'proj/__init__.py': '',
    'proj/settings.py': 'DEBUG = False\nSECRET_KEY = "x"\nINSTALLED_APPS = ["app"]\nMIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddleware"]\nROOT_URLCONF = "proj.urls"\ntry:\n    from .local import *\nexcept ImportError:\n    pass\n',
    'proj/urls.py': 'from django.urls import include, path\n\nurlpatterns = [\n    path("", include("app.urls")),\n]\n',
    'app/__init__.py': '',
    'app/urls.py': 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [\n    path("login/", views.login_view),\n    path("hooks/pay/", views.payment_webhook),\n]\n',
    'app/views.py': 'from django.utils.safestring import mark_safe\n\nfrom .shortcuts import skip_check\n\n\ndef login_view(request):\n    return None\n\n\n@skip_check\ndef payment_webhook(request):\n    return None\n',
    'app/shortcuts.py': 'from .helpers import *\n',
    'app/deco.py': 'from django.views.decorators.csrf import csrf_exempt as skip_check\n',
  });
  const analyzer = await Analyzer.create(root);
  try {
    analyzer.analyze();
    let seed = 5;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const files = ['app/views.py', 'app/urls.py', 'app/shortcuts.py', 'app/deco.py'].map((f) => join(root, f));
    const texts = new Map<string, string>();
    for (let i = 0; i < 80; i++) {
      if (i === 20) {
        // app/helpers.py appears (written to disk, reported by the watcher): `from .helpers import *` now resolves.
        const helpers = join(root, 'app/helpers.py');
        writeFileSync(helpers, 'from .deco import skip_check\n');
        // proj/local.py appears too: the settings' `from .local import *` now finds it.
        const local = join(root, 'proj/local.py');
        writeFileSync(local, 'DEBUG = True\n');
        analyzer.filesChanged([{ path: helpers, kind: 'created' }, { path: local, kind: 'created' }]);
      }
      const file = files[rand(files.length)]!;
      const { start, insert } = typeIn(analyzer, texts, file, (text) => nextViewEdit(text, rand));
      const incremental = summary(analyzer.analyze().findings);
      await assertFresh(root, texts, incremental, `after edit ${i} (${JSON.stringify(insert)} at ${start} of ${file})`);
    }
  } finally {
    analyzer.dispose();
  }
});

/**
 * Horizon's shape: the settings call helper functions of another module at import time, helpers
 * that read their own module's globals and the defaults module, import inside their bodies and
 * depend on which modules exist; the settings extend sys.path and have undecided branches.
 */
const HELPER_PROJECT: Record<string, string> = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
  'proj/__init__.py': '',
  'proj/defaults.py': [
    'DEBUG = False',
    'MIDDLEWARE = [',
    '    "django.middleware.security.SecurityMiddleware",',
    '    "django.middleware.csrf.CsrfViewMiddleware",',
    '    "django.middleware.clickjacking.XFrameOptionsMiddleware",',
    ']',
    'SESSION_COOKIE_SECURE = True',
    'CSRF_COOKIE_SECURE = True',
    'XSTATIC_MODULES = ["xstatic.pkg.jquery"]',
    'HORIZON_CONFIG = {"js_files": [], "xstatic_modules": ["xstatic.pkg.angular"]}',
    'SECURITY_GROUP_RULES = {',
    '    "all_tcp": {"name": "All TCP", "ip_protocol": "tcp"},',
    '}',
    'ALLOWED_HOSTS = ["example.com"]',
    '',
  ].join('\n'),
  'proj/utils/__init__.py': '',
  'proj/utils/discovery.py': 'def populate(config, path):\n    config["js_files"] = [path]\n',
  'proj/utils/settings.py': [
    'import os',
    '',
    'from proj import defaults',
    'from proj.utils import discovery',
    '',
    'HSTS_DEFAULT = 31536000',
    'REDIRECT = True',
    '',
    '',
    'def find_static_files(config, root):',
    '    import proj.utils.discovery',
    '    discovery.populate(config, os.path.join(root, "static"))',
    '',
    '',
    'def get_xstatic_dirs(modules, config):',
    '    return list(modules) + list(config["xstatic_modules"])',
    '',
    '',
    'def hsts_seconds():',
    '    if defaults.DEBUG:',
    '        return 0',
    '    return HSTS_DEFAULT',
    '',
    '',
    'def redirect():',
    '    return REDIRECT and not defaults.DEBUG',
    '',
    '',
    'def extra_hosts(hosts):',
    '    try:',
    '        from proj.plugins import HOSTS',
    '    except ImportError:',
    '        return hosts',
    '    return hosts + HOSTS',
    '',
  ].join('\n'),
  'proj/settings.py': [
    'import os',
    'import sys',
    '',
    'from proj.defaults import *',
    'from proj.utils import settings as settings_utils',
    '',
    'ROOT_PATH = os.path.dirname(os.path.abspath(__file__))',
    'if ROOT_PATH not in sys.path:',
    '    sys.path.append(ROOT_PATH)',
    '',
    'SECRET_KEY = os.environ["SECRET_KEY"]',
    'SECURE_HSTS_SECONDS = settings_utils.hsts_seconds()',
    'SECURE_SSL_REDIRECT = settings_utils.redirect()',
    'ALLOWED_HOSTS = settings_utils.extra_hosts(ALLOWED_HOSTS)',
    '',
    'if os.environ.get("ENABLE_TOOLBAR"):',
    '    INSTALLED_APPS = ["debug_toolbar"]',
    '    TOOLBAR = True',
    'else:',
    '    INSTALLED_APPS = []',
    '',
    'try:',
    '    from local.local_settings import *',
    'except ImportError:',
    '    pass',
    '',
    'settings_utils.find_static_files(HORIZON_CONFIG, ROOT_PATH)',
    'STATICFILES_DIRS = settings_utils.get_xstatic_dirs(XSTATIC_MODULES, HORIZON_CONFIG)',
    'SESSION_COOKIE_SECURE = SESSION_COOKIE_SECURE and not DEBUG',
    '',
  ].join('\n'),
  'proj/local/__init__.py': '',
  'proj/local/local_settings.py': 'CSRF_COOKIE_SECURE = True\n',
  'proj/test/__init__.py': '',
  'proj/test/settings.py': [
    'from proj.defaults import *',
    'from proj.utils import settings as settings_utils',
    '',
    'SECRET_KEY = "test-only-secret"',
    'STATICFILES_DIRS = settings_utils.get_xstatic_dirs(XSTATIC_MODULES, HORIZON_CONFIG)',
    '',
  ].join('\n'),
};

test('incremental analysis equals a fresh analysis when the settings call helper modules', async () => {
  await checkProject(writeProject(HELPER_PROJECT), 80, 41);
});

test('calls into helper modules are replayed until what they read changes', async () => {
  const root = writeProject(HELPER_PROJECT);
  const analyzer = await Analyzer.create(root);
  const settings = join(root, 'proj/settings.py');
  const ran: string[] = [];
  let tracing = true;
  setStatementTrace((path, stmt, replayed) => {
    if (tracing && path === settings && !replayed) ran.push(stmt.text);
  });
  const texts = new Map<string, string>();
  const expectFresh = async (what: string) => {
    const incremental = summary(analyzer.analyze().findings);
    tracing = false;
    try {
      await assertFresh(root, texts, incremental, what);
    } finally {
      tracing = true;
    }
    return incremental;
  };
  const edit = (file: string, from: string, to: string) =>
    typeIn(analyzer, texts, join(root, file), (text) => {
      const at = text.indexOf(from);
      assert.ok(at >= 0, `${from} in ${file}`);
      return { start: at, end: at + from.length, insert: to };
    });
  try {
    const before = await expectFresh('first analysis');
    // A string in the defaults that no helper reads: the calls replay, only imports run again.
    for (const [from, to] of [['All TCP', 'All TCPx'], ['All TCPx', 'All TCP']]) {
      ran.length = 0;
      edit('proj/defaults.py', from!, to!);
      await expectFresh(`after ${from} -> ${to} in the defaults`);
      assert.deepEqual(
        ran.filter((t) => t.includes('settings_utils.') && !t.startsWith('from ')),
        [],
        `statements run again:\n${ran.join('\n')}`,
      );
      assert.ok(ran.length <= 6, `statements run again:\n${ran.join('\n')}`);
    }
    assert.equal(await expectFresh('the text is back'), before);

    // A global of the helper module that a helper returns: the call runs again.
    ran.length = 0;
    edit('proj/utils/settings.py', 'HSTS_DEFAULT = 31536000', 'HSTS_DEFAULT = 0');
    const noHsts = await expectFresh('HSTS_DEFAULT edited');
    assert.notEqual(noHsts, before);
    assert.ok(ran.some((t) => t.includes('hsts_seconds')), `statements run again:\n${ran.join('\n')}`);

    // The defaults' DEBUG, read by two helpers through the module.
    edit('proj/defaults.py', 'DEBUG = False', 'DEBUG = True');
    assert.notEqual(await expectFresh('DEBUG edited'), noHsts);

    // A module an import inside a helper looked for appears: the import resolves now.
    const plugins = join(root, 'proj/plugins.py');
    writeFileSync(plugins, 'HOSTS = ["*"]\n');
    const withoutPlugins = summary(analyzer.analyze().findings);
    analyzer.filesChanged([{ path: plugins, kind: 'created' }]);
    assert.notEqual(await expectFresh('proj/plugins.py created'), withoutPlugins);
  } finally {
    setStatementTrace(undefined);
    analyzer.dispose();
  }
});

test('an undecided branch replays only while the bindings it joins with are unchanged', async () => {
  // Each side runs from the state before the `if`: what a side leaves unbound comes from there,
  // and so does what the other side reads after the first one bound it.
  const root = writeProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
    'proj/__init__.py': '',
    'proj/settings.py': [
      'import os',
      'import platform',
      '',
      'from django.core.exceptions import ImproperlyConfigured',
      '',
      'INSTALLED_APPS = ["django.contrib.sessions"]',
      'MIDDLEWARE = [',
      '    "django.middleware.security.SecurityMiddleware",',
      '    "django.contrib.sessions.middleware.SessionMiddleware",',
      '    "django.middleware.csrf.CsrfViewMiddleware",',
      ']',
      'SECRET_KEY = os.environ["SECRET_KEY"]',
      'DEBUG = False',
      'SESSION_COOKIE_SECURE = False',
      '# Conditions the analysis cannot decide: both sides run.',
      'if platform.node() == "dev":',
      '    DEBUG = True',
      'if platform.node() == "legacy":',
      '    SESSION_COOKIE_SECURE = True',
      '    raise ImproperlyConfigured("legacy mode is gone")',
      'else:',
      '    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE',
      '',
    ].join('\n'),
  });
  const analyzer = await Analyzer.create(root);
  const texts = new Map<string, string>();
  const file = join(root, 'proj/settings.py');
  try {
    let previous = summary(analyzer.analyze().findings);
    let changed = 0;
    for (const [from, to] of [
      // DEBUG is True on both sides now, no longer only on one.
      ['DEBUG = False', 'DEBUG = True'],
      // The else side (the other raises) reads it after the raising side bound it.
      ['SESSION_COOKIE_SECURE = False', 'SESSION_COOKIE_SECURE = True'],
      ['DEBUG = True\nSESSION', 'DEBUG = False\nSESSION'],
    ]) {
      typeIn(analyzer, texts, file, (text) => {
        const at = text.indexOf(from!);
        assert.ok(at >= 0, from);
        return { start: at, end: at + from!.length, insert: to! };
      });
      const incremental = summary(analyzer.analyze().findings);
      await assertFresh(root, texts, incremental, `after ${from} -> ${to}`);
      changed += incremental === previous ? 0 : 1;
      previous = incremental;
    }
    assert.equal(changed, 3, 'each edit changes the findings');
  } finally {
    analyzer.dispose();
  }
});

test('an edit in one view module looks for the views of that module only, and finds what a fresh analysis does', async () => {
  const view = (name: string) => `from django.http import HttpResponse\nfrom django.views.decorators.csrf import csrf_exempt\n\n\n@csrf_exempt\ndef ${name}(request):\n    return HttpResponse("ok")\n`;
  const root = writeProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
    'proj/__init__.py': '',
    'proj/settings.py': 'DEBUG = False\nSECRET_KEY = "x"\nINSTALLED_APPS = ["a", "b", "c"]\nMIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddleware"]\nROOT_URLCONF = "proj.urls"\n',
    'proj/urls.py': 'from django.urls import path\n\nfrom a.views import login_a\nfrom b.views import login_b\nfrom c.views import login_c\n\nurlpatterns = [\n    path("a/", login_a),\n    path("b/", login_b),\n    path("c/", login_c),\n]\n',
    'a/__init__.py': '',
    'a/views.py': view('login_a'),
    'b/__init__.py': '',
    'b/views.py': view('login_b'),
    'c/__init__.py': '',
    'c/views.py': view('login_c'),
  });
  const analyzer = await Analyzer.create(root);
  const scanned: string[] = [];
  setViewScanTrace((path) => scanned.push(path.slice(root.length + 1)));
  try {
    analyzer.analyze();
    assert.deepEqual([...scanned].sort(), ['a/views.py', 'b/views.py', 'c/views.py', 'proj/urls.py']);
    const texts = new Map<string, string>();
    const b = join(root, 'b/views.py');
    const steps: [string, string][] = [
      ['    return HttpResponse("ok")', '    return HttpResponse("ok!")'],
      ['@csrf_exempt\n', ''],
      ['def login_b(request):', '@csrf_exempt\ndef login_b(request):'],
    ];
    for (const [from, to] of steps) {
      scanned.length = 0;
      typeIn(analyzer, texts, b, (text) => {
        const at = text.indexOf(from);
        assert.ok(at >= 0, from);
        return { start: at, end: at + from.length, insert: to };
      });
      const findings = summary(analyzer.analyze().findings);
      assert.deepEqual(scanned, ['b/views.py'], `after ${JSON.stringify(to)}: only the edited module is looked at again`);
      await assertFresh(root, texts, findings, `after ${JSON.stringify(to)}`);
    }
  } finally {
    setViewScanTrace(undefined);
    analyzer.dispose();
  }
});

test('a kept view part follows the modules its names resolve through, also when another part loaded them first', async () => {
  const view = (name: string) => `from .base import Base\n\n\nclass ${name}(Base):\n    def post(self, request):\n        return None\n`;
  const root = writeProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
    'proj/__init__.py': '',
    'proj/settings.py': 'DEBUG = False\nSECRET_KEY = "x"\nINSTALLED_APPS = ["a"]\nROOT_URLCONF = "proj.urls"\n',
    'proj/urls.py': 'from django.urls import path\n\nfrom a.signup import SignupView\nfrom a.views import LoginView\n\nurlpatterns = [\n    path("signup/", SignupView.as_view()),\n    path("login/", LoginView.as_view()),\n]\n',
    'a/__init__.py': '',
    'a/base.py': 'from django.views import View\nfrom rest_framework.views import APIView\n\n\nclass Base(View):\n    pass\n',
    'a/signup.py': view('SignupView'),
    'a/views.py': view('LoginView'),
  });
  const analyzer = await Analyzer.create(root);
  try {
    const first = summary(analyzer.analyze().findings);
    assert.match(first, /DJ-VIEW-003.*LoginView/, 'the login view is reported without a rate limit');
    const texts = new Map<string, string>();
    const base = join(root, 'a/base.py');
    // A Django view, then a DRF one (the finding says which), then a Django view again.
    for (const [from, to] of [['class Base(View):', 'class Base(APIView):'], ['class Base(APIView):', 'class Base(View):']] as const) {
      typeIn(analyzer, texts, base, (text) => ({ start: text.indexOf(from), end: text.indexOf(from) + from.length, insert: to }));
      const now = summary(analyzer.analyze().findings);
      assert.match(now, to.includes('API') ? /LoginView` is a [^(]*\(DRF view/ : /LoginView` is a [^(]*\(class-based view/);
      await assertFresh(root, texts, now, `after ${to}`);
    }
  } finally {
    analyzer.dispose();
  }
});

test('a settings rule runs again only when a setting or file it read changed', async () => {
  const root = writeProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
    'proj/__init__.py': '',
    'proj/defaults.py': [
      'INSTALLED_APPS = ["django.contrib.sessions"]',
      'MIDDLEWARE = [',
      '    "django.middleware.security.SecurityMiddleware",',
      '    "django.contrib.sessions.middleware.SessionMiddleware",',
      ']',
      'SESSION_COOKIE_SECURE = False',
      'GROUP_RULES = {"all_tcp": {"name": "All TCP"}}',
      '',
    ].join('\n'),
    'proj/settings.py': 'import os\n\nfrom proj.defaults import *\n\nSECRET_KEY = os.environ["SECRET_KEY"]\n',
  });
  // HSTS not set: reported on the production module, whose end its fix inserts the setting at.
  const rule = RULES.find((r) => r.id === 'DJ-SEC-022')!;
  const check = rule.check;
  let runs = 0;
  (rule as { check: typeof check }).check = (ctx: never) => {
    runs++;
    return check.call(rule, ctx);
  };
  const analyzer = await Analyzer.create(root);
  const file = join(root, 'proj/defaults.py');
  const texts = new Map<string, string>();
  const type = (from: string, to: string) =>
    typeIn(analyzer, texts, file, (text) => {
      const at = text.indexOf(from);
      assert.ok(at >= 0, from);
      return { start: at, end: at + from.length, insert: to };
    });
  try {
    analyzer.analyze();
    assert.equal(runs, 1);
    type('All TCP', 'All TCPx');
    const unrelated = analyzer.analyze().findings;
    assert.equal(runs, 1, 'a string in another setting does not run the HSTS rule again');
    // Its fix, asked for now, is computed for the current files (the rule runs again for it: the
    // profile it ran on is no longer the current one).
    const withFixes = summary(unrelated);
    assert.equal(runs, 2, 'asking for the fixes ran the rule once more');
    await assertFresh(root, texts, withFixes, 'after an unrelated edit');
    runs = 0;
    type('GROUP_RULES', 'SECURE_HSTS_SECONDS = 3600\nGROUP_RULES');
    const fixed = summary(analyzer.analyze().findings);
    assert.equal(runs, 1);
    assert.notEqual(fixed, summary(unrelated));
    await assertFresh(root, texts, fixed, 'after the setting appeared');
  } finally {
    (rule as { check: typeof check }).check = check;
    analyzer.dispose();
  }
});

test('a comment leaves the settings evaluation alone; code, or a line that moves statements, does not', async () => {
  const root = writeProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
    'proj/__init__.py': '',
    'proj/base.py': 'DEBUG = False\nALLOWED_HOSTS = ["example.com"]\n\nSESSION_COOKIE_SECURE = False\n',
    'proj/settings.py': 'import os\n\nfrom proj.base import *\n\nSECRET_KEY = "django-insecure-x"\n\nCSRF_COOKIE_SECURE = False\n',
  });
  const analyzer = await Analyzer.create(root);
  try {
    const base = join(root, 'proj/base.py');
    const settings = join(root, 'proj/settings.py');
    const texts = new Map<string, string>();
    analyzer.analyze();
    // Statements evaluated (replayed or run) by each analysis: none when the evaluation is kept.
    let evaluated = 0;
    setStatementTrace(() => evaluated++);
    const step = async (file: string, edit: (text: string) => { start: number; end: number; insert: string }, reevaluated: boolean, what: string) => {
      typeIn(analyzer, texts, file, edit);
      evaluated = 0;
      const result = analyzer.analyze();
      assert.equal(evaluated > 0, reevaluated, `${what}: ${reevaluated ? 'evaluated again' : 'kept'} (${evaluated} statements)`);
      await assertFresh(root, texts, summary(result.findings), what);
    };
    const end = (text: string) => ({ start: text.length, end: text.length, insert: '' });
    // A comment typed at the end of each module, then on the blank line between statements.
    await step(base, (t) => ({ ...end(t), insert: '# the end' }), false, 'comment at the end of base.py');
    await step(settings, (t) => ({ ...end(t), insert: '# the end' }), false, 'comment at the end of settings.py');
    await step(base, (t) => ({ start: t.indexOf('\n\n') + 1, end: t.indexOf('\n\n') + 1, insert: '# between' }), false, 'comment on a blank line');
    await step(settings, (t) => ({ start: t.indexOf('False'), end: t.indexOf('False') + 5, insert: 'True' }), true, 'a value changed');
    // A line added above statements moves them (their findings' places): evaluated again.
    await step(base, (t) => ({ start: 0, end: 0, insert: '# header\n' }), true, 'a comment line above the statements');
    await step(base, (t) => ({ start: t.indexOf('ALLOWED_HOSTS'), end: t.indexOf('ALLOWED_HOSTS'), insert: 'X = 1  # new\n' }), true, 'a statement added');
  } finally {
    setStatementTrace(undefined);
    analyzer.dispose();
  }
});

test('in a workspace of two projects, an edit in one leaves the other project\'s rules alone, and the findings are a fresh analysis\'s', async () => {
  const project = (name: string) => ({
    [`${name}/manage.py`]: `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${name}proj.settings")\n`,
    [`${name}/${name}proj/__init__.py`]: '',
    [`${name}/${name}proj/settings.py`]: `DEBUG = False\nSECRET_KEY = "x"\nINSTALLED_APPS = ["app"]\nROOT_URLCONF = "${name}proj.urls"\nSESSION_COOKIE_SECURE = True\n`,
    [`${name}/${name}proj/urls.py`]: 'from django.urls import include, path\n\nurlpatterns = [\n    path("", include("app.urls")),\n]\n',
    [`${name}/app/__init__.py`]: '',
    [`${name}/app/urls.py`]: 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [\n    path("login/", views.login_view),\n    path("hooks/pay/", views.payment_webhook),\n]\n',
    [`${name}/app/views.py`]: 'from django.views.decorators.csrf import csrf_exempt\n\n\ndef login_view(request):\n    return None\n\n\n@csrf_exempt\ndef payment_webhook(request):\n    return None\n',
  });
  const root = writeProject({ ...project('a'), ...project('b') });
  const analyzer = await Analyzer.create(root);
  // Which projects' rule entries an analysis looked up (the rule cache is private: spied on).
  const cache = (analyzer as unknown as { ruleCache: { getValue: (key: string, profile: unknown) => unknown } }).ruleCache;
  const lookedUp = new Set<string>();
  const getValue = cache.getValue.bind(cache);
  cache.getValue = (key, profile) => {
    lookedUp.add(key.slice(root.length + 1, root.length + 2));
    return getValue(key, profile);
  };
  try {
    analyzer.analyze();
    let seed = 11;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const texts = new Map<string, string>();
    for (let i = 0; i < 40; i++) {
      const side = rand(2) === 0 ? 'a' : 'b';
      const settings = rand(2) === 0;
      const file = join(root, side, settings ? `${side}proj/settings.py` : 'app/views.py');
      lookedUp.clear();
      const { start, insert } = typeIn(analyzer, texts, file, (text) => (settings ? nextEdit(text, rand) : nextViewEdit(text, rand)));
      const incremental = summary(analyzer.analyze().findings);
      assert.ok(!lookedUp.has(side === 'a' ? 'b' : 'a'), `edit ${i} in ${side}: the other project's rule entries were looked up`);
      await assertFresh(root, texts, incremental, `after edit ${i} (${JSON.stringify(insert)} at ${start} of ${file})`);
    }
  } finally {
    analyzer.dispose();
  }
});
