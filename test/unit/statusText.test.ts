import assert from 'node:assert/strict';
import { test } from 'node:test';
import { statusView } from '../../client/src/statusText';

test('the status bar shows the findings count; the tooltip explains it', () => {
  assert.deepEqual(statusView({ findings: 7, files: 2, analysisMs: 12.4 }), {
    text: '$(checklist) Django: 7',
    tooltip: 'Django Readiness: 7 production-readiness problems in 2 files (last analysis 12 ms).\nClick to open the Problems view.',
  });
  assert.match(statusView({ findings: 1, files: 1, analysisMs: 0 }).tooltip, /1 production-readiness problem in 1 file /);
  assert.match(statusView({ findings: 0, files: 0, analysisMs: 3 }).tooltip, /no production-readiness problems found/);
  assert.equal(statusView(undefined).text, '$(checklist) Django: …');
});
