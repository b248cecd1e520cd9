import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSettings } from '../helpers/engine';

test('a literal DEBUG = True is reported with W018', async () => {
  const { analyzer, findings } = await analyzeSettings('DEBUG = True\n');
  const debug = findings.find((f) => f.code === 'DJ-SEC-001');
  assert.ok(debug);
  assert.deepEqual(debug.djangoChecks, ['security.W018']);
  assert.equal(debug.severity, 'error');
  assert.deepEqual(debug.range, { start: { line: 0, character: 8 }, end: { line: 0, character: 12 } });
  analyzer.dispose();
});
