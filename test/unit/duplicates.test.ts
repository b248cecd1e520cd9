// A finding reached twice (a list of URL patterns included from both branches of an `if`, as
// graphite-web's urls.py does) is reported once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeDir, writeProject } from '../helpers/engine';

test('URL patterns included from both branches of an if yield their findings once', async () => {
  const dir = writeProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
    'proj/__init__.py': '',
    'proj/settings.py': 'ROOT_URLCONF = "proj.urls"\nURL_PREFIX = ""\nINSTALLED_APPS = ["django.contrib.admin"]\n',
    'proj/urls.py': [
      'from django.conf import settings',
      'from django.contrib import admin',
      'from django.urls import include, path',
      '',
      'app_urls = [path("admin/", admin.site.urls)]',
      '',
      'if settings.URL_PREFIX:',
      '    urlpatterns = [path(settings.URL_PREFIX, include(app_urls))]',
      'else:',
      '    urlpatterns = app_urls',
      '',
    ].join('\n'),
  });
  const { analyzer, findings } = await analyzeDir(dir);
  try {
    const admin = findings.filter((f) => f.code === 'DJ-URL-003');
    assert.equal(admin.length, 1, JSON.stringify(admin.map((f) => f.range)));
  } finally {
    analyzer.dispose();
  }
});
