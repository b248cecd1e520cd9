// A one-shot analysis (the CLI) releases each project's trees and caches once its findings are in.
// That must change nothing but memory: the findings equal those of an analyzer that keeps
// everything, for workspaces of one and of several projects, and the analyzer still answers
// correctly after an edit (it parses again what it released).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeDir, REPO_ROOT, writeProject } from '../helpers/engine';

function project(name: string, secret: string): Record<string, string> {
  return {
    [`${name}/manage.py`]: `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n`,
    [`${name}/requirements.txt`]: 'django==4.2.1\nrequests\n',
    [`${name}/proj/__init__.py`]: '',
    [`${name}/proj/base.py`]: `from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\nINSTALLED_APPS = ["django.contrib.admin", "shop"]\nROOT_URLCONF = "proj.urls"\nMIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddleware"]\n`,
    [`${name}/proj/settings.py`]: `from .base import *\nDEBUG = False\nSECRET_KEY = "${secret}"\nALLOWED_HOSTS = ["*"]\n`,
    [`${name}/proj/urls.py`]: 'from django.urls import path\n\nfrom shop import views\n\nurlpatterns = [path("hook/", views.hook), path("login/", views.login_view)]\n',
    [`${name}/shop/__init__.py`]: '',
    [`${name}/shop/views.py`]: [
      'from django.db import connection',
      'from django.views.decorators.csrf import csrf_exempt',
      '',
      '',
      '@csrf_exempt',
      'def hook(request):',
      '    with connection.cursor() as c:',
      `        c.execute(f"SELECT * FROM t WHERE id = {request.GET['id']}")`,
      '',
      '',
      'def login_view(request):',
      '    return None',
      '',
    ].join('\n'),
  };
}

function example(): string {
  const dir = mkdtempSync(join(tmpdir(), 'djr-example-'));
  cpSync(join(REPO_ROOT, 'example'), dir, { recursive: true });
  return dir;
}

test('a one-shot analysis finds what a kept one does, in one project and in several', async () => {
  const several = writeProject({ ...project('alpha', 'dev-key'), ...project('beta', 'django-insecure-abc') });
  for (const dir of [several, example()]) {
    const kept = await analyzeDir(dir);
    const once = await analyzeDir(dir, { oneShot: true });
    try {
      assert.ok(kept.findings.length > 0, dir);
      assert.deepEqual(once.findings, kept.findings, dir);
      assert.equal(once.analyzer.sources.parsedCount, kept.analyzer.sources.parsedCount, 'released modules still count as parsed');
      assert.equal(once.analyzer.analyze().findings, once.findings, 'the result is kept while nothing changes');
    } finally {
      kept.analyzer.dispose();
      once.analyzer.dispose();
    }
  }
  const kept = await analyzeDir(several);
  const once = await analyzeDir(several, { oneShot: true });
  try {
    // An edit after the release: the released modules are parsed again where needed.
    for (const a of [kept.analyzer, once.analyzer]) {
      a.setDocument(join(several, 'beta/shop/views.py'), 'from django.http import HttpResponse\n\n\ndef hook(request):\n    return HttpResponse("ok")\n');
      a.setDocument(join(several, 'alpha/proj/base.py'), 'INSTALLED_APPS = ["shop"]\nROOT_URLCONF = "proj.urls"\n');
    }
    const after = once.analyzer.analyze().findings;
    assert.deepEqual(after, kept.analyzer.analyze().findings);
    assert.notDeepEqual(after, once.findings, 'the edits changed the findings');
  } finally {
    kept.analyzer.dispose();
    once.analyzer.dispose();
  }
});
