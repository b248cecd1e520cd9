// View and URL rules (issue 4): csrf_exempt in all its forms, rate limiting of auth endpoints with the
// cross-file quick fix, raw SQL, unsafe HTML, health check, admin route, static/serve guards.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Analyzer } from '../../server/src/engine/analyzer';
import type { SyntaxNode } from '../../server/src/engine/parsing/syntax';
import { applyEdits, editsByFile } from '../../server/src/engine/fixes/apply';
import type { Finding, Fix } from '../../server/src/engine/types';
import { readFileSync } from 'node:fs';
import { analyzeDir, pythonFixtures, REPO_ROOT, writeProject } from '../helpers/engine';
import { isAppFile } from '../../server/src/engine/views/model';
import { assignedAliases, mayAssign, mentionedOnImportLines, ModuleResolver, type PyModule, textBindings, textImports, type TextFacts } from '../../server/src/engine/views/imports';
import { importsOf } from '../../server/src/engine/deploy/pyimports';
import { ParserPool } from '../../server/src/engine/parsing/documents';
import { PythonSources } from '../../server/src/engine/project/sources';
import { DiskFileSystem } from '../../server/src/engine/workspace';
import { namesAViewOfInterest } from '../../server/src/engine/views/model';
import { wordOccurrences } from '../../server/src/engine/views/ratelimit';
import { pythonParses } from '../helpers/python';
import { createParser } from '../../server/src/engine/parsing/grammars';
import { copyTree, SyntaxTree } from '../../server/src/engine/parsing/syntax';
import { dottedName, dottedNameOfText } from '../../server/src/engine/views/py';

const MANAGE = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n';

function settings(extra = '', apps: string[] = [], middleware: string[] = []): string {
  const appList = ['django.contrib.admin', 'django.contrib.auth', 'django.contrib.contenttypes', 'django.contrib.sessions', ...apps, 'app'];
  const mw = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.contrib.auth.middleware.AuthenticationMiddleware',
    ...middleware,
  ];
  return [
    'import os',
    'DEBUG = False',
    'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
    `INSTALLED_APPS = [${appList.map((a) => JSON.stringify(a)).join(', ')}]`,
    `MIDDLEWARE = [${mw.map((a) => JSON.stringify(a)).join(', ')}]`,
    'ROOT_URLCONF = "proj.urls"',
    extra,
  ].join('\n');
}

const HEALTHY_ROOT = 'from django.urls import include, path\n\nurlpatterns = [\n    path("healthz/", include("app.health")),\n    path("", include("app.urls")),\n]\n';

/** A small project: proj/ (settings, urls) and app/ (views, urls), with overrides. */
function project(files: Record<string, string>, opts: { settings?: string; requirements?: string } = {}): string {
  return writeProject({
    'manage.py': MANAGE,
    'proj/__init__.py': '',
    'proj/settings.py': opts.settings ?? settings(),
    'proj/urls.py': HEALTHY_ROOT,
    'app/__init__.py': '',
    'app/health.py': 'from django.http import HttpResponse\nfrom django.urls import path\n\n\ndef ok(request):\n    return HttpResponse("ok")\n\n\nurlpatterns = [path("", ok)]\n',
    'requirements.txt': opts.requirements ?? 'Django==5.2.1\n',
    ...files,
  });
}

async function run(dir: string): Promise<{ analyzer: Analyzer; findings: Finding[] }> {
  return analyzeDir(dir);
}

function only(findings: Finding[], code: string): Finding[] {
  return findings.filter((f) => f.code === code);
}

/** Apply one fix through the analyzer's overlays (as the editor would), returning the changed texts. */
function applyFix(analyzer: Analyzer, fix: Fix): Map<string, string> {
  const out = new Map<string, string>();
  for (const [file, edits] of editsByFile([fix])) {
    const before = analyzer.fs.readFile(file) ?? '';
    const after = applyEdits(before, edits).text;
    out.set(file, after);
    analyzer.setDocument(file, after);
  }
  return out;
}

function assertPython(texts: Map<string, string>): void {
  for (const [file, text] of texts) {
    if (!file.endsWith('.py')) continue;
    const parsed = pythonParses(text);
    assert.ok(parsed.ok, `${file} does not parse:\n${parsed.error}\n${text}`);
  }
}

const LOGIN_VIEW = `from django.contrib.auth import authenticate, login
from django.shortcuts import redirect, render


def login_view(request):
    if request.method == "POST":
        user = authenticate(request, username=request.POST["username"], password=request.POST["password"])
        if user is not None:
            login(request, user)
            return redirect("/")
    return render(request, "login.html")
`;
const LOGIN_URLS = 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path("login/", views.login_view)]\n';

