// Credential patterns on real-world shapes: placeholder passwords in URLs are templates, not leaks,
// and settings in a tests package are test settings whatever the module is called.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findToken } from '../../server/src/engine/rules/credentials/patterns';
import { analyzeDir, analyzeSettings, writeProject } from '../helpers/engine';

test('a URL whose password is a placeholder is a hint; a real password in it is not', () => {
  for (const url of ['mongodb://user:pass@localhost:27017/', 'postgres://app:password@db.example.com/app', 'redis://:<password>@cache:6379/0', 'amqp://guest:changeme@rabbit//', 'postgres://u:xxxx@h/db']) {
    assert.deepEqual([findToken(url)?.kind, findToken(url)?.severity], ['URL with a placeholder password', 'hint'], url);
  }
  assert.deepEqual([findToken('postgres://app:s3cr3t-Pa55@localhost/app')?.kind, findToken('postgres://app:s3cr3t-Pa55@localhost/app')?.severity], ['development URL with a password', 'warning']);
  assert.equal(findToken('postgres://app:s3cr3t-Pa55@db.example.com/app')?.severity, 'error');
  assert.equal(findToken('postgres://app:${DB_PASSWORD}@db.example.com/app'), undefined);
});

test('DJ-SEC-010 on a placeholder URL is a hint that asks for the real URL from the environment', async () => {
  const { analyzer, findings } = await analyzeSettings('MONGO_DB_URI = "mongodb://user:pass@localhost:27017/"\n');
  try {
    const hits = findings.filter((f) => f.code === 'DJ-SEC-010');
    assert.equal(hits.length, 1);
    assert.equal(hits[0]!.severity, 'hint');
    assert.match(hits[0]!.message, /placeholder password/);
    assert.doesNotMatch(hits[0]!.message, /revoke/);
  } finally {
    analyzer.dispose();
  }
});

test('settings modules in a tests package are test settings: their keys are information', async () => {
  const dir = writeProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
    'proj/__init__.py': '',
    'proj/settings.py': 'import os\nDEBUG = False\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\n',
    'lib/__init__.py': '',
    'lib/test/__init__.py': '',
    'lib/test/settings.py': 'SECRET_KEY = "elj1IWiLoWHgcyYxFVLj7cM5rGOOxWl0"\n',
    'auth/__init__.py': '',
    'auth/tests/__init__.py': '',
    'auth/tests/settings.py': 'SECRET_KEY = "badcafe"\n',
  });
  const { analyzer, findings } = await analyzeDir(dir);
  try {
    const roles = Object.fromEntries(analyzer.projects()[0]!.settingsModules.map((m) => [m.moduleName, m.role]));
    assert.equal(roles['lib.test.settings'], 'test');
    assert.equal(roles['auth.tests.settings'], 'test');
    assert.equal(roles['proj.settings'], 'production');
    const keys = findings.filter((f) => f.code === 'DJ-SEC-004');
    assert.equal(keys.length, 2);
    assert.deepEqual(keys.map((f) => f.severity), ['information', 'information']);
    assert.ok(keys.every((f) => /test settings module/.test(f.message)), keys.map((f) => f.message).join('\n'));
  } finally {
    analyzer.dispose();
  }
});

test('a "local" module the production settings import is production configuration for the credential rules', async () => {
  const dir = writeProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")\n',
    'wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")\n',
    'settings.py': 'DEBUG = False\nALLOWED_HOSTS = ["lists.example.org"]\ntry:\n    from settings_local import *\nexcept ImportError:\n    pass\n',
    'settings_local.py': 'SECRET_KEY = "change-this-on-your-production-server-please-really"\n',
    'dev_settings.py': 'from settings import *\nDEBUG = True\nSECRET_KEY = "dev-only"\n',
  });
  const { analyzer, findings } = await analyzeDir(dir);
  try {
    const keys = findings.filter((f) => f.code === 'DJ-SEC-004');
    const local = keys.find((f) => f.file.endsWith('settings_local.py'));
    assert.ok(local, keys.map((f) => f.file).join(', '));
    assert.equal(local.severity, 'error');
    assert.doesNotMatch(local.message, /dev settings module/);
    // A dev module nothing in production imports stays a dev module.
    assert.equal(keys.find((f) => f.file.endsWith('dev_settings.py'))?.severity, 'information');
  } finally {
    analyzer.dispose();
  }
});
