import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSettings } from '../helpers/engine';

const codes = async (text: string) => {
  const { analyzer, findings } = await analyzeSettings(text);
  analyzer.dispose();
  return findings.map((f) => f.code);
};

test('inline ignore on the line or the line above, by id or name; file-level ignore; noqa', async () => {
  assert.ok((await codes('DEBUG = True\n')).includes('DJ-SEC-001'));
  assert.ok(!(await codes('DEBUG = True  # django-readiness: ignore[DJ-SEC-001]\n')).includes('DJ-SEC-001'));
  assert.ok(!(await codes('# django-readiness: ignore[debug-enabled]\nDEBUG = True\n')).includes('DJ-SEC-001'));
  assert.ok(!(await codes('# django-readiness: ignore-file[DJ-SEC-001]\nX = 1\nDEBUG = True\n')).includes('DJ-SEC-001'));
  assert.ok(!(await codes('DEBUG = True  # noqa: DJ-SEC-001\n')).includes('DJ-SEC-001'));
  // An ignore for another rule does not hide this one, and a trailing comment two lines up does not count.
  assert.ok((await codes('DEBUG = True  # django-readiness: ignore[DJ-SEC-006]\n')).includes('DJ-SEC-001'));
  assert.ok((await codes('X = 1  # django-readiness: ignore[DJ-SEC-001]\nDEBUG = True\n')).includes('DJ-SEC-001'));
});

test('SILENCED_SYSTEM_CHECKS silences the rule mirroring that check', async () => {
  const mw = 'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n';
  assert.ok((await codes(mw)).includes('DJ-SEC-018'));
  assert.ok(!(await codes(mw + 'SILENCED_SYSTEM_CHECKS = ["security.W008"]\n')).includes('DJ-SEC-018'));
});

test('a directive inside a string literal is data, not a suppression', async () => {
  assert.ok((await codes('DEBUG = True; X = "# noqa: DJ-SEC-001"\n')).includes('DJ-SEC-001'));
  assert.ok((await codes('DEBUG = True; X = "# django-readiness: ignore[DJ-SEC-001]"\n')).includes('DJ-SEC-001'));
});