describe('DJ-VIEW-003 rate-limit quick fix (issue 4 "Done when")', () => {
  test('adds the decorator, the import and the requirement in one fix; re-check is clean; twice changes nothing', async () => {
    const dir = project({ 'app/views.py': LOGIN_VIEW, 'app/urls.py': LOGIN_URLS }, { requirements: 'Django==5.2.1\ngunicorn==23.0.0\n' });
    const { analyzer, findings } = await run(dir);
    try {
      const [finding, ...rest] = only(findings, 'DJ-VIEW-003');
      assert.ok(finding, 'no DJ-VIEW-003 finding');
      assert.equal(rest.length, 0);
      assert.match(finding.message, /login_view/);
      assert.match(finding.message, /LocMemCache/, 'the default cache is local memory: the message must say django-ratelimit needs a shared cache');
      const fix = finding.fixes[0]!;
      assert.ok(fix.safe);
      const files = new Set(fix.edits.map((e) => e.file));
      assert.deepEqual([...files].sort(), [join(dir, 'app/views.py'), join(dir, 'requirements.txt')].sort(), 'one fix, two files');

      const changed = applyFix(analyzer, fix);
      assertPython(changed);
      const views = changed.get(join(dir, 'app/views.py'))!;
      assert.match(views, /^from django_ratelimit\.decorators import ratelimit$/m);
      assert.equal(views.match(/import ratelimit/g)!.length, 1);
      assert.match(views, /\n@ratelimit\(key="ip", rate="5\/m", method="POST", block=True\)\ndef login_view\(request\):/);
      assert.match(changed.get(join(dir, 'requirements.txt'))!, /^django-ratelimit==4\.1\.0$/m);

      const after = analyzer.analyze().findings;
      assert.deepEqual(only(after, 'DJ-VIEW-003'), []);
      // Applying again: nothing to fix, nothing changes.
      assert.equal(analyzer.fixAll(5, (f) => f.code === 'DJ-VIEW-003').size, 0);
      assert.equal(analyzer.fs.readFile(join(dir, 'app/views.py')), views);
    } finally {
      analyzer.dispose();
    }
  });

  test('the requirement is not added twice, the import is reused, and a shared cache silences the cache note', async () => {
    const views = LOGIN_VIEW.replace('from django.shortcuts', 'from django_ratelimit.decorators import ratelimit\nfrom django.shortcuts') + '\n\n@ratelimit(key="ip", rate="5/m")\ndef other(request):\n    return None\n';
    const redis = 'CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://cache:6379/1"}}\n';
    const dir = project({ 'app/views.py': views, 'app/urls.py': LOGIN_URLS.replace(']', ', path("other/", views.other)]') }, { requirements: 'Django==5.2.1\ndjango-ratelimit==4.1.0\n', settings: settings(redis) });
    const { analyzer, findings } = await run(dir);
    try {
      const [f] = only(findings, 'DJ-VIEW-003');
      assert.ok(f);
      assert.doesNotMatch(f.message, /shared cache/);
      const fix = f.fixes[0]!;
      assert.deepEqual([...new Set(fix.edits.map((e) => e.file))], [join(dir, 'app/views.py')]);
      assert.ok(!fix.edits.some((e) => e.newText.includes('import')), 'the existing import is reused');
    } finally {
      analyzer.dispose();
    }
  });

  test('decorator order: below @login_required, above @require_POST and @api_view', async () => {
    const views = `from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_POST
from rest_framework.decorators import api_view
from rest_framework.response import Response


@login_required
@require_POST
def change_password(request):
    request.user.set_password(request.POST["password"])
    return None


@api_view(["POST"])
def obtain_token(request):
    return Response({})
`;
    const dir = project({ 'app/views.py': views, 'app/urls.py': 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path("pw/", views.change_password), path("token/", views.obtain_token)]\n' });
    const { analyzer } = await run(dir);
    try {
      const changed = analyzer.fixAll(5, (f) => f.code === 'DJ-VIEW-003');
      const text = changed.get(join(dir, 'app/views.py'))!;
      assert.match(text, /@login_required\n@ratelimit\([^)]*\)\n@require_POST\ndef change_password/);
      assert.match(text, /@ratelimit\([^)]*\)\n@api_view\(\["POST"\]\)\ndef obtain_token/);
      assertPython(changed);
    } finally {
      analyzer.dispose();
    }
  });

  test('class-based views get method_decorator; DRF views get a throttle scope and its rate in settings', async () => {
    const views = `from django.contrib.auth.views import LoginView
from rest_framework.views import APIView


class MyLoginView(LoginView):
    template_name = "login.html"


class RegisterAPI(APIView):
    def post(self, request):
        return None
`;
    const dir = project(
      { 'app/views.py': views, 'app/urls.py': 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path("login/", views.MyLoginView.as_view()), path("api/register/", views.RegisterAPI.as_view())]\n' },
      { settings: settings('REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"]}\n', ['rest_framework']) },
    );
    const { analyzer, findings } = await run(dir);
    try {
      assert.equal(only(findings, 'DJ-VIEW-003').length, 2);
      const changed = analyzer.fixAll(5, (f) => f.code === 'DJ-VIEW-003');
      assertPython(changed);
      const text = changed.get(join(dir, 'app/views.py'))!;
      assert.match(text, /@method_decorator\(ratelimit\(key="ip", rate="5\/m", method="POST", block=True\), name="post"\)\nclass MyLoginView/);
      assert.match(text, /from django\.utils\.decorators import method_decorator/);
      assert.match(text, /class RegisterAPI\(APIView\):\n {4}throttle_classes = \[ScopedRateThrottle\]\n {4}throttle_scope = "signup"\n/);
      assert.match(changed.get(join(dir, 'proj/settings.py'))!, /"DEFAULT_THROTTLE_RATES": \{"signup": "5\/min"\}/);
      assert.deepEqual(only(analyzer.analyze().findings, 'DJ-VIEW-003'), []);
    } finally {
      analyzer.dispose();
    }
  });

  test('a DRF view without a REST_FRAMEWORK dict to extend gets the ratelimit form (no scope without a rate)', async () => {
    const views = 'from rest_framework.views import APIView\n\n\nclass LoginAPI(APIView):\n    def post(self, request):\n        return None\n';
    const dir = project({ 'app/views.py': views, 'app/urls.py': 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path("login/", views.LoginAPI.as_view())]\n' }, { settings: settings('', ['rest_framework']) });
    const { analyzer } = await run(dir);
    try {
      const changed = analyzer.fixAll(5, (f) => f.code === 'DJ-VIEW-003');
      assert.ok(!changed.has(join(dir, 'proj/settings.py')));
      assert.match(changed.get(join(dir, 'app/views.py'))!, /@method_decorator\(ratelimit\([^)]*\), name="post"\)\nclass LoginAPI/);
      assertPython(changed);
    } finally {
      analyzer.dispose();
    }
  });

  test('views routed through `from .views import *` are still endpoints', async () => {
    const dir = project({ 'app/views.py': LOGIN_VIEW, 'app/urls.py': 'from django.urls import path\n\nfrom .views import *\n\nurlpatterns = [path("login/", login_view)]\n' });
    const { analyzer, findings } = await run(dir);
    analyzer.dispose();
    assert.equal(only(findings, 'DJ-VIEW-003').length, 1);
  });

  test('no finding when limits exist elsewhere: axes, global DRF throttle, a throttled project base class, urls wrapping, helpers', async () => {
    const cases: { name: string; files: Record<string, string>; settings?: string }[] = [
      { name: 'django-axes installed', files: { 'app/views.py': LOGIN_VIEW, 'app/urls.py': LOGIN_URLS }, settings: settings('', ['axes'], ['axes.middleware.AxesMiddleware']) },
      {
        name: 'ratelimit(...)(view) in urls.py',
        files: { 'app/views.py': LOGIN_VIEW, 'app/urls.py': 'from django.urls import path\nfrom django_ratelimit.decorators import ratelimit\n\nfrom . import views\n\nurlpatterns = [path("login/", ratelimit(key="ip", rate="5/m")(views.login_view))]\n' },
      },
      {
        name: 'global DRF throttling',
        files: { 'app/views.py': 'from rest_framework.views import APIView\n\n\nclass LoginAPI(APIView):\n    def post(self, request):\n        return None\n', 'app/urls.py': 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path("login/", views.LoginAPI.as_view())]\n' },
        settings: settings('REST_FRAMEWORK = {"DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"], "DEFAULT_THROTTLE_RATES": {"anon": "10/min"}}\n', ['rest_framework']),
      },
      {
        name: 'throttle_classes on a project base class in another module',
        files: {
          'app/base.py': 'from rest_framework.throttling import AnonRateThrottle\nfrom rest_framework.views import APIView\n\n\nclass ThrottledAPIView(APIView):\n    throttle_classes = [AnonRateThrottle]\n',
          'app/views.py': 'from .base import ThrottledAPIView\n\n\nclass TokenLogin(ThrottledAPIView):\n    def post(self, request):\n        return None\n',
          'app/urls.py': 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path("token/", views.TokenLogin.as_view())]\n',
        },
      },
      {
        name: 'a login helper that no URL routes to, tests and management commands',
        files: {
          'app/views.py': 'from django.contrib.auth import login\nfrom django.shortcuts import render\n\n\ndef login_user(request, user):\n    login(request, user)\n\n\ndef home(request):\n    return render(request, "home.html")\n',
          'app/urls.py': 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path("", views.home)]\n',
          'app/tests/__init__.py': '',
          'app/tests/test_login.py': LOGIN_VIEW,
          'app/management/__init__.py': '',
          'app/management/commands/__init__.py': '',
          'app/management/commands/signup_report.py': 'def signup(request):\n    return request.POST\n',
        },
      },
      {
        name: 'a GET-only login page',
        files: { 'app/views.py': 'from django.shortcuts import render\nfrom django.views.decorators.http import require_GET\n\n\n@require_GET\ndef login_page(request):\n    return render(request, "login.html")\n', 'app/urls.py': 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path("login/", views.login_page)]\n' },
      },
    ];
    for (const c of cases) {
      const dir = project(c.files, { settings: c.settings });
      const { analyzer, findings } = await run(dir);
      analyzer.dispose();
      assert.deepEqual(only(findings, 'DJ-VIEW-003').map((f) => f.message), [], c.name);
    }
  });
});

describe('DJ-VIEW-003 with a URL configuration that cannot be read completely', () => {
  // `unknown` comes from nowhere the analysis can see: routed views cannot all be known, so an
  // unrouted function is an endpoint unless another function of its module calls it.
  const URLS = 'from django.urls import path\n\nfrom . import views\nfrom .elsewhere import *\n\nurlpatterns = [path("", views.home), path("x/", unknown)]\n';
  const HOME = '\n\ndef home(request):\n    return render(request, "home.html")\n';

  test('a login view called by another function is a helper; the same view not called, or only named, is an endpoint', async () => {
    const cases: { name: string; views: string; expected: number }[] = [
      { name: 'never called', views: LOGIN_VIEW + HOME, expected: 1 },
      { name: 'called once', views: LOGIN_VIEW + HOME + '\n\ndef wrapper(request):\n    return login_view(request)\n', expected: 0 },
      { name: 'called across lines', views: LOGIN_VIEW + HOME + '\n\ndef wrapper(request):\n    return login_view (\n        request,\n    )\n', expected: 0 },
      { name: 'named in a comment and a longer name only', views: LOGIN_VIEW + HOME + '\n\n# login_view handles POST\ndef wrapper(request):\n    return login_view_old(request)\n', expected: 1 },
      { name: 'passed as a value, not called', views: LOGIN_VIEW + HOME + '\n\nHANDLERS = [login_view]\n', expected: 1 },
    ];
    for (const c of cases) {
      const dir = project({ 'app/views.py': c.views, 'app/urls.py': URLS });
      const { analyzer, findings } = await run(dir);
      analyzer.dispose();
      assert.equal(only(findings, 'DJ-VIEW-003').length, c.expected, c.name);
    }
  });
});

