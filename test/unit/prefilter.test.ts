// The analysis skips files that cannot matter with cheap text pre-checks (does a module mention
// csrf, urlpatterns, sentry_sdk, a package a rule knows?) and resolves routed views only when a
// rule could care. Issue 8's condition for such shortcuts: no rule loses a finding. Every fixture
// is analysed with the pre-checks on and off, and the findings must be the same.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Analyzer, type AnalyzerOptions } from '../../server/src/engine/analyzer';
import { prefilters } from '../../server/src/engine/textMemo';
import type { Finding } from '../../server/src/engine/types';
import { FIXTURES, REPO_ROOT, writeProject } from '../helpers/engine';

// Fixes by title and edited ranges: some generate a fresh secret key each time.
const fixSummary = (f: Finding) => f.fixes.map((x) => `${x.title}@${x.edits.map((e) => `${e.file}:${e.range.start.line}:${e.range.start.character}`).join(',')}`).join(';');
const summary = (findings: Finding[]) => findings.map((f) => `${f.file}:${f.range.start.line}:${f.range.start.character} ${f.code} ${f.severity} ${f.message} fixes=${fixSummary(f)}`).join('\n');

async function findings(root: string, options: AnalyzerOptions, enabled: boolean): Promise<string> {
  prefilters.enabled = enabled;
  const analyzer = await Analyzer.create(root, options);
  try {
    return summary(analyzer.analyze().findings);
  } finally {
    analyzer.dispose();
    prefilters.enabled = true;
  }
}

/** Every workspace the test suites analyse: rule fixtures (modules and project folders), the differential fixtures, the example. */
function workspaces(): { root: string; options: AnalyzerOptions }[] {
  const out: { root: string; options: AnalyzerOptions }[] = [{ root: join(REPO_ROOT, 'example'), options: {} }];
  const rules = join(FIXTURES, 'rules');
  for (const id of readdirSync(rules)) {
    for (const kind of ['fires', 'passes']) {
      const dir = join(rules, id, kind);
      if (existsSync(dir) && statSync(dir).isDirectory()) {
        const optionsFile = join(dir, '.djr.json');
        const raw = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as { settings?: string }) : {};
        out.push({ root: dir, options: { settingsOverride: raw.settings } });
      } else if (existsSync(`${dir}.py`)) {
        out.push({ root: writeProject({ 'settings.py': readFileSync(`${dir}.py`, 'utf8') }), options: { settingsOverride: 'settings.py', djangoVersion: { major: 5, minor: 2, source: 'test' } } });
      }
    }
  }
  const differential = join(FIXTURES, 'differential');
  for (const c of JSON.parse(readFileSync(join(differential, 'cases.json'), 'utf8')) as { name: string; settings: string }[]) {
    out.push({ root: join(differential, c.name), options: { settingsOverride: c.settings } });
  }
  return out;
}

test('pre-checks change no finding on any fixture', async () => {
  const all = workspaces();
  assert.ok(all.length > 300, `${all.length} workspaces`);
  let withFindings = 0;
  for (const { root, options } of all) {
    const fast = await findings(root, options, true);
    const full = await findings(root, options, false);
    if (fast !== full) {
      const a = fast.split('\n');
      const b = full.split('\n');
      const k = a.findIndex((l, i) => l !== b[i]);
      assert.fail(`${root}: ${a.length} findings with pre-checks, ${b.length} without; first difference:\n  with:    ${a[k]?.slice(0, 300)}\n  without: ${b[k]?.slice(0, 300)}`);
    }
    if (fast) withFindings++;
  }
  assert.ok(withFindings > 200);
});

test('calls whose function text hides its name (comments, continuations, brackets) are found with the pre-checks as without', async () => {
  const fixture = join(FIXTURES, 'rules/DJ-VIEW-007/fires');
  const files: Record<string, string> = {};
  for (const rel of ['manage.py', 'proj/__init__.py', 'proj/settings.py', 'proj/urls.py', 'app/__init__.py', 'app/models.py']) files[rel] = readFileSync(join(fixture, rel), 'utf8');
  files['app/helpers.py'] = 'from django.views.decorators.csrf import csrf_exempt as skip\nfrom django.utils import safestring\n';
  files['app/views.py'] = [
    'from django.db import connection',
    'from django.http import HttpResponse',
    'from django.utils.safestring import mark_safe',
    'from django.views.decorators import csrf',
    'from . import helpers',
    '',
    '',
    'def search(request):',
    '    with connection.cursor() as cursor:',
    '        cursor.  # the cursor',
    '            execute(f"SELECT * FROM t WHERE a = {request.GET[\'a\']}")',
    '        cursor.\\',
    '            execute("SELECT * FROM t WHERE b = " + request.GET["b"])',
    '        (cursor.execute)("SELECT * FROM t WHERE c = %s" % request.GET["c"])',
    '        return cursor.fetchall()',
    '',
    '',
    'def page(request):',
    '    a = helpers.safestring.\\',
    '        mark_safe(f"<b>{request.GET[\'a\']}</b>")',
    '    b = helpers.safestring  .  mark_safe(f"<i>{request.GET[\'b\']}</i>")',
    '    c = (mark_safe  # unescaped',
    '         )(f"<u>{request.GET[\'c\']}</u>")',
    '    return HttpResponse(a + b + c)',
    '',
    '',
    'def hook(request):',
    '    return HttpResponse("ok")',
    '',
    '',
    'hook_a = csrf.  # exempt',
    '    csrf_exempt(hook)',
    'hook_b = helpers.\\',
    '    skip(hook)',
    'hook_c = helpers . skip(hook)',
    '',
  ].join('\n');
  files['app/urls.py'] = 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path("s/", views.search), path("p/", views.page), path("a/", views.hook_a), path("b/", views.hook_b), path("c/", views.hook_c)]\n';
  const root = writeProject(files);
  const fast = await findings(root, {}, true);
  const full = await findings(root, {}, false);
  assert.equal(fast, full);
  const count = (code: string) => fast.split('\n').filter((l) => l.includes(` ${code} `)).length;
  assert.ok(count('DJ-VIEW-007') >= 2, fast);
  assert.ok(count('DJ-VIEW-009') >= 2, fast);
  assert.ok(count('DJ-VIEW-001') >= 3, fast);
});
