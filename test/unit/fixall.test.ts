import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSettings } from '../helpers/engine';
import { pythonParses } from '../helpers/python';

test('fix all adds each import once and drops the ramp-up comment when HSTS is raised', async () => {
  const { analyzer } = await analyzeSettings(
    'SECRET_KEY = "short"\nDEBUG = True\nALLOWED_HOSTS = []\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.middleware.csrf.CsrfViewMiddleware", "django.middleware.clickjacking.XFrameOptionsMiddleware"]',
  );
  try {
    const changed = analyzer.fixAll();
    const [text] = [...changed.values()];
    assert.ok(text);
    assert.ok(pythonParses(text).ok, text);
    assert.equal(text.match(/^import os$/gm)?.length, 1, text);
    assert.equal(text.match(/^from django\.core\.exceptions import ImproperlyConfigured$/gm)?.length ?? 0, text.includes('ImproperlyConfigured(') ? 1 : 0, text);
    assert.match(text, /^SECURE_HSTS_SECONDS = 31536000$/m, text);
  } finally {
    analyzer.dispose();
  }
});
