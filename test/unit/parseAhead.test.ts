// Parsing ahead on a worker thread (parsing/parseAhead.ts) must change nothing but who parses:
// the findings with the worker equal those without, and the worker's trees are really used.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ParserPool } from '../../server/src/engine/parsing/documents';
import { ParseAhead } from '../../server/src/engine/parsing/parseAhead';
import { ParseCache } from '../../server/src/engine/parsing/parseCache';
import { PythonSources } from '../../server/src/engine/project/sources';
import { DiskFileSystem, walkFiles } from '../../server/src/engine/workspace';
import { analyzeDir, REPO_ROOT, writeProject } from '../helpers/engine';

function generatedProject(): string {
  const files: Record<string, string> = {
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
    'proj/__init__.py': '',
    'proj/settings.py': 'DEBUG = False\nSECRET_KEY = "x"\nINSTALLED_APPS = ["django.contrib.admin"]\nROOT_URLCONF = "proj.urls"\n',
    'proj/urls.py': 'from django.urls import include, path\n\nurlpatterns = [\n' + Array.from({ length: 30 }, (_, i) => `    path("a${i}/", include("app${i}.urls")),\n`).join('') + ']\n',
  };
  for (let i = 0; i < 30; i++) {
    files[`app${i}/__init__.py`] = '';
    files[`app${i}/urls.py`] = 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path("hook/", views.hook), path("login/", views.login_view)]\n';
    files[`app${i}/views.py`] = [
      'from django.db import connection',
      'from django.utils.safestring import mark_safe',
      'from django.views.decorators.csrf import csrf_exempt',
      '',
      '',
      '@csrf_exempt',
      'def hook(request):',
      `    with connection.cursor() as c:`,
      `        c.execute(f"SELECT * FROM t WHERE id = {request.GET['id']}")`,
      '    return mark_safe(f"<b>{request.GET[\'q\']}</b>")',
      '',
      '',
      'def login_view(request):',
      '    return None',
      '',
    ].join('\n');
  }
  return writeProject(files);
}

test('findings are the same with and without the parse worker, and the worker parses', async () => {
  for (const dir of [generatedProject(), join(REPO_ROOT, 'example')]) {
    const withWorker = await analyzeDir(dir, { parseAhead: true });
    const without = await analyzeDir(dir, { parseAhead: false });
    try {
      assert.deepEqual(withWorker.findings, without.findings, dir);
      assert.ok((withWorker.analyzer.parseAheadCounts?.fromWorker ?? 0) + (withWorker.analyzer.parseAheadCounts?.byMain ?? 0) > 0, `${dir}: the worker was given files`);
      assert.equal(without.analyzer.parseAheadCounts, undefined);
    } finally {
      withWorker.analyzer.dispose();
      without.analyzer.dispose();
    }
  }
});

test('the worker hands over trees equal to the main thread parsing them itself', async () => {
  const pool = await ParserPool.create(['python']);
  const texts = [readFileSync(join(REPO_ROOT, 'example/shop/settings.py'), 'utf8'), 'def f(:\n    x = [1, 2\n', 'X = "é😀"\n', ''];
  const ahead = ParseAhead.start(texts.map((text, i) => ({ path: `/virtual/${i}.py`, text })))!;
  assert.ok(ahead, 'the worker script is found next to the build');
  try {
    const deadline = Date.now() + 20_000;
    while (!ahead.settled() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(ahead.settled());
    for (const [i, text] of texts.entries()) {
      const flat = ahead.take(`/virtual/${i}.py`, text);
      assert.ok(flat, `tree ${i} from the worker`);
      assert.equal(pool.fromFlat('python', text, flat).rootNode.toString(), pool.parse('python', text).rootNode.toString());
    }
    assert.equal(ahead.take('/virtual/0.py', texts[0]!), undefined, 'a tree is handed over once');
    assert.deepEqual({ ...ahead.counts, waitedMs: 0 }, { fromWorker: texts.length, byMain: 0, waitedMs: 0 });
  } finally {
    ahead.dispose();
    pool.dispose();
  }
});

test('a text the worker has not started is left to the main thread', async () => {
  const texts = Array.from({ length: 200 }, (_, i) => `X${i} = ${i}\n`.repeat(2000));
  const ahead = ParseAhead.start(texts.map((text, i) => ({ path: `/virtual/${i}.py`, text })))!;
  try {
    // The last of 200 large texts: the worker, just starting, cannot have reached it.
    assert.equal(ahead.take('/virtual/199.py', texts[199]!), undefined);
    assert.equal(ahead.counts.byMain, 1);
    // A text that changed since it was handed to the worker is never taken from it.
    assert.equal(ahead.take('/virtual/0.py', 'X = 1\n'), undefined);
  } finally {
    ahead.dispose();
  }
});

test('trees the worker parsed go into the parse cache: the next run parses nothing and starts no worker', async () => {
  const dir = generatedProject();
  const cacheDir = mkdtempSync(join(tmpdir(), 'djr-pack-'));
  const fs = new DiskFileSystem();
  const files = walkFiles(fs, dir)
    .filter((p) => p.endsWith('.py'))
    .map((path) => ({ path, text: fs.readFile(path)! }));
  // A first run whose every tree comes from the worker (it is done before anything is asked).
  const pool = await ParserPool.create(['python']);
  const sources = new PythonSources(fs, pool);
  const first = ParseCache.open(cacheDir, dir, 'test-grammar');
  sources.cache = first;
  const ahead = ParseAhead.start(files)!;
  sources.ahead = ahead;
  while (!ahead.settled()) await new Promise((r) => setTimeout(r, 10));
  for (const f of files) sources.get(f.path);
  assert.equal(ahead.counts.fromWorker, files.length);
  ahead.dispose();
  first.close();
  // The next run finds every tree in the pack.
  const parseCache = ParseCache.open(cacheDir, dir, 'test-grammar');
  const cached = await analyzeDir(dir, { parseAhead: true, parseCache });
  const plain = await analyzeDir(dir, { parseAhead: false });
  try {
    assert.equal(cached.analyzer.parseAheadCounts, undefined, 'no worker');
    assert.equal(parseCache.counts.misses, 0);
    assert.ok(parseCache.counts.hits > 30);
    assert.deepEqual(cached.findings, plain.findings);
  } finally {
    cached.analyzer.dispose();
    plain.analyzer.dispose();
    parseCache.close();
  }
});
