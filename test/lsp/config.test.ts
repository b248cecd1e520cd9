// workspace/configuration and didChangeConfiguration: severity overrides, enable, exclude, run.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { writeProject } from '../helpers/engine';
import { LspTestClient, PROJECT_FILES, assertCodes, codes, uriOf } from './harness';

async function startProject(t: { after(fn: () => void): void }, config: Record<string, unknown> = { debounceMs: 0 }) {
  const dir = writeProject(PROJECT_FILES);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const client = await LspTestClient.start({ folders: [dir], config });
  t.after(() => client.kill());
  const base = join(dir, 'proj/settings/base.py');
  const production = join(dir, 'proj/settings/production.py');
  await client.diagnosticsFor(uriOf(production), (d) => d.length > 0);
  await client.diagnosticsFor(uriOf(base), (d) => d.length > 0);
  return { dir, client, base, production };
}

test('rules.severity "off" through didChangeConfiguration removes the diagnostic; other overrides change severity', async (t) => {
  const { client, base } = await startProject(t);
  await client.open(base);
  const next = client.nextDiagnostics(uriOf(base), (d) => !codes(d).includes('DJ-SEC-001'));
  await client.changeConfiguration({ debounceMs: 0, rules: { severity: { 'DJ-SEC-001': 'off', 'DJ-SEC-027': 'error', 'csrf-middleware-missing': 'hint', 'DJ-SEC-999': 'loud' } } });
  const ds = await next;
  assertCodes(ds, ['DJ-SEC-027', 'DJ-SEC-037'], ['DJ-SEC-001']);
  assert.equal(ds.find((d) => d.code === 'DJ-SEC-027')!.severity, 1);
  assert.ok(client.logs.some((l) => l.includes('rules.severity.DJ-SEC-999')), 'an invalid value is reported');
  // Back on.
  const back = client.nextDiagnostics(uriOf(base), (d) => codes(d).includes('DJ-SEC-001'));
  await client.changeConfiguration({ debounceMs: 0 });
  await back;
  assert.equal(await client.shutdown(), 0);
});

test('enable: false clears every published file; true brings them back', async (t) => {
  const { client, base, production } = await startProject(t);
  const clearedBase = client.nextDiagnostics(uriOf(base), (d) => d.length === 0);
  const clearedProd = client.nextDiagnostics(uriOf(production), (d) => d.length === 0);
  const status = client.nextStatus((s) => s.findings === 0);
  await client.changeConfiguration({ debounceMs: 0, enable: false });
  await Promise.all([clearedBase, clearedProd, status]);
  const back = client.nextDiagnostics(uriOf(production), (d) => d.length > 0);
  await client.changeConfiguration({ debounceMs: 0, enable: true });
  await back;
  assert.equal(await client.shutdown(), 0);
});

test('exclude hides the findings of excluded files', async (t) => {
  const { client, base } = await startProject(t);
  const cleared = client.nextDiagnostics(uriOf(base), (d) => d.length === 0);
  await client.changeConfiguration({ debounceMs: 0, exclude: ['**/base.py'] });
  await cleared;
  assert.equal(await client.shutdown(), 0);
});

test('settingsModule and djangoVersion reach the analyzer', async (t) => {
  const dir = writeProject({ ...PROJECT_FILES, 'proj/settings/staging.py': 'from .base import *\nDEBUG = False\n' });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const client = await LspTestClient.start({ folders: [dir], config: { debounceMs: 0, settingsModule: 'proj.settings.staging', djangoVersion: '4.2' } });
  t.after(() => client.kill());
  const staging = uriOf(join(dir, 'proj/settings/staging.py'));
  const ds = await client.diagnosticsFor(staging, (d) => d.length > 0);
  assert.ok(codes(ds).includes('DJ-SEC-006'));
  // DEBUG is False in staging: DJ-SEC-001 is not reported in base.py.
  assert.ok(!codes(client.diagnostics.get(uriOf(join(dir, 'proj/settings/base.py')))?.diagnostics ?? []).includes('DJ-SEC-001'));
  assert.ok(client.logs.some((l) => l.includes('Django 4.2')), client.logs.join('\n'));
  assert.equal(await client.shutdown(), 0);
});

test('run: onSave analyses on save, not on type', async (t) => {
  const { client, base } = await startProject(t, { debounceMs: 0, run: 'onSave' });
  const opened = client.nextDiagnostics(uriOf(base));
  await client.open(base);
  await opened;
  const count = client.publishCounts.get(uriOf(base));
  await client.change(base, [{ range: { start: { line: 3, character: 8 }, end: { line: 3, character: 12 } }, text: 'False' }]);
  // A request round-trip: the server has handled the change by the time it answers.
  await client.codeActions(base, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, []);
  assert.equal(client.publishCounts.get(uriOf(base)), count, 'nothing published while typing');
  const saved = client.nextDiagnostics(uriOf(base), (d) => !codes(d).includes('DJ-SEC-001'));
  await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri: uriOf(base) } });
  await saved;
  assert.equal(await client.shutdown(), 0);
});
