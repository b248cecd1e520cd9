import assert from 'node:assert/strict';
import { basename, dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { seriesForSpecifier } from '../../server/src/engine/project/djangoVersion';
import { moduleFile } from '../../server/src/engine/project/model';
import { isEnvFileName } from '../../server/src/engine/deploy/envfile';
import { isRequirementsName } from '../../server/src/engine/requirements/model';
import { ParserPool } from '../../server/src/engine/parsing/documents';
import { PythonSources } from '../../server/src/engine/project/sources';
import { ModuleResolver } from '../../server/src/engine/views/imports';
import { baseName, CachingFileSystem, DiskFileSystem, OverlayFileSystem, relativePosix, splitPath, walkFiles } from '../../server/src/engine/workspace';
import { analyzeDir, writeProject } from '../helpers/engine';

const PKG = { 'proj/__init__.py': '', 'proj/settings/__init__.py': '', 'proj/settings/base.py': 'DEBUG = False\n', 'proj/settings/local.py': 'from .base import *\nDEBUG = True\n', 'proj/settings/production.py': 'from .base import *\n' };

test('wsgi.py names the production settings module', async () => {
  const dir = writeProject({
    ...PKG,
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.local")\n',
    'proj/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.production")\n',
  });
  const { analyzer } = await analyzeDir(dir);
  const [project] = analyzer.projects();
  assert.equal(project?.production?.moduleName, 'proj.settings.production');
  assert.match(project!.productionReason, /wsgi\.py/);
  const roles = Object.fromEntries(project!.settingsModules.map((m) => [m.moduleName, m.role]));
  assert.equal(roles['proj.settings.local'], 'dev');
  assert.equal(roles['proj.settings.base'], 'base');
  analyzer.dispose();
});

test('a Dockerfile ENV, compose environment or .env names it when wsgi.py does not', async () => {
  for (const [file, text] of [
    ['Dockerfile', 'FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=proj.settings.production\n'],
    ['docker-compose.yml', 'services:\n  web:\n    environment:\n      - DJANGO_SETTINGS_MODULE=proj.settings.production\n'],
    ['.env', 'DJANGO_SETTINGS_MODULE=proj.settings.production\n'],
  ] as const) {
    const dir = writeProject({ ...PKG, 'proj/settings/staging.py': 'from .base import *\n', 'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.local")\n', [file]: text });
    const { analyzer } = await analyzeDir(dir);
    assert.equal(analyzer.projects()[0]?.production?.moduleName, 'proj.settings.production', file);
    analyzer.dispose();
  }
});

test('a dev-only compose override does not choose production', async () => {
  const dir = writeProject({ ...PKG, 'docker-compose.override.yml': 'services:\n  web:\n    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings.local\n' });
  const { analyzer } = await analyzeDir(dir);
  assert.equal(analyzer.projects()[0]?.production?.moduleName, 'proj.settings.production');
  analyzer.dispose();
});

test('a lone settings.py is production; manage.py pointing at a dev module is not', async () => {
  const dir = writeProject({ 'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n', 'site/__init__.py': '', 'site/settings.py': 'DEBUG = True\n' });
  const { analyzer, findings } = await analyzeDir(dir);
  assert.equal(analyzer.projects()[0]?.production?.moduleName, 'site.settings');
  assert.ok(findings.some((f) => f.code === 'DJ-SEC-001'));
  analyzer.dispose();
});

test('the Django version is read from requirements', async () => {
  const dir = writeProject({ 'settings.py': '', 'manage.py': '', 'requirements/base.txt': 'django>=4.2,<5.0  # LTS\n', 'requirements/dev.txt': '-r base.txt\nDjango==5.1\n' });
  const { analyzer } = await analyzeDir(dir);
  const v = analyzer.projects()[0]!.djangoVersion;
  assert.deepEqual([v.major, v.minor], [4, 2]);
  analyzer.dispose();
});

test('PEP 440 specifiers pick the newest series pip could install', () => {
  const pick = (s: string) => {
    const v = seriesForSpecifier(s, 't');
    return v ? `${v.major}.${v.minor}` : undefined;
  };
  assert.equal(pick('==4.2.11'), '4.2');
  assert.equal(pick('>=4.2,<5.0'), '4.2');
  assert.equal(pick('~=3.2.0'), '3.2');
  assert.equal(pick('~=4.1'), '4.2');
  assert.equal(pick('==5.1.*'), '5.1');
  assert.equal(pick('<4'), '3.2');
  assert.equal(pick('>=5.0,!=5.1.*,<6'), '5.2');
});

test('a file named like settings is a settings module only when its text looks like settings', async () => {
  const dir = writeProject({
    ...PKG,
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.production")\n',
    // A unit test of a settings helper, a management command, a dashboard panel package named
    // "settings" and a plugin's enable file (Horizon): none of them is Django settings.
    'proj/tests/__init__.py': '',
    'proj/tests/test_settings.py': 'import unittest\n\n\nclass SettingsTests(unittest.TestCase):\n    def test_it(self):\n        DEBUG = True\n        self.assertTrue(DEBUG)\n',
    'proj/management/__init__.py': '',
    'proj/management/commands/__init__.py': '',
    'proj/management/commands/migrate_settings.py': 'from django.core.management.base import BaseCommand\n\n\nclass Command(BaseCommand):\n    pass\n',
    'proj/dashboards/__init__.py': '',
    'proj/dashboards/settings/__init__.py': '',
    'proj/dashboards/settings/panel.py': 'PANEL = "password"\nPASSWORD = "not a setting"\n',
    'proj/enabled/_50_settings.py': 'DASHBOARD = "settings"\nADD_INSTALLED_APPS = ["proj.dashboards.settings"]\n',
    // Real test settings named the same way, and a package __init__ that only chooses a module.
    'proj/test_settings.py': 'from proj.settings.base import *\n',
    'proj/ci_settings.py': 'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3"}}\n',
    'proj/settings/__init__.py': 'import os\n\nif os.environ.get("PROD"):\n    from .production import *\n',
  });
  const { analyzer } = await analyzeDir(dir);
  const names = analyzer.projects()[0]!.settingsModules.map((m) => m.moduleName).sort();
  assert.deepEqual(names, ['proj.ci_settings', 'proj.settings', 'proj.settings.base', 'proj.settings.local', 'proj.settings.production', 'proj.test_settings']);
  analyzer.dispose();
});

test('an edit that makes a settings-named file look like settings (or stop) changes the project model', async () => {
  const dir = writeProject({ ...PKG, 'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.production")\n', 'proj/staging_settings.py': '"""Helpers."""\n' });
  const { analyzer } = await analyzeDir(dir);
  const path = join(dir, 'proj/staging_settings.py');
  const listed = () => analyzer.projects()[0]!.settingsModules.some((m) => m.path === path);
  assert.equal(listed(), false);
  analyzer.setDocument(path, '"""Helpers."""\nSECRET_KEY = "abc"\n');
  assert.equal(listed(), true);
  assert.ok(analyzer.analyze().findings.some((f) => f.file === path), 'findings in the module once it is settings');
  analyzer.updateDocument(path, [{ range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, text: '' }], '"""Helpers."""\n');
  assert.equal(listed(), false);
  analyzer.dispose();
});

test('the workspace walk skips dependency folders and gettext catalogs, not Python modules next to them', async () => {
  const dir = writeProject({
    ...PKG,
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.production")\n',
    // Django's conf/locale: a package with a formats module per language, walked.
    'proj/locale/__init__.py': '',
    'proj/locale/fr/LC_MESSAGES/django.po': 'msgid "x"\nmsgstr "y"\n',
    'proj/locale/fr/__init__.py': '',
    'proj/locale/fr/formats.py': 'DATE_FORMAT = "j F Y"\n',
    // An app's gettext catalogs: language folders of a folder that is not a package, not read.
    'app/locale/pt_BR/LC_MESSAGES/django.po': 'msgid "x"\nmsgstr "y"\n',
    'app/locale/sr@latin/LC_MESSAGES/django.mo': '',
    'app/locale/zh_Hans/LC_MESSAGES/django.po': '',
    'app/locale/README.txt': 'Catalogs.\n',
    'app/locale_tools/fr/helpers.py': 'X = 1\n',
    'node_modules/pkg/settings.py': 'DEBUG = True\n',
    '.venv/lib/python3.12/site-packages/django/__init__.py': '',
  });
  const { analyzer } = await analyzeDir(dir);
  const files = analyzer.workspaceFiles().map((f) => f.slice(dir.length + 1).split('\\').join('/'));
  assert.ok(files.includes('proj/locale/fr/formats.py'));
  assert.ok(files.includes('app/locale/README.txt'));
  assert.ok(files.includes('app/locale_tools/fr/helpers.py'));
  const read: string[] = [];
  const disk = new DiskFileSystem();
  walkFiles({ readFile: (p) => disk.readFile(p), isFile: (p) => disk.isFile(p), isDirectory: (p) => disk.isDirectory(p), list: (d) => (read.push(d.slice(dir.length + 1).split('\\').join('/')), disk.list(d)) }, dir);
  assert.ok(read.includes('proj/locale/fr') && read.includes('app/locale'), read.join(' '));
  assert.ok(!read.some((d) => d.startsWith('app/locale/')), read.join(' '));
  assert.ok(files.includes('proj/settings/base.py'));
  assert.ok(!files.some((f) => f.includes('LC_MESSAGES') || f.startsWith('node_modules') || f.startsWith('.venv')), files.join('\n'));
  // Paths are joined the way path.join would: no doubled or trailing separators.
  assert.ok(files.every((f) => !f.includes('//')));
  analyzer.dispose();
});

test('path helpers answer as node:path does, for the paths the engine builds and for unusual ones', () => {
  const paths = ['/w/app/views.py', '/w/.env', '/w/a/.do/app.yaml', '/views.py', '/', '/w/app/', '/w//app/x.py', 'relative/x.py', 'x.py', '/w/app/../x.py', '/w/./x.py'];
  for (const p of paths) {
    assert.deepEqual(splitPath(p), [dirname(p), basename(p)], p);
    assert.equal(baseName(p), basename(p), p);
    for (const root of ['/w', '/w/', '/w/app', '/', '/other']) assert.equal(relativePosix(root, p), relative(root, p).split('\\').join('/'), `${root} ${p}`);
  }
  // A module name found under a root, with plain names and with odd ones (left to path.join).
  const fs = { readFile: () => undefined, isDirectory: () => false, list: () => [], isFile: (p: string) => p === join('/w', 'pkg', 'mod.py') || p === join('/w', 'pkg', 'sub', '__init__.py') };
  assert.equal(moduleFile(fs, ['/w'], 'pkg.mod'), join('/w', 'pkg', 'mod.py'));
  assert.equal(moduleFile(fs, ['/w/'], 'pkg.mod'), join('/w', 'pkg', 'mod.py'));
  assert.equal(moduleFile(fs, ['/other', '/w'], 'pkg.sub'), join('/w', 'pkg', 'sub', '__init__.py'));
  assert.equal(moduleFile(fs, ['/w'], 'pkg..mod'), join('/w', 'pkg', 'mod.py'));
  assert.equal(moduleFile(fs, ['/w'], 'pkg.missing'), undefined);
});

test('module files are found under plain and namespace folders, with and without the walk listings; library names are not', async () => {
  const dir = writeProject({ 'ns/mod.py': 'X = 1\n', 'pkg/__init__.py': '', 'pkg/sub.py': '', 'single.py': '', 'linked/__init__.py': '' });
  const pool = await ParserPool.create(['python']);
  for (const walked of [false, true]) {
    const fs = new CachingFileSystem(new DiskFileSystem());
    if (walked) walkFiles(fs, dir);
    const resolver = new ModuleResolver(new PythonSources(fs, pool), [dir]);
    assert.equal(resolver.moduleFileOf('ns.mod'), join(dir, 'ns', 'mod.py'), `namespace folder, walked ${walked}`);
    assert.equal(resolver.moduleFileOf('pkg'), join(dir, 'pkg', '__init__.py'));
    assert.equal(resolver.moduleFileOf('pkg.sub'), join(dir, 'pkg', 'sub.py'));
    assert.equal(resolver.moduleFileOf('single'), join(dir, 'single.py'));
    assert.equal(resolver.moduleFileOf('django.db.models'), undefined);
    assert.equal(resolver.moduleFileOf('single.attr'), undefined);
    assert.equal(fs.isDirectory(join(dir, 'ns')), true);
    assert.equal(fs.isDirectory(join(dir, 'single.py')), false);
    assert.equal(fs.isDirectory(join(dir, 'missing')), false);
  }
  pool.dispose();
});

test('files asked by folder names from the walk listings answer as isFile on the disk does, after changes and with buffers', async () => {
  const { mkdirSync, rmSync, writeFileSync } = await import('node:fs');
  const dir = writeProject({
    'pkg/__init__.py': '',
    'pkg/sub/__init__.py': '',
    'pkg/sub/mod.py': '',
    'pkg/data.txt': '',
    'ns/deep/er/leaf.py': '',
    'build/gen/__init__.py': '',
    'single.py': '',
    'app/locale/fr/LC_MESSAGES/x.py': '',
  });
  const disk = new DiskFileSystem();
  const names = ['pkg', 'sub', 'mod.py', '__init__.py', 'data.txt', 'ns', 'deep', 'er', 'leaf.py', 'build', 'gen', 'single.py', 'app', 'locale', 'fr', 'LC_MESSAGES', 'x.py', 'new.py', 'missing'];
  // Every path of up to three folders and a name, drawn from the names above.
  const questions: { folders: string[]; name: string }[] = [];
  for (const a of names) for (const b of ['', ...names]) for (const c of ['', ...names]) for (const name of names) {
    const folders = [a, b, c].filter(Boolean);
    if (questions.length < 40_000 && (c === '' || b !== '')) questions.push({ folders, name });
  }
  const check = (fs: CachingFileSystem, label: string) => {
    let answered = 0;
    for (const q of questions) {
      const said = fs.fileUnder(dir, q.folders, q.name);
      if (said === undefined) continue;
      answered++;
      assert.equal(said, disk.isFile(join(dir, ...q.folders, q.name)), `${label}: ${[...q.folders, q.name].join('/')}`);
    }
    return answered;
  };
  const fs = new CachingFileSystem(disk);
  assert.equal(fs.fileUnder(dir, ['pkg'], '__init__.py'), undefined, 'nothing listed yet');
  walkFiles(fs, dir);
  assert.ok(check(fs, 'walked') > questions.length / 2);
  assert.equal(fs.fileUnder(dir, ['pkg', 'sub'], 'mod.py'), true);
  assert.equal(fs.fileUnder(dir, ['build', 'gen'], '__init__.py'), undefined, 'a skipped folder is not known');
  assert.equal(fs.fileUnder(dir, ['app', 'locale', 'fr'], 'x.py'), undefined, 'nor a catalog folder');
  // A file created in a folder, the folder read again as the language server does after a change.
  writeFileSync(join(dir, 'pkg', 'sub', 'new.py'), '');
  mkdirSync(join(dir, 'pkg', 'sub', 'missing'));
  rmSync(join(dir, 'ns', 'deep', 'er', 'leaf.py'));
  for (const p of [join(dir, 'pkg', 'sub', 'new.py'), join(dir, 'pkg', 'sub', 'missing'), join(dir, 'ns', 'deep', 'er', 'leaf.py')]) fs.invalidate(p);
  for (const d of [join(dir, 'pkg', 'sub'), join(dir, 'ns', 'deep', 'er')]) fs.list(d);
  check(fs, 'after changes');
  assert.equal(fs.fileUnder(dir, ['pkg', 'sub'], 'new.py'), true);
  assert.equal(fs.fileUnder(dir, ['ns', 'deep', 'er'], 'leaf.py'), false);
  // The parent of a folder read again still reaches it; a folder read again still reaches the ones in it.
  fs.invalidate(join(dir, 'pkg', 'data.txt'));
  fs.list(join(dir, 'pkg'));
  assert.equal(fs.fileUnder(dir, ['pkg', 'sub'], 'new.py'), true);
  // A buffer for a file that is not on disk.
  const overlay = new OverlayFileSystem(fs);
  overlay.overlays.set(join(dir, 'pkg', 'sub', 'draft.py'), 'X = 1\n');
  assert.equal(overlay.fileUnder(dir, ['pkg', 'sub'], 'draft.py'), true);
  assert.equal(overlay.fileUnder(dir, ['pkg'], 'draft.py'), false);
  assert.equal(overlay.fileUnder(dir, ['pkg', 'sub'], 'mod.py'), true);
  assert.equal(moduleFile(overlay, [dir], 'pkg.sub.draft'), join(dir, 'pkg', 'sub', 'draft.py'));
  assert.equal(moduleFile(overlay, [dir], 'build.gen'), join(dir, 'build', 'gen', '__init__.py'), 'found on disk where no listing tells');
  assert.equal(moduleFile(overlay, [dir], 'ns.deep.er.leaf'), undefined);
});

test('file-name tests with a quick first check answer as their plain definitions over many paths', () => {
  // The definitions before the quick checks were put in front of them.
  const requirementsReference = (path: string) => {
    const name = basename(path);
    return /requirements.*\.(txt|in)$/i.test(name) || /^constraints.*\.txt$/i.test(name) || (basename(dirname(path)) === 'requirements' && /\.(txt|in)$/.test(name));
  };
  const envReference = (path: string) => {
    const name = basename(path);
    if (/^\.env(\..+)?$/.test(name) || /^[\w.-]+\.env$/.test(name)) return true;
    return /(^|\/)\.envs\//.test(dirname(path).split('\\').join('/') + '/');
  };
  const folders = ['/w', '/w/requirements', '/w/.envs', '/w/.envs/.production', '/w/app/.env.d', '/w/REQUIREMENTS', '/w/x.in', '/w/envs'];
  const names = ['requirements.txt', 'REQUIREMENTS.TXT', 'requirements-dev.in', 'Requirements.In', 'base.txt', 'base.TXT', 'prod.in', 'constraints.txt', 'Constraints-2.TXT', 'notes.txt', 'x.in.bak', 'requirements.txt.orig', 'main.in',
    '.env', '.env.production', '.envrc', 'prod.env', 'app.env.example', '.env.example', 'settings.py', 'Dockerfile', 'Procfile', '.django', 'in', 'txt', '.txt', 'a.env.py', 'env', 'requirements'];
  let reqs = 0;
  let envs = 0;
  for (const dir of folders) for (const name of names) {
    const path = `${dir}/${name}`;
    assert.equal(isRequirementsName(path), requirementsReference(path), path);
    assert.equal(isEnvFileName(path), envReference(path), path);
    if (requirementsReference(path)) reqs++;
    if (envReference(path)) envs++;
  }
  assert.ok(reqs > 20 && envs > 20, `${reqs} ${envs}`);
});

test('each file belongs to the deepest project whose root holds it: a sample project in a tests folder owns its files', async () => {
  const dir = writeProject({
    ...PKG,
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.production")\n',
    'proj/views.py': '',
    'tests/sample/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "sample.settings")\n',
    'tests/sample/sample/__init__.py': '',
    'tests/sample/sample/settings.py': 'DEBUG = False\nSECRET_KEY = "x"\n',
    'tests/sample_other.py': '',
    'tests/sample/deeper/nested/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "n.settings")\n',
    'tests/sample/deeper/nested/n/settings.py': 'DEBUG = False\n',
  });
  const { analyzer } = await analyzeDir(dir);
  try {
    const projects = analyzer.projects();
    const owned = (root: string) => {
      const project = projects.find((p) => relativePosix(dir, p.root) === root)!;
      return (analyzer as unknown as { projectFiles(p: typeof project): string[] }).projectFiles(project).map((f) => relativePosix(dir, f));
    };
    const outer = owned('');
    const sample = owned('tests/sample');
    const nested = owned('tests/sample/deeper/nested');
    assert.ok(outer.includes('proj/views.py') && outer.includes('tests/sample_other.py') && outer.includes('manage.py'), outer.join(' '));
    assert.ok(!outer.some((f) => f.startsWith('tests/sample/')), outer.join(' '));
    assert.deepEqual(sample, ['tests/sample/manage.py', 'tests/sample/sample/__init__.py', 'tests/sample/sample/settings.py']);
    assert.deepEqual(nested, ['tests/sample/deeper/nested/manage.py', 'tests/sample/deeper/nested/n/settings.py']);
    // Every file has exactly one owner.
    assert.equal(outer.length + sample.length + nested.length, analyzer.workspaceFiles().length);
  } finally {
    analyzer.dispose();
  }
});