describe('DJ-VIEW-001 csrf_exempt forms', () => {
  const URLS = 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path("a/", views.a)]\n';

  test('bare, aliased, dotted and re-exported decorators are found; replacing with csrf_protect keeps the alias import tidy', async () => {
    const variants: Record<string, string> = {
      bare: 'from django.views.decorators.csrf import csrf_exempt\n\n\n@csrf_exempt\ndef a(request):\n    return None\n',
      aliased: 'from django.views.decorators.csrf import csrf_exempt as ce\n\n\n@ce\ndef a(request):\n    return None\n',
      module: 'from django.views.decorators import csrf\n\n\n@csrf.csrf_exempt\ndef a(request):\n    return None\n',
      dotted: 'import django.views.decorators.csrf\n\n\n@django.views.decorators.csrf.csrf_exempt\ndef a(request):\n    return None\n',
      reexport: 'from .decorators import no_csrf\n\n\n@no_csrf\ndef a(request):\n    return None\n',
    };
    for (const [name, views] of Object.entries(variants)) {
      const dir = project({ 'app/views.py': views, 'app/urls.py': URLS, 'app/decorators.py': 'from django.views.decorators.csrf import csrf_exempt as no_csrf\n' });
      const { analyzer, findings } = await run(dir);
      try {
        const hits = only(findings, 'DJ-VIEW-001');
        assert.equal(hits.length, 1, name);
        assert.equal(hits[0]!.severity, 'warning', name);
        const protect = hits[0]!.fixes.find((f) => /csrf_protect/.test(f.title));
        assert.ok(protect, `${name}: csrf_protect action`);
        const changed = applyFix(analyzer, protect);
        assertPython(changed);
        const text = changed.get(join(dir, 'app/views.py'))!;
        assert.doesNotMatch(text, /csrf_exempt|\bce\b|no_csrf/, `${name}:\n${text}`);
        assert.match(text, /csrf_protect/);
        assert.deepEqual(only(analyzer.analyze().findings, 'DJ-VIEW-001'), [], name);
      } finally {
        analyzer.dispose();
      }
    }
  });

  test('an exemption imported under another name, through modules that never say csrf, is found on a routed webhook', async () => {
    const dir = project({
      'app/views.py': 'from .shortcuts import skip_check\nfrom .models import Thing\n\n\n@skip_check\ndef a(request):\n    return Thing\n',
      'app/urls.py': 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path("hooks/payments/", views.a)]\n',
      'app/models.py': 'from django.db import models\n\n\nclass Thing(models.Model):\n    pass\n',
      'app/shortcuts.py': 'from .helpers import *  # re-exported for views\n',
      'app/helpers/__init__.py': 'from app.helpers.deco import (\n    skip_check,\n)\n',
      'app/helpers/deco.py': 'from django.views.decorators.csrf import csrf_exempt as skip_check\n',
    });
    const { analyzer, findings } = await run(dir);
    try {
      const hits = only(findings, 'DJ-VIEW-001');
      assert.equal(hits.length, 1);
      assert.equal(hits[0]!.file, join(dir, 'app/views.py'));
    } finally {
      analyzer.dispose();
    }
  });

  test('class forms: method_decorator on the class and on dispatch, csrf_exempt(View.as_view()) in urls.py', async () => {
    const views = `from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt


@method_decorator(csrf_exempt, name="dispatch")
class A(View):
    def post(self, request):
        return None


class B(View):
    @method_decorator(csrf_exempt)
    def dispatch(self, *args, **kwargs):
        return super().dispatch(*args, **kwargs)


class C(View):
    def post(self, request):
        return None
`;
    const urls = 'from django.urls import path\nfrom django.views.decorators.csrf import csrf_exempt\n\nfrom . import views\n\nurlpatterns = [\n    path("a/", views.A.as_view()),\n    path("b/", views.B.as_view()),\n    path("c/", csrf_exempt(views.C.as_view())),\n]\n';
    const dir = project({ 'app/views.py': views, 'app/urls.py': urls });
    const { analyzer, findings } = await run(dir);
    try {
      const hits = only(findings, 'DJ-VIEW-001');
      assert.deepEqual(hits.map((h) => h.message.split(' ')[0]).sort(), ['`A`', '`B`', '`C`']);
      const changed = analyzer.fixAll(5, (f) => f.code === 'DJ-VIEW-001');
      assertPython(changed);
      assert.match(changed.get(join(dir, 'app/urls.py'))!, /path\("c\/", views\.C\.as_view\(\)\)/);
      assert.doesNotMatch(changed.get(join(dir, 'app/urls.py'))!, /csrf_exempt/, 'the urls import is removed with its only use');
      assert.deepEqual(only(analyzer.analyze().findings, 'DJ-VIEW-001'), []);
    } finally {
      analyzer.dispose();
    }
  });

  test('severity: error with the session, information for signed webhooks and token APIs, hint on DRF views, no fix on webhooks', async () => {
    const views = `import hmac
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework.views import APIView


@csrf_exempt
@login_required
def session_state(request):
    return JsonResponse({})


@csrf_exempt
def stripe_webhook(request):
    if not hmac.compare_digest(request.headers.get("Stripe-Signature", ""), "x"):
        return JsonResponse({}, status=400)
    return JsonResponse({})


@csrf_exempt
def github_callback(request):
    return JsonResponse({})


@csrf_exempt
def api_items(request):
    token = request.headers.get("Authorization")
    return JsonResponse({"token": bool(token)})


@csrf_exempt
def save_json(request):
    return JsonResponse({})


@csrf_exempt
def worker_jobs(request, pk):
    token = request.META.get("HTTP_LAVA_TOKEN")
    if token is None or not constant_time_compare(token, "x"):
        return JsonResponse({}, status=400)
    return JsonResponse({})


@csrf_exempt
def echo_csrf(request):
    return JsonResponse({"csrf": request.META.get("HTTP_X_CSRFTOKEN")})


class Items(APIView):
    pass


items = csrf_exempt(Items.as_view())
`;
    const urls = 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [\n    path("s/", views.session_state),\n    path("hooks/stripe/", views.stripe_webhook),\n    path("gh/", views.github_callback),\n    path("api/items/", views.api_items),\n    path("save/", views.save_json),\n    path("w/<int:pk>/", views.worker_jobs),\n    path("e/", views.echo_csrf),\n]\n';
    const dir = project({ 'app/views.py': views, 'app/urls.py': urls });
    const { analyzer, findings } = await run(dir);
    analyzer.dispose();
    const by = (name: string) => only(findings, 'DJ-VIEW-001').find((f) => f.message.startsWith(`\`${name}\``))!;
    assert.equal(by('session_state').severity, 'error');
    assert.equal(by('stripe_webhook').severity, 'information');
    assert.equal(by('stripe_webhook').fixes.length, 0);
    assert.equal(by('github_callback').severity, 'warning');
    assert.match(by('github_callback').message, /signature/);
    assert.equal(by('github_callback').fixes.length, 0);
    assert.equal(by('api_items').severity, 'information');
    assert.match(by('api_items').message, /token header/);
    assert.equal(by('save_json').severity, 'warning');
    assert.match(by('save_json').related?.[0]?.message ?? '', /X-CSRFToken/, 'JSON views explain the token-header alternative');
    // A project's own token header (LAVA's workers send HTTP_LAVA_TOKEN) is a token API too; the CSRF
    // token header is not one.
    assert.equal(by('worker_jobs').severity, 'information');
    assert.match(by('worker_jobs').message, /token header/);
    assert.equal(by('echo_csrf').severity, 'warning');
    assert.equal(by('Items').severity, 'hint');
    assert.match(by('Items').message, /redundant/);
  });

  test('without CsrfViewMiddleware the preferred fix is csrf_protect', async () => {
    const s = settings().replace('"django.middleware.csrf.CsrfViewMiddleware", ', '');
    const dir = project({ 'app/views.py': 'from django.views.decorators.csrf import csrf_exempt\n\n\n@csrf_exempt\ndef a(request):\n    return None\n', 'app/urls.py': URLS }, { settings: s });
    const { analyzer, findings } = await run(dir);
    try {
      const [f] = only(findings, 'DJ-VIEW-001');
      assert.match(f!.fixes[0]!.title, /csrf_protect/);
      assert.ok(f!.fixes[0]!.safe);
      const changed = analyzer.fixAll(5, (x) => x.code === 'DJ-VIEW-001');
      assert.equal(changed.get(join(dir, 'app/views.py')), 'from django.views.decorators.csrf import csrf_protect\n\n\n@csrf_protect\ndef a(request):\n    return None\n');
    } finally {
      analyzer.dispose();
    }
  });
});

