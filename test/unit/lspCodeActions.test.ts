// The LSP conversions without a server: findings → diagnostics, diagnostics → code actions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../server/src/engine/types';
import { type EditContext, quickFixActions, toWorkspaceEdit, wantsKind } from '../../server/src/lsp/codeActions';
import { diagnosticData, toDiagnostic } from '../../server/src/lsp/diagnostics';

const P = '/w/proj/settings.py';
const R = '/w/requirements.txt';
const uriOf = (p: string) => `file://${p}`;
const finding = (over: Partial<Finding> = {}): Finding => ({
  code: 'DJ-SEC-001',
  severity: 'error',
  message: 'DEBUG is True',
  file: P,
  range: { start: { line: 1, character: 8 }, end: { line: 1, character: 12 } },
  djangoChecks: ['security.W018'],
  fixes: [
    { title: 'Risky', safe: false, edits: [{ file: P, range: { start: { line: 1, character: 8 }, end: { line: 1, character: 12 } }, newText: 'False' }] },
    { title: 'Read DEBUG from the environment', safe: true, edits: [{ file: P, range: { start: { line: 1, character: 8 }, end: { line: 1, character: 12 } }, newText: 'env()' }] },
  ],
  ...over,
});

test('toDiagnostic carries code, docs link, checks in the message and related information, not the fixes', () => {
  const d = toDiagnostic(finding({ related: [{ location: { file: '/w/proj/base.py', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } }, message: 'set here' }] }), { uriOf });
  assert.equal(d.code, 'DJ-SEC-001');
  assert.equal(d.source, 'django-readiness');
  assert.equal(d.severity, 1);
  assert.equal(d.message, 'DEBUG is True [security.W018]');
  assert.equal(d.codeDescription?.href, 'https://github.com/django-readiness/django-readiness/blob/main/docs/rules/DJ-SEC-001.md');
  assert.deepEqual(d.relatedInformation, [{ location: { uri: 'file:///w/proj/base.py', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } }, message: 'set here' }]);
  assert.deepEqual(diagnosticData(d), { ruleId: 'DJ-SEC-001', djangoChecks: ['security.W018'] });
  assert.deepEqual(Object.keys(d.data as object), ['ruleId', 'djangoChecks'], 'fixes are computed when a code action asks');
  assert.equal(toDiagnostic(finding({ djangoChecks: [] }), { uriOf }).message, 'DEBUG is True');
  assert.equal(diagnosticData({ ...d, source: 'ruff' }), undefined, 'not ours');
});

test('quick fixes: every fix, the first safe one preferred, unsafe ones labelled, then the disables', () => {
  const d = toDiagnostic(finding(), { uriOf });
  const ctx: EditContext = { uriOf, versionOf: () => 3, documentChanges: false };
  const asked: string[] = [];
  const fixesFor = (_: unknown, ruleId: string) => (asked.push(ruleId), finding().fixes);
  const actions = quickFixActions({ path: P, text: 'import os\nDEBUG = True\n', diagnostics: [d, d], fixesFor }, ctx);
  assert.deepEqual(asked, ['DJ-SEC-001', 'DJ-SEC-001']);
  assert.deepEqual(
    actions.map((a) => [a.title, a.isPreferred ?? false]),
    [
      ['django-readiness (DJ-SEC-001): Risky (unsafe)', false],
      ['django-readiness (DJ-SEC-001): Read DEBUG from the environment', true],
      ['django-readiness (DJ-SEC-001): Risky (unsafe)', false],
      ['django-readiness (DJ-SEC-001): Read DEBUG from the environment', true],
      ['Disable DJ-SEC-001 for this line', false],
      ['Disable DJ-SEC-001 for this file', false],
    ],
  );
  assert.deepEqual(actions[4]!.edit, { changes: { [uriOf(P)]: [{ range: { start: { line: 1, character: 12 }, end: { line: 1, character: 12 } }, newText: '  # django-readiness: ignore[DJ-SEC-001]' }] } });
  assert.deepEqual(quickFixActions({ path: P, text: '', diagnostics: [d], only: ['source.fixAll'], fixesFor }, ctx), []);
});

test('a diagnostic whose finding is gone (an older version of the document) gets the disables only', () => {
  const d = toDiagnostic(finding(), { uriOf });
  const ctx: EditContext = { uriOf, versionOf: () => 4, documentChanges: true };
  assert.deepEqual(
    quickFixActions({ path: P, text: 'import os\nDEBUG = True\n', diagnostics: [d], fixesFor: () => [] }, ctx).map((a) => a.title),
    ['Disable DJ-SEC-001 for this line', 'Disable DJ-SEC-001 for this file'],
  );
});

test('workspace edits: versioned documentChanges, pinned versions, and file creation when supported', () => {
  const edits = [
    { file: P, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'a' },
    { file: R, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'whitenoise==6.9.0\n' },
    { file: P, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'b' },
  ];
  const ctx: EditContext = { uriOf, versionOf: (p) => (p === P ? 5 : null), documentChanges: true, createFiles: true, exists: (p) => p === P };
  const we = toWorkspaceEdit(edits, ctx, { [P]: 4 });
  assert.deepEqual(we.documentChanges, [
    { textDocument: { uri: uriOf(P), version: 4 }, edits: [{ range: edits[0]!.range, newText: 'a' }, { range: edits[2]!.range, newText: 'b' }] },
    { kind: 'create', uri: uriOf(R), options: { ignoreIfExists: true } },
    { textDocument: { uri: uriOf(R), version: null }, edits: [{ range: edits[1]!.range, newText: 'whitenoise==6.9.0\n' }] },
  ]);
  const noCreate = toWorkspaceEdit(edits, { ...ctx, createFiles: false });
  assert.equal(noCreate.documentChanges!.length, 2);
});

test('code action kinds are hierarchical', () => {
  assert.ok(wantsKind('quickfix', undefined));
  assert.ok(wantsKind('source.fixAll.djangoReadiness', ['source']));
  assert.ok(wantsKind('source.fixAll.djangoReadiness', ['source.fixAll']));
  assert.ok(!wantsKind('source.fixAll.djangoReadiness', ['source.fix']));
  assert.ok(!wantsKind('quickfix', ['source.fixAll.djangoReadiness']));
});
