// Handshake, capabilities, the startup workspace scan and a clean shutdown.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { writeProject } from '../helpers/engine';
import { FAST_CONFIG, LspTestClient, PROJECT_FILES, assertCodes, codes, uriOf } from './harness';

test('initialize advertises incremental sync, quick fixes, fix-all and the server commands', async (t) => {
  const dir = writeProject(PROJECT_FILES);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const client = await LspTestClient.start({ folders: [dir], config: FAST_CONFIG });
  t.after(() => client.kill());
  const caps = client.initializeResult.capabilities;
  assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
  assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.djangoReadiness'], resolveProvider: false });
  assert.deepEqual(caps.executeCommandProvider, { commands: ['djangoReadiness.fixAll', 'djangoReadiness.reanalyze'] });
  assert.equal(client.initializeResult.serverInfo?.name, 'django-readiness');
  // The scan has run once production.py (never opened) is published.
  await client.diagnosticsFor(uriOf(join(dir, 'proj/settings/production.py')));
  const watchers = client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles');
  assert.ok(watchers, 'file watchers are registered dynamically');
  assert.deepEqual(
    (watchers.registerOptions as { watchers: { globPattern: string }[] }).watchers.map((w) => w.globPattern),
    ['**/*.py', '**/requirements*.txt', '**/Dockerfile*', '**/*compose*.y*ml', '**/.env*', '**/pyproject.toml', '**/readiness-checklist.md'],
  );
  assert.deepEqual(client.configurationRequests, [uriOf(dir)], 'configuration is read per folder (scopeUri)');
  assert.equal(await client.shutdown(), 0);
});

test('the startup scan publishes findings of files that were never opened, then a status', async (t) => {
  const dir = writeProject(PROJECT_FILES);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const client = await LspTestClient.start({ folders: [dir], config: FAST_CONFIG });
  t.after(() => client.kill());
  const status = client.nextStatus((s) => s.findings > 0);
  const production = await client.diagnosticsFor(uriOf(join(dir, 'proj/settings/production.py')));
  const base = await client.diagnosticsFor(uriOf(join(dir, 'proj/settings/base.py')));
  assertCodes(production, ['DJ-SEC-006', 'DJ-SEC-013', 'DJ-SEC-018', 'DJ-SEC-022']);
  assertCodes(base, ['DJ-SEC-001', 'DJ-SEC-027', 'DJ-SEC-037']);
  // Not open: no version.
  assert.equal(client.diagnostics.get(uriOf(join(dir, 'proj/settings/production.py')))!.version, undefined);
  const s = await status;
  // The status counts what was published.
  const published = [...client.diagnostics.values()].filter((p) => p.diagnostics.length > 0);
  assert.equal(s.findings, published.reduce((n, p) => n + p.diagnostics.length, 0));
  assert.equal(s.files, published.length);
  assert.ok(s.findings >= 7);
  assert.equal(typeof s.analysisMs, 'number');
  assert.ok(s.analysisMs >= 0);
  // Files without findings are not published at all.
  assert.equal(client.diagnostics.has(uriOf(join(dir, 'proj/__init__.py'))), false);
  for (const p of client.diagnostics.values()) assert.ok(p.diagnostics.length > 0, `empty publish for ${p.uri}`);
  assert.equal(await client.shutdown(), 0);
});

test('without a configuration answer the defaults apply (debounced analysis still runs)', async (t) => {
  const dir = writeProject(PROJECT_FILES);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // config undefined: workspace/configuration is left unhandled and fails on the server side.
  const client = await LspTestClient.start({ folders: [dir] });
  t.after(() => client.kill());
  const base = join(dir, 'proj/settings/base.py');
  await client.diagnosticsFor(uriOf(base), (d) => codes(d).includes('DJ-SEC-001'));
  assert.ok(client.logs.some((l) => l.includes('using the defaults')), client.logs.join('\n'));
  await client.open(base);
  const cleared = client.nextDiagnostics(uriOf(base), (d) => !codes(d).includes('DJ-SEC-001'));
  await client.change(base, [{ range: { start: { line: 3, character: 8 }, end: { line: 3, character: 12 } }, text: 'False' }]);
  assertCodes(await cleared, ['DJ-SEC-027', 'DJ-SEC-037'], ['DJ-SEC-001']);
  assert.equal(await client.shutdown(), 0);
});

test('a client without workspace/configuration support gets the defaults and the pushed settings', async (t) => {
  const dir = writeProject(PROJECT_FILES);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const client = await LspTestClient.start({ folders: [dir], capabilities: { workspace: { didChangeConfiguration: {} } } });
  t.after(() => client.kill());
  const base = uriOf(join(dir, 'proj/settings/base.py'));
  await client.diagnosticsFor(base, (d) => codes(d).includes('DJ-SEC-001'));
  assert.deepEqual(client.configurationRequests, []);
  assert.equal(client.registrations.length, 0, 'no dynamic registration without client support');
  // Legacy push: the settings arrive in the notification itself.
  const next = client.nextDiagnostics(base, (d) => !codes(d).includes('DJ-SEC-001'));
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { djangoReadiness: { rules: { severity: { 'DJ-SEC-001': 'off' } } } } });
  assertCodes(await next, ['DJ-SEC-027', 'DJ-SEC-037'], ['DJ-SEC-001']);
  assert.equal(await client.shutdown(), 0);
});

test('multi-root: one analysis per folder, settings read per folder', async (t) => {
  const a = writeProject(PROJECT_FILES);
  t.after(() => rmSync(a, { recursive: true, force: true }));
  const b = writeProject(PROJECT_FILES);
  t.after(() => rmSync(b, { recursive: true, force: true }));
  const client = await LspTestClient.start({
    folders: [a, b],
    config: (scopeUri) => (scopeUri === uriOf(b) ? { debounceMs: 0, rules: { severity: { 'DJ-SEC-001': 'off', 'DJ-SEC-027': 'hint' } } } : FAST_CONFIG),
  });
  t.after(() => client.kill());
  const baseA = await client.diagnosticsFor(uriOf(join(a, 'proj/settings/base.py')));
  const baseB = await client.diagnosticsFor(uriOf(join(b, 'proj/settings/base.py')));
  assertCodes(baseA, ['DJ-SEC-001', 'DJ-SEC-027', 'DJ-SEC-037']);
  assertCodes(baseB, ['DJ-SEC-027', 'DJ-SEC-037'], ['DJ-SEC-001']);
  assert.equal(baseB.find((d) => d.code === 'DJ-SEC-027')!.severity, 4);
  assert.equal(baseA.find((d) => d.code === 'DJ-SEC-027')!.severity, 2);
  assert.deepEqual([...client.configurationRequests].sort(), [uriOf(a), uriOf(b)].sort());
  assert.equal(await client.shutdown(), 0);
});