describe('DJ-VIEW-007/008/009 SQL and HTML', () => {
  test('shapes that cannot become parameters are reported without a fix; variables are traced', async () => {
    const views = `from django.db import connection


def search(request):
    table = request.GET["table"]
    q = request.GET["q"]
    sql = f"SELECT * FROM app WHERE name = '{q}'"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        cursor.execute(f"SELECT * FROM app WHERE name LIKE '%{q}%'")
        cursor.execute(sql)
        cursor.execute(f"SELECT * FROM app WHERE id IN ({q}, {q})")
        cursor.execute(f"INSERT INTO app (a, b) VALUES ({q}, '{q}')")
    return None
`;
    const dir = project({ 'app/views.py': views, 'app/urls.py': 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path("s/", views.search)]\n' });
    const { analyzer, findings } = await run(dir);
    try {
      const hits = only(findings, 'DJ-VIEW-007');
      assert.equal(hits.length, 5);
      assert.ok(hits.every((h) => h.severity === 'error'), 'request data makes every one an error');
      const fixable = hits.filter((h) => h.fixes.length > 0).map((h) => h.range.start.line);
      assert.deepEqual(fixable, [11, 12]);
      assert.ok(hits.find((h) => h.range.start.line === 10)!.related?.[0]?.message.includes('formatted here'));
      const changed = analyzer.fixAll(5, (f) => f.code === 'DJ-VIEW-007');
      const text = changed.get(join(dir, 'app/views.py'))!;
      assert.match(text, /cursor\.execute\("SELECT \* FROM app WHERE id IN \(%s, %s\)", \[q, q\]\)/);
      assert.match(text, /cursor\.execute\("INSERT INTO app \(a, b\) VALUES \(%s, %s\)", \[q, q\]\)/);
      assertPython(changed);
    } finally {
      analyzer.dispose();
    }
  });

  test('literal % signs are doubled and quotes around a value are dropped', async () => {
    const views = 'def f(cursor, x):\n    cursor.execute(f"SELECT * FROM t WHERE a = \'{x}\' AND b LIKE \'10%\'")\n';
    const dir = project({ 'app/db.py': views, 'app/urls.py': 'urlpatterns = []\n' });
    const { analyzer } = await run(dir);
    try {
      const changed = analyzer.fixAll(5, (f) => f.code === 'DJ-VIEW-007');
      assert.equal(changed.get(join(dir, 'app/db.py')), 'def f(cursor, x):\n    cursor.execute("SELECT * FROM t WHERE a = %s AND b LIKE \'10%%\'", [x])\n');
    } finally {
      analyzer.dispose();
    }
  });

  test('HTML built in a loop and marked safe is traced; request data is an error', async () => {
    const tags = `from django.utils.html import format_html
from django.utils.safestring import mark_safe


def items_list(items):
    html = "<ul>"
    for item in items:
        html += f"<li>{item.name}</li>"
    return mark_safe(html + "</ul>")


def echo(request):
    return mark_safe(request.GET["q"])


def escaped_list(items):
    html = ""
    for item in items:
        html += format_html("<li>{}</li>", item.name)
    return mark_safe(html + "<hr>")
`;
    const dir = project({ 'app/tags.py': tags, 'app/urls.py': 'urlpatterns = []\n' });
    const { analyzer, findings } = await run(dir);
    analyzer.dispose();
    const hits = only(findings, 'DJ-VIEW-009');
    assert.equal(hits.length, 2, hits.map((h) => h.message).join('\n'));
    assert.equal(hits[1]!.severity, 'error');
    assert.equal(hits[0]!.fixes.length, 0, 'no automatic rewrite for HTML built in several steps');
  });
});

describe('URL rules', () => {
  test('health check: views.py next to the root urls gets the view and `from . import views`', async () => {
    const dir = project({
      'proj/urls.py': 'from django.contrib import admin\nfrom django.urls import path\n\nurlpatterns = [\n    path("admin/", admin.site.urls),\n]\n',
      'proj/views.py': 'from django.shortcuts import render\n\n\ndef home(request):\n    return render(request, "home.html")\n',
    });
    const { analyzer, findings } = await run(dir);
    try {
      const [f] = only(findings, 'DJ-URL-001');
      assert.ok(f);
      const changed = applyFix(analyzer, f.fixes[0]!);
      assertPython(changed);
      const views = changed.get(join(dir, 'proj/views.py'))!;
      assert.match(views, /from django\.db import connection/);
      assert.match(views, /\n\n\n@require_GET\ndef health_check\(request\):\n {4}try:\n {8}connection\.ensure_connection\(\)/);
      const urls = changed.get(join(dir, 'proj/urls.py'))!;
      assert.match(urls, /^from \. import views$/m);
      assert.match(urls, / {4}path\("health\/", views\.health_check, name="health_check"\),\n\]/);
      assert.deepEqual(only(analyzer.analyze().findings, 'DJ-URL-001'), []);
    } finally {
      analyzer.dispose();
    }
  });

  test('health check anywhere counts: an included module, an unreachable urls.py, an installed package', async () => {
    const base = { 'proj/urls.py': 'from django.urls import include, path\n\nurlpatterns = [path("", include("app.urls"))]\n' };
    const variants: Record<string, { files: Record<string, string>; settings?: string }> = {
      included: { files: { ...base, 'app/urls.py': 'from django.urls import path\nfrom django.http import HttpResponse\n\nurlpatterns = [path("api/v1/ping/", lambda r: HttpResponse("pong"))]\n' } },
      package: { files: { ...base, 'app/urls.py': 'urlpatterns = []\n' }, settings: settings('', ['health_check', 'health_check.db']) },
      includeHealthCheck: { files: { ...base, 'app/urls.py': 'from django.urls import include, path\n\nurlpatterns = [path("ht/", include("health_check.urls"))]\n' } },
    };
    for (const [name, v] of Object.entries(variants)) {
      const dir = project(v.files, { settings: v.settings });
      const { analyzer, findings } = await run(dir);
      analyzer.dispose();
      assert.deepEqual(only(findings, 'DJ-URL-001').map((f) => f.message), [], name);
    }
  });

  test('an unrouted ping view is pointed at; the fix without a sibling views.py defines the view in urls.py', async () => {
    const dir = project({
      'proj/urls.py': 'from django.urls import include, path\n\nurlpatterns = [\n    path("", include("app.urls")),\n]\n',
      'app/views.py': 'from django.http import HttpResponse\n\n\ndef ping(request):\n    return HttpResponse("ok")\n',
      'app/urls.py': 'urlpatterns = []\n',
    });
    const { analyzer, findings } = await run(dir);
    try {
      const [f] = only(findings, 'DJ-URL-001');
      assert.match(f!.related?.[0]?.message ?? '', /ping\(\) looks like a probe/);
      assert.equal(f!.fixes.length, 2);
      const changed = applyFix(analyzer, f!.fixes[0]!);
      assertPython(changed);
      const urls = changed.get(join(dir, 'proj/urls.py'))!;
      assert.match(urls, /\n\n\n@require_GET\ndef health_check\(request\):[\s\S]*\n\n\nurlpatterns = \[/);
      assert.match(urls, /path\("health\/", health_check, name="health_check"\),/);
      assert.equal([...changed.keys()].length, 1);
    } finally {
      analyzer.dispose();
    }
    // The second action puts the view into the app's views module instead.
    const dir2 = project({
      'proj/urls.py': 'from django.urls import include, path\n\nurlpatterns = [\n    path("", include("app.urls")),\n]\n',
      'app/views.py': 'from django.http import HttpResponse\n\n\ndef ping(request):\n    return HttpResponse("ok")\n',
      'app/urls.py': 'urlpatterns = []\n',
    });
    const second = await run(dir2);
    try {
      const [f] = only(second.findings, 'DJ-URL-001');
      const changed = applyFix(second.analyzer, f!.fixes[1]!);
      assertPython(changed);
      assert.match(changed.get(join(dir2, 'app/views.py'))!, /def health_check\(request\):/);
      assert.match(changed.get(join(dir2, 'proj/urls.py'))!, /^from app\.views import health_check$/m);
      assert.deepEqual(only(second.analyzer.analyze().findings, 'DJ-URL-001'), []);
    } finally {
      second.analyzer.dispose();
    }
  });

  test('DJ-URL-001: the second action picks the first app views module in code-unit order, on every machine', async () => {
    // ICU collation puts alpha_app before Beta; code units put Beta first (uppercase sorts first).
    const view = 'from django.http import HttpResponse\n\n\ndef index(request):\n    return HttpResponse("ok")\n';
    const dir = project({
      'proj/urls.py': 'from django.urls import include, path\n\nurlpatterns = [\n    path("", include("alpha_app.urls")),\n]\n',
      'alpha_app/__init__.py': '',
      'alpha_app/views.py': view,
      'alpha_app/urls.py': 'urlpatterns = []\n',
      'Beta/__init__.py': '',
      'Beta/views.py': view,
    });
    const { analyzer, findings } = await run(dir);
    try {
      const [f] = only(findings, 'DJ-URL-001');
      assert.equal(f!.fixes.length, 2);
      assert.match(f!.fixes[1]!.title, /to Beta\/views\.py /);
    } finally {
      analyzer.dispose();
    }
  });

  test('library auth URLs: LoginView wrapped in ratelimit; include("django.contrib.auth.urls") reported unless axes', async () => {
    const urls = 'from django.contrib.auth.views import LoginView\nfrom django.urls import include, path\n\nurlpatterns = [\n    path("login/", LoginView.as_view()),\n    path("accounts/", include("django.contrib.auth.urls")),\n    path("healthz/", include("app.health")),\n]\n';
    let dir = project({ 'proj/urls.py': urls });
    let { analyzer, findings } = await run(dir);
    try {
      const hits = only(findings, 'DJ-URL-004');
      assert.equal(hits.length, 2);
      const include = hits.find((h) => /include/.test(h.message))!;
      assert.equal(include.fixes.length, 0);
      const login = hits.find((h) => /LoginView/.test(h.message))!;
      const changed = applyFix(analyzer, login.fixes[0]!);
      assertPython(changed);
      assert.match(changed.get(join(dir, 'proj/urls.py'))!, /path\("login\/", ratelimit\(key="ip", rate="5\/m", method="POST", block=True\)\(LoginView\.as_view\(\)\)\)/);
      assert.match(changed.get(join(dir, 'requirements.txt'))!, /django-ratelimit==4\.1\.0/);
    } finally {
      analyzer.dispose();
    }
    dir = project({ 'proj/urls.py': urls }, { settings: settings('', ['axes']) });
    ({ analyzer, findings } = await run(dir));
    analyzer.dispose();
    assert.deepEqual(only(findings, 'DJ-URL-004'), []);
  });

  test('static()/serve outside DEBUG: hint with a safe fix for static(), warning with an explicit fix for serve', async () => {
    const urls = `from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path, re_path
from django.views.static import serve

urlpatterns = [
    path("healthz/", include("app.health")),
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
]
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
`;
    const dir = project({ 'proj/urls.py': urls });
    const { analyzer, findings } = await run(dir);
    try {
      const hits = only(findings, 'DJ-URL-006');
      assert.deepEqual(hits.map((h) => h.severity).sort(), ['hint', 'warning']);
      const serve = hits.find((h) => h.severity === 'warning')!;
      assert.equal(serve.fixes[0]!.safe, false, 'moving serve under DEBUG changes production behaviour');
      applyFix(analyzer, hits.find((h) => h.severity === 'hint')!.fixes[0]!);
      const again = only(analyzer.analyze().findings, 'DJ-URL-006');
      assert.equal(again.length, 1);
      const changed = applyFix(analyzer, again[0]!.fixes[0]!);
      assertPython(changed);
      const text = changed.get(join(dir, 'proj/urls.py'))!;
      assert.match(text, /if settings\.DEBUG:\n {4}urlpatterns \+= static\(/);
      assert.match(text, /if settings\.DEBUG:\n {4}urlpatterns \+= \[re_path\(r"\^media/);
      assert.deepEqual(only(analyzer.analyze().findings, 'DJ-URL-006'), []);
    } finally {
      analyzer.dispose();
    }
  });
});

test('the example project: login without rate limit, unsigned CSRF-exempt webhook, no health check, default admin URL', async () => {
  const { analyzer, findings } = await analyzeDir(join(REPO_ROOT, 'example'));
  analyzer.dispose();
  const got = findings.filter((f) => /^DJ-(VIEW|URL)-/.test(f.code)).map((f) => `${f.code} ${f.file.split('/').slice(-2).join('/')}:${f.range.start.line + 1}`);
  assert.deepEqual(got.sort(), ['DJ-URL-001 shop/urls.py:4', 'DJ-URL-003 shop/urls.py:5', 'DJ-VIEW-001 accounts/views.py:20', 'DJ-VIEW-003 accounts/views.py:10'].sort());
});

describe('import reachability on text (csrf re-export pre-check)', () => {
  test('textImports lists modules and possible submodules, relative, parenthesised and continued', () => {
    const text = [
      'import os, a.b.c as abc',
      'from . import views, urls as u',
      'from ..pkg.mod import (',
      '    one,  # comment',
      '    two as deux,',
      ')',
      'from x import y, \\',
      '    z',
      'def f():',
      '    from lazy import thing',
      'x = 1; import late',
    ].join('\n');
    assert.deepEqual(textImports(text).sort(), ['.', '.urls', '.views', '..pkg.mod', '..pkg.mod.one', '..pkg.mod.two', 'a', 'a.b', 'a.b.c', 'lazy', 'lazy.thing', 'late', 'os', 'x', 'x.y', 'x.z'].sort());
  });

  test('textImports, which tries only lines that say import, finds what scanning the whole text finds', () => {
    // The statements as whole-text scans find them (the patterns textImports uses, unanchored).
    const scanned = (text: string) => [
      ...[...text.matchAll(/(?:^|;)[ \t]*from(?:[ \t]+|(?=\.))(\.*[\w.]*)[ \t]+import[ \t]*(\([^)]*\)|(?:[^\n;#\\]|\\\r?\n|\\)*)/gm)].map((m) => `${m.index}:${m[0]}`),
      ...[...text.matchAll(/(?:^|;)[ \t]*import[ \t]+((?:[^\n;#\\]|\\\r?\n|\\)*)/gm)].map((m) => `${m.index}:${m[0]}`),
    ];
    const tricky = ['import a;import b', 'x=1; from . import y\rimport z\u2028import w', 'from a import (b,\n c)  # x\nimport d \\\n  , e', ';import x', 'importx\nimport', 'from .a import b; from .c import d;import e', '"import x"\n  import  y.z as q, r', 'x = "from a import b"', 'import', 'from\timport x', 'a; b; import c; from d import e'];
    const texts = [...tricky, ...pythonFixtures().map((f) => readFileSync(f, 'utf8'))];
    for (const text of texts) {
      // Every statement a whole-text scan finds contributes its names: compare with the names of those statements alone.
      const expected = new Set(scanned(text).flatMap((s) => textImports(s.slice(s.indexOf(':') + 1).replace(/^;/, ''))));
      assert.deepEqual(new Set(textImports(text)), expected, JSON.stringify(text.slice(0, 80)));
    }
  });

  test('mentionedOnImportLines reads the logical lines that say import, continued either way', () => {
    const yes = (text: string) => mentionedOnImportLines(text, /\bredis\b/);
    assert.equal(yes('import os, redis'), true);
    assert.equal(yes('x = 1\nimport os, \\\n    redis\n'), true, 'continued after import');
    assert.equal(yes('x = 1\r\nimport os, \\\r\n    redis\r\n'), true, 'continued, CRLF');
    assert.equal(yes('from \\\nredis \\\n import StrictRedis'), true, 'continued before import');
    assert.equal(yes('from redis.client import (\n    Redis,\n)'), true);
    assert.equal(yes('def f():\n    x = 1; import redis as r'), true);
    assert.equal(yes('CACHE = "redis://"\nimport os\n'), false, 'a mention on a line that imports nothing');
    assert.equal(yes('import os\nx = \\\n  redis\n'), false, 'a continued line after the import ended');
    assert.equal(yes('import os\\\n'), false, 'a backslash on the last line');
    assert.equal(yes('import'), false);
  });

  test('mentionedOnImportLines finds every module a parse finds imported, on every fixture', async () => {
    const fs = new DiskFileSystem();
    const sources = new PythonSources(fs, await ParserPool.create(['python']));
    let imports = 0;
    for (const file of pythonFixtures()) {
      const text = readFileSync(file, 'utf8');
      for (const use of importsOf(sources, file)) {
        imports++;
        const word = new RegExp(`\\b${use.module}\\b`);
        assert.ok(mentionedOnImportLines(text, word), `${file}: ${use.module}`);
      }
    }
    assert.ok(imports > 500, `imports seen: ${imports}`);
  });

  test('mayReach follows text imports without parsing and says no only when nothing reachable mentions the pattern', async () => {
    const dir = project({
      'app/views.py': 'from .models import Thing\n',
      'app/models.py': 'from django.db import models\nfrom app import helpers\n',
      'app/helpers.py': 'from .deep import *\n',
      'app/deep.py': 'VALUE = 1\n',
      'app/other.py': 'from .secret import ok\n',
      'app/secret.py': 'from django.views.decorators.csrf import csrf_exempt as ok\n',
    });
    const { analyzer } = await run(dir);
    try {
      const sources = analyzer.sources;
      const resolver = new ModuleResolver(sources, analyzer.projects()[0]!.importRoots);
      const read: string[] = [];
      let record = {};
      const facts: TextFacts = {
        mentions: (file, re) => (read.push(file), re.test(sources.fs.readFile(file) ?? '')),
        importedNames: (file) => textImports(sources.fs.readFile(file) ?? '').join('\n'),
        bindings: (file) => textBindings(sources.fs.readFile(file) ?? ''),
        aliases: (file, name) => assignedAliases(sources.fs.readFile(file) ?? '', name),
        recordedIn: () => record,
      };
      const views = join(dir, 'app/views.py');
      const walked = ['app/__init__.py', 'app/deep.py', 'app/helpers.py', 'app/models.py'];
      assert.equal(resolver.mayReach('app.models.Thing', views, /csrf/, facts), false);
      assert.deepEqual(read.map((f) => f.slice(dir.length + 1)).sort(), walked);
      read.length = 0;
      assert.equal(resolver.mayReach('app.helpers.VALUE', views, /csrf/, facts), false, 'answered from what the first walk learnt');
      assert.equal(read.length, 0, 'the facts are already in this record');
      // Another record (a kept part computed later) gets the facts the answer rests on, once.
      record = {};
      assert.equal(resolver.mayReach('app.helpers.VALUE', views, /csrf/, facts), false);
      assert.equal(resolver.mayReach('app.deep.VALUE', views, /csrf/, facts), false);
      assert.deepEqual(read.map((f) => f.slice(dir.length + 1)).sort(), walked);
      read.length = 0;
      assert.equal(resolver.mayReach('app.other.ok', views, /csrf/, facts), true);
      assert.deepEqual(read.map((f) => f.slice(dir.length + 1)).sort(), ['app/other.py', 'app/secret.py']);
      // A yes is kept: the caller resolves the name for real, and that records what it reads.
      read.length = 0;
      assert.equal(resolver.mayReach('app.other.ok', views, /csrf/, facts), true);
      assert.equal(read.length, 0, 'answered from the first walk');
      assert.equal(resolver.resolve('app.other.ok', views).qualified, 'django.views.decorators.csrf.csrf_exempt');
      assert.equal(resolver.mayReach('somelib.csrf_thing', views, /csrf/, facts), true, 'the name itself mentions it');
      assert.equal(resolver.mayReach('somelib.thing', views, /csrf/, facts), false, 'libraries are not followed');
    } finally {
      analyzer.dispose();
    }
  });

  test('mayResolveTo follows a name through the modules that bind it and says yes wherever resolving it can end in csrf_exempt', async () => {
    const CSRF = 'django.views.decorators.csrf.csrf_exempt';
    // Ways a project passes csrf_exempt (or something else) along under other names.
    const files: Record<string, string> = {
      'app/views.py': [
        'from app import helpers, deep',
        'from app.helpers import ok, renamed as again, fine',
        'from app.starred import ok as starred_ok',
        'from .aliased import exempt, not_exempt',
        'from .oneline import exempt as oneline_exempt',
        'from .annotated import exempt as annotated_exempt',
        'from .chained import exempt as chained_exempt',
        'from .continued import exempt as continued_exempt',
        'from .spaced import exempt as spaced_exempt',
        'from .called import exempt as called_exempt',
        'from .cycle_a import thing',
        'from .pkg import sub_exempt, SubThing',
        'from .pkg.sub import Thing',
        'import app.plainmod',
        'import app.plainmod as plain',
        'from .docstring import shadow',
        'from app.deep import VALUE',
        'from app.funcs import shadowed',
        'from django.utils.translation import gettext_lazy as _',
        'from django.views.decorators.csrf import csrf_exempt as direct',
        '',
      ].join('\n'),
      'app/helpers.py': 'from .secret import ok\nfrom .secret import ok as renamed\nfrom .deep import *\n\n\ndef fine():\n    pass\n',
      'app/secret.py': 'from django.views.decorators.csrf import csrf_exempt as ok\n',
      'app/deep.py': 'VALUE = 1\n',
      'app/starred.py': 'from .secret import *\n',
      'app/aliased.py': 'from app import secret as s\nexempt = s.ok\nnot_exempt = 1\n',
      'app/oneline.py': 'from app import secret\nif True: exempt = secret.ok\n',
      'app/annotated.py': 'from app import secret\nexempt: object = secret.ok\n',
      'app/chained.py': 'from app import secret\n_inner = secret.ok\nexempt = _inner\n',
      'app/continued.py': 'from app import secret\nexempt = \\\n    secret.ok\n',
      'app/spaced.py': 'from app import secret\nexempt = secret . ok\n',
      'app/called.py': 'from app import secret\nexempt = secret.make(secret.ok)\n',
      'app/cycle_a.py': 'from .cycle_b import thing\n',
      'app/cycle_b.py': 'from .cycle_a import thing\n',
      'app/pkg/__init__.py': 'from .sub import Thing as SubThing\nfrom .sub import exempt as sub_exempt\n',
      'app/pkg/sub.py': 'from app.secret import ok as exempt\n\n\nclass Thing:\n    pass\n',
      'app/plainmod.py': 'from app.secret import ok\n',
      'app/docstring.py': '"""\ndef shadow(): pass\n"""\nfrom app.secret import ok as shadow\n',
      'app/funcs.py': 'from app.secret import ok\n\n\ndef f():\n    shadowed = ok\n    return shadowed\n\n\ndef shadowed():\n    pass\n',
    };
    const dir = project(files);
    const { analyzer } = await run(dir);
    try {
      const sources = analyzer.sources;
      const resolver = new ModuleResolver(sources, analyzer.projects()[0]!.importRoots);
      const read = new Set<string>();
      const facts: TextFacts = {
        mentions: (file, re) => (read.add(file), re.test(sources.fs.readFile(file) ?? '')),
        importedNames: (file) => (read.add(file), textImports(sources.fs.readFile(file) ?? '').join('\n')),
        bindings: (file) => (read.add(file), textBindings(sources.fs.readFile(file) ?? '')),
        aliases: (file, name) => (read.add(file), assignedAliases(sources.fs.readFile(file) ?? '', name)),
      };
      const views = join(dir, 'app/views.py');
      const mod = resolver.module(views)!;
      const answers = new Map<string, boolean>();
      const exempt: string[] = [];
      for (const b of mod.imports.values()) {
        const may = resolver.mayResolveTo(b.qualified, views, /csrf|Csrf/, facts);
        answers.set(b.local, may);
        if (resolver.resolve(b.qualified, views).qualified === CSRF) {
          exempt.push(b.local);
          assert.equal(may, true, `${b.local} resolves to csrf_exempt`);
        }
      }
      assert.deepEqual(exempt.sort(), ['again', 'annotated_exempt', 'chained_exempt', 'continued_exempt', 'direct', 'exempt', 'ok', 'oneline_exempt', 'shadow', 'spaced_exempt', 'starred_ok', 'sub_exempt'].sort(), [...answers].join(' '));
      // Modules, classes, constants and values of calls found without looking further than the module defining them.
      for (const local of ['helpers', 'deep', 'app', 'plain', 'Thing', 'SubThing', 'VALUE', 'fine', 'thing', '_', 'not_exempt', 'called_exempt']) assert.equal(answers.get(local), false, local);
      read.clear();
      assert.equal(resolver.mayResolveTo('app.helpers', views, /csrf/, facts), false);
      assert.equal(read.size, 0, 'a module is never the name: nothing read');
      assert.equal(resolver.mayResolveTo('app.pkg.sub.Thing', views, /csrf/, facts), false);
      assert.deepEqual([...read].map((f) => f.slice(dir.length + 1)), ['app/pkg/sub.py']);
      // Nobody records these facts (as in a one-shot analysis): asked again, the answer is the one
      // given before, nothing read again.
      read.clear();
      assert.equal(resolver.mayResolveTo('app.pkg.sub.Thing', views, /csrf/, facts), false);
      assert.equal(read.size, 0);
      // Facts that are recorded are asked again every time, and the answers are the same.
      const record = {};
      const recorded: TextFacts = { ...facts, recordedIn: () => record };
      for (let i = 0; i < 2; i++) {
        read.clear();
        assert.equal(resolver.mayResolveTo('app.pkg.sub.Thing', views, /csrf/, recorded), false);
        assert.deepEqual([...read].map((f) => f.slice(dir.length + 1)), ['app/pkg/sub.py']);
      }
      for (const b of mod.imports.values()) assert.equal(resolver.mayResolveTo(b.qualified, views, /csrf|Csrf/, recorded), answers.get(b.local), b.local);
    } finally {
      analyzer.dispose();
    }
  });

  /** Every Python module of every fixture project, with a resolver of its project. */
  async function forEachFixtureModule(visit: (resolver: ModuleResolver, mod: PyModule) => void): Promise<void> {
    const roots = new Set(pythonFixtures().map((f) => f.split('/fixtures/')[1]!.split('/').slice(0, 3).join('/')));
    for (const root of roots) {
      const { analyzer } = await analyzeDir(join(REPO_ROOT, 'test/fixtures', root));
      try {
        const project = analyzer.projects()[0];
        if (!project) continue;
        const resolver = new ModuleResolver(analyzer.sources, project.importRoots);
        for (const file of analyzer.workspaceFiles().filter((f) => f.endsWith('.py'))) {
          const mod = resolver.module(file);
          if (mod) visit(resolver, mod);
        }
      } finally {
        analyzer.dispose();
      }
    }
  }

  test('mayResolveTo says yes for every import a fixture module resolves to csrf_exempt', async () => {
    const CSRF = 'django.views.decorators.csrf.csrf_exempt';
    let bindings = 0;
    let exempt = 0;
    await forEachFixtureModule((resolver, mod) => {
      for (const b of mod.imports.values()) {
        bindings++;
        if (resolver.resolve(b.qualified, mod.path).qualified !== CSRF) continue;
        exempt++;
        assert.equal(resolver.mayResolveTo(b.qualified, mod.path, /csrf|Csrf/), true, `${mod.path}: ${b.local}`);
      }
    });
    assert.ok(bindings > 1000 && exempt >= 5, `${bindings} bindings, ${exempt} resolving to csrf_exempt`);
  });

  test('mayResolveTo says yes for every call of a fixture module whose function resolves to an HTML-building API', async () => {
    const HTML = /mark_safe|SafeString|SafeText|format_html/;
    let calls = 0;
    let html = 0;
    await forEachFixtureModule((resolver, mod) => {
      for (const call of mod.root.descendantsOfType('call')) {
        const fn = call.childForFieldName('function');
        const written: string | undefined = fn && (fn.type === 'identifier' || fn.type === 'attribute') ? mod.qualify(fn) : undefined;
        if (!written) continue;
        calls++;
        if (!HTML.test(resolver.canonical(mod, fn) ?? '')) continue;
        html++;
        assert.equal(resolver.mayResolveTo(written, mod.path, HTML), true, `${mod.path}: ${fn!.text}`);
      }
    });
    assert.ok(calls > 1000 && html >= 5, `${calls} calls, ${html} resolving to an HTML API`);
  });

  /** references() as a walk over every identifier of the module (what it did before looking at the text first). */
  function referencesByWalk(mod: PyModule, local: string): number[] {
    const out: number[] = [];
    for (const n of mod.root.descendantsOfType('identifier')) {
      if (n.text !== local) continue;
      const p = n.parent;
      if (!p) continue;
      if (p.type === 'attribute' && p.childForFieldName('attribute')?.startIndex === n.startIndex) continue;
      if (p.type === 'keyword_argument' && p.childForFieldName('name')?.startIndex === n.startIndex) continue;
      if ((p.type === 'function_definition' || p.type === 'class_definition') && p.childForFieldName('name')?.startIndex === n.startIndex) continue;
      let q: SyntaxNode | null = p;
      let inImport = false;
      while (q && q.type !== 'module') {
        if (q.type === 'import_statement' || q.type === 'import_from_statement') {
          inImport = true;
          break;
        }
        if (q.type.endsWith('statement') || q.type === 'block') break;
        q = q.parent;
      }
      if (!inImport) out.push(n.startIndex);
    }
    return out;
  }

  test('references finds the same identifiers as a walk over every identifier, on every fixture module and on tricky text', async () => {
    let names = 0;
    let found = 0;
    await forEachFixtureModule((_resolver, mod) => {
      const seen = new Set<string>();
      for (const id of mod.root.descendantsOfType('identifier')) {
        if (seen.has(id.text)) continue;
        seen.add(id.text);
        names++;
        const expected = referencesByWalk(mod, id.text);
        found += expected.length;
        assert.deepEqual(mod.references(id.text).map((n) => n.startIndex), expected, `${mod.path}: ${id.text}`);
      }
    });
    assert.ok(names > 2000 && found > 2000, `${names} names, ${found} references`);
    const tricky = [
      'from a import ms, other as ms2',
      'import ms',
      '# ms in a comment, ms(x)',
      's = "ms(x) in a string" + f"{ms(1)} {x.ms} {ms}"',
      'y = x.ms + ms_long + long_ms + ms2 + ms',
      'f(ms=ms, *ms, **{ms: 1})',
      'def ms(ms=ms):\n    return ms',
      'class ms(ms):\n    ms = ms',
      'éms = ms; msé = ms; ms_é = 1',
      'lambda ms: ms(ms)',
      '@ms\ndef g(): pass',
      'if ms:\n    from b import ms\n    ms.x(ms)',
      'x = [ms for ms in ms if ms]',
      'x = ms \\\n    + ms',
    ].join('\n') + '\n';
    const dir = writeProject({ 'app/__init__.py': '', 'app/mod.py': tricky });
    const sources = new PythonSources(new DiskFileSystem(), await ParserPool.create(['python']));
    const resolver = new ModuleResolver(sources, [dir]);
    const mod = resolver.module(join(dir, 'app/mod.py'))!;
    for (const name of ['ms', 'ms2', 'x', 'éms', 'other', 'a', 'b', 'long_ms', 'g']) {
      assert.deepEqual(mod.references(name).map((n) => n.startIndex), referencesByWalk(mod, name), name);
    }
    assert.ok(referencesByWalk(mod, 'ms').length > 20);
  });

  test('wordOccurrences never counts fewer than the identifiers of a fixture module', async () => {
    let names = 0;
    let modules = 0;
    await forEachFixtureModule((_resolver, mod) => {
      modules++;
      const counted = new Map<string, number>();
      for (const id of mod.root.descendantsOfType('identifier')) counted.set(id.text, (counted.get(id.text) ?? 0) + 1);
      for (const [name, n] of counted) {
        names++;
        assert.ok(wordOccurrences(mod.text, name, Infinity) >= n, `${mod.path}: ${name} is an identifier ${n} times`);
        assert.equal(wordOccurrences(mod.text, name, 1), 1, 'stops at enough');
      }
    });
    assert.ok(modules > 50 && names > 2000, `${modules} modules, ${names} names`);
    // Boundaries: ASCII word characters join, anything else separates (é counts as a boundary).
    assert.equal(wordOccurrences('def login(r):\n    return login(r)', 'login', 9), 2);
    assert.equal(wordOccurrences('def login(r):\n    return login_user(r) or my_login(r) or login2()', 'login', 9), 1);
    assert.equal(wordOccurrences('éloginé(x)\nlogin', 'login', 9), 2);
    assert.equal(wordOccurrences('login', 'login', 9), 1);
    assert.equal(wordOccurrences('abc', '', 3), 3);
  });

  test('mayAssign finds every name an assignment pattern finds, on every fixture', () => {
    // The same question as a pattern over the whole text (what mayAssign answers with indexOf).
    const assigned = (text: string) => new Set([...text.matchAll(/(?:^|[;:\u2028\u2029\r])[ \t]*([\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*)[ \t]*(?::[^\n]*)?=(?!=)/gmu)].map((m) => m[1]!));
    const tricky = ['x = 1', 'x == 1', 'x: int = 1', 'x: int', 'if a: x = 2', 'a = 1; x = 2', '  x\t=\t3', 'xx = 1', 'x_y = 1', 'f(x=1)', 'f(\n    x=1,\n)', 'é = 1', 'x: a == b', 'x += 1', 'y = x = 1', 'x\r= 1', 'def x(): pass'];
    let checked = 0;
    let negatives = 0;
    let extra = 0;
    for (const text of [...tricky, ...pythonFixtures().map((f) => readFileSync(f, 'utf8'))]) {
      const expected = assigned(text);
      const words = new Set(text.match(/[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*/gu) ?? []);
      for (const word of words) {
        checked++;
        const said = mayAssign(text, word);
        // Never fewer than the pattern; more only where a match of it hides another (`x: int = 1` also says int).
        if (expected.has(word)) assert.equal(said, true, `${word} in ${JSON.stringify(text.slice(0, 60))}`);
        else if (said) extra++;
        else negatives++;
      }
    }
    assert.ok(checked > 10_000 && negatives > checked / 2 && extra < checked / 100, `${checked} words, ${negatives} not assigned, ${extra} more than the pattern`);
    // What an assignment may make a name an alias of, as resolve follows a dotted value.
    const cases: [string, string][] = [['x = a.b', 'a.b'], ['x = a.b  # c', 'a.b'], ['x: T = a.b', 'a.b'], ['if y: x = a', 'a'], ['x = a . b', 'a.b'], ['x = a.b; y = 2', 'a.b'],
      ['x = f(a)', ''], ['x = (a.b)', ''], ['x = "a.b"', ''], ['x = a if b else c', ''], ['y = x = a.b', ''], ['f(\n  x=a.b,\n)', ''], ['x == a', ''],
      ['x = \\\n  a.b', '?'], ['x =', '?'], ['x = 1\nx = helpers.ok\r\n', 'helpers.ok'], ['é = a.é', 'a.é']];
    for (const [text, expected] of cases) assert.equal(assignedAliases(text, text.startsWith('é') ? 'é' : 'x'), expected, text);
    assert.equal(mayAssign('x = 1', 'x'), true);
    assert.equal(mayAssign('if a: x = 2', 'x'), true);
    assert.equal(mayAssign('x == 1', 'x'), false);
    assert.equal(mayAssign('xx = 1', 'x'), false);
  });
});

test('view names of interest are whole words of a definition that is a view', () => {
  for (const text of ['def login(request):', 'class PasswordResetView(View):', 'class TwoFactorSetup(FormView):', 'async def readiness(request):', 'from x import require_GET\n\n@require_GET\ndef health_status(r):', 'def sign_up(\n    request,\n):']) {
    assert.equal(namesAViewOfInterest(text), true, text);
  }
  for (const text of ['def mapping_list(request):', 'def deliver(request):', 'def register(view):', 'def status(self):', 'class Mapping(Base):', 'def unregister(request):', 'STATUS = 1']) {
    assert.equal(namesAViewOfInterest(text), false, text);
  }
});

test('dottedNameOfText reads what dottedName reads from every call function of every fixture, or says it cannot tell', async () => {
  const parser = await createParser('python');
  let same = 0;
  let none = 0;
  for (const file of pythonFixtures()) {
    const text = readFileSync(file, 'utf8');
    const tree = parser.parse(text)!;
    const holder = new SyntaxTree(text);
    holder.rootNode = copyTree(tree, text, holder, 0, 0, (s: string) => parser.parse(s) ?? undefined);
    tree.delete();
    for (const call of holder.rootNode.descendantsOfType('call')) {
      const fn = call.childForFieldName('function')!;
      const read = dottedNameOfText(fn.text);
      if (read === null) continue;
      if (fn.type === 'identifier' || fn.type === 'attribute') {
        assert.equal(read, dottedName(fn), `${file}: ${fn.text}`);
        if (read !== undefined) same++;
      } else if (read === undefined) none++;
    }
  }
  assert.ok(same > 1000 && none >= 1, `${same} names, ${none} without one`);
  const cases: [string, string | undefined | null][] = [
    ['csrf_exempt', 'csrf_exempt'],
    ['a . b .c', 'a.b.c'],
    ['a.\n    b', 'a.b'],
    ['a.  # note\n    b', null],
    ['a.\\\n    b', null],
    ['f().b', undefined],
    ['x[0].y', undefined],
    ['"a".join', undefined],
    ['é.ß', 'é.ß'],
  ];
  for (const [text, want] of cases) assert.equal(dottedNameOfText(text), want, text);
  parser.delete();
});

test('application code is told from tests, migrations, commands, settings and tooling by path', async () => {
  const dir = writeProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
    'proj/__init__.py': '',
    'proj/settings.py': 'SECRET_KEY = "x"\nDEBUG = False\nROOT_URLCONF = "proj.urls"\n',
    'proj/urls.py': 'urlpatterns = []\n',
  });
  const { analyzer } = await analyzeDir(dir, { settingsOverride: 'proj/settings.py' });
  try {
    const project = analyzer.projects()[0]!;
    const at = (rel: string) => join(project.root, ...rel.split('/'));
    const app = ['shop/views.py', 'shop/models.py', 'shop/contests.py', 'shop/testing_utils.py', 'shop/management/helpers.py', 'shop/commands/run.py', 'latest/views.py', 'shop/api/views.py'];
    const notApp = [
      'shop/tests.py', 'shop/test_views.py', 'shop/views_test.py', 'shop/views_tests.py', 'conftest.py', 'manage.py', 'proj/wsgi.py', 'proj/asgi.py', 'setup.py',
      'shop/tests/views.py', 'shop/test/views.py', 'shop/migrations/0001_initial.py', 'shop/management/commands/load.py', 'a/management/b/management/commands/c.py',
      'docs/conf.py', 'build/lib/shop/views.py', 'node_modules/x/y.py', '.venv/lib/site.py', 'shop/views.txt', 'proj/settings.py',
    ];
    for (const rel of app) assert.equal(isAppFile(project, at(rel)), true, rel);
    for (const rel of notApp) assert.equal(isAppFile(project, at(rel)), false, rel);
    // Asked again (the answers are kept per project): the same.
    for (const rel of [...app, ...notApp]) assert.equal(isAppFile(project, at(rel)), app.includes(rel), rel);
    assert.equal(isAppFile(project, join(project.root, '..', 'elsewhere', 'views.py')), false);
  } finally {
    analyzer.dispose();
  }
});
