// Diagnostics over the protocol: fields, incremental edits, cross-file republishing, close and
// watched-file events.
import assert from 'node:assert/strict';
import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeProject } from '../helpers/engine';
import { FAST_CONFIG, LspTestClient, PROJECT_FILES, assertCodes, codes, editsByUri, uriOf } from './harness';

async function startProject(t: { after(fn: () => void): void }, files = PROJECT_FILES) {
  const dir = writeProject(files);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const client = await LspTestClient.start({ folders: [dir], config: FAST_CONFIG });
  t.after(() => client.kill());
  const base = join(dir, 'proj/settings/base.py');
  const production = join(dir, 'proj/settings/production.py');
  // Wait for the startup scan before anything else.
  await client.diagnosticsFor(uriOf(production), (d) => d.length > 0);
  await client.diagnosticsFor(uriOf(base), (d) => d.length > 0);
  return { dir, client, base, production };
}

test('didOpen publishes versioned diagnostics with code, range, source, docs link, message and data', async (t) => {
  const { client, base } = await startProject(t);
  const published = client.nextDiagnostics(uriOf(base));
  await client.open(base);
  const ds = await published;
  assert.equal(client.diagnostics.get(uriOf(base))!.version, 1);
  const debug = ds.find((d) => d.code === 'DJ-SEC-001');
  assert.ok(debug);
  assert.deepEqual(debug.range, { start: { line: 3, character: 8 }, end: { line: 3, character: 12 } });
  assert.equal(debug.source, 'django-readiness');
  assert.equal(debug.severity, 1);
  assert.deepEqual(debug.codeDescription, { href: 'https://github.com/django-readiness/django-readiness/blob/main/docs/rules/DJ-SEC-001.md' });
  assert.match(String(debug.message), /^DEBUG is True .* \[security\.W018\]$/);
  // The rule and its checks travel with the diagnostic; the fixes are computed when asked for.
  assert.deepEqual(debug.data, { ruleId: 'DJ-SEC-001', djangoChecks: ['security.W018'] });
  const [preferred] = await client.codeActions(base, debug.range, [debug]);
  assert.ok(preferred?.isPreferred);
  assert.deepEqual([...editsByUri(preferred.edit).keys()].map((u) => u.split('/').pop()), ['production.py'], 'the DEBUG fix overrides it in the production module');
  assert.equal(await client.shutdown(), 0);
});

test('an incremental didChange (True → False) removes DJ-SEC-001', async (t) => {
  const { client, base } = await startProject(t);
  await client.open(base);
  const next = client.nextDiagnostics(uriOf(base), (d) => !codes(d).includes('DJ-SEC-001'));
  // Replace the 4 characters of `True`.
  await client.change(base, [{ range: { start: { line: 3, character: 8 }, end: { line: 3, character: 12 } }, text: 'False' }]);
  assertCodes(await next, ['DJ-SEC-027', 'DJ-SEC-037'], ['DJ-SEC-001']);
  assert.equal(client.diagnostics.get(uriOf(base))!.version, 2);
  // And back: typing it again brings the finding back.
  const again = client.nextDiagnostics(uriOf(base), (d) => codes(d).includes('DJ-SEC-001'));
  await client.change(base, [{ range: { start: { line: 3, character: 8 }, end: { line: 3, character: 13 } }, text: 'True' }]);
  const ds = await again;
  assert.deepEqual(ds.find((d) => d.code === 'DJ-SEC-001')!.range, { start: { line: 3, character: 8 }, end: { line: 3, character: 12 } });
  assert.equal(await client.shutdown(), 0);
});

test('several incremental changes in one didChange apply in order (LSP semantics)', async (t) => {
  const { client, base } = await startProject(t);
  await client.open(base);
  const next = client.nextDiagnostics(uriOf(base), (d) => codes(d).includes('DJ-SEC-001') && d.find((x) => x.code === 'DJ-SEC-001')!.range.start.line === 5);
  await client.change(base, [
    // Two comment lines at the top (DEBUG moves from line 3 to 5)...
    { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# one\n# two\n' },
    // ...then, against that result, `True` (now on line 5) becomes `False`...
    { range: { start: { line: 5, character: 8 }, end: { line: 5, character: 12 } }, text: 'False' },
    // ...and back to `True`, with its range taken from the text after the previous change.
    { range: { start: { line: 5, character: 8 }, end: { line: 5, character: 13 } }, text: 'True' },
  ]);
  const ds = await next;
  assert.deepEqual(ds.find((d) => d.code === 'DJ-SEC-001')!.range, { start: { line: 5, character: 8 }, end: { line: 5, character: 12 } });
  assert.equal(client.text(base), '# one\n# two\nMIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n]\nDEBUG = True\n');
  assert.ok(!client.logs.some((l) => l.includes('diverged')), client.logs.join('\n'));
  assert.equal(await client.shutdown(), 0);
});

test('cross-file: editing base.py republishes production.py (HSTS set in base removes DJ-SEC-022)', async (t) => {
  const { client, base, production } = await startProject(t);
  assert.ok(codes(client.diagnostics.get(uriOf(production))!.diagnostics).includes('DJ-SEC-022'));
  await client.open(base);
  const prod = client.nextDiagnostics(uriOf(production), (d) => !codes(d).includes('DJ-SEC-022'), 'production.py without DJ-SEC-022');
  const status = client.nextStatus();
  await client.change(base, [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: 'SECURE_HSTS_SECONDS = 3600\n' }]);
  const ds = await prod;
  assert.ok(!codes(ds).includes('DJ-SEC-022'));
  // HSTS on: the follow-up HSTS checks now apply.
  assert.ok(codes(ds).includes('DJ-SEC-023'), codes(ds).join());
  assert.equal(client.diagnostics.get(uriOf(production))!.version, undefined, 'production.py is not open');
  await status;
  // Deleting the line again restores DJ-SEC-022.
  const back = client.nextDiagnostics(uriOf(production), (d) => codes(d).includes('DJ-SEC-022'));
  await client.change(base, [{ range: { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } }, text: '' }]);
  await back;
  assert.equal(await client.shutdown(), 0);
});

test('didClose returns to the file on disk and drops the version', async (t) => {
  const { client, base } = await startProject(t);
  await client.open(base);
  const fixed = client.nextDiagnostics(uriOf(base), (d) => !codes(d).includes('DJ-SEC-001'));
  await client.change(base, [{ range: { start: { line: 3, character: 8 }, end: { line: 3, character: 12 } }, text: 'False' }]);
  await fixed;
  // The unsaved edit is discarded: the disk still says True.
  const reverted = client.nextDiagnostics(uriOf(base), (d) => codes(d).includes('DJ-SEC-001'));
  await client.close(base);
  await reverted;
  assert.equal(client.diagnostics.get(uriOf(base))!.version, undefined);
  assert.equal(await client.shutdown(), 0);
});

test('didChangeWatchedFiles: a change on disk is picked up and republished', async (t) => {
  const { client, production } = await startProject(t);
  appendFileSync(production, 'SECURE_HSTS_SECONDS = 3600\n');
  const next = client.nextDiagnostics(uriOf(production), (d) => !codes(d).includes('DJ-SEC-022'));
  await client.filesChanged([{ uri: uriOf(production), type: 2 }]);
  const ds = await next;
  assert.ok(codes(ds).includes('DJ-SEC-023'));
  assert.equal(await client.shutdown(), 0);
});

test('findings of a file that was never opened go away when base.py sets what was missing', async (t) => {
  const { client, base, production } = await startProject(t);
  await client.open(base);
  // Set everything production.py was missing in base.py at once. (The empty publish for a file
  // left without findings is covered by the enable/exclude tests in config.test.ts.)
  const gone = ['DJ-SEC-006', 'DJ-SEC-013', 'DJ-SEC-018', 'DJ-SEC-022'];
  const cleared = client.nextDiagnostics(uriOf(production), (d) => gone.every((c) => !codes(d).includes(c)), 'production.py without its missing-setting findings');
  await client.change(base, [
    {
      range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } },
      text: [
        'import os',
        'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
        'ALLOWED_HOSTS = ["example.com"]',
        'SECURE_SSL_REDIRECT = True',
        'SECURE_HSTS_SECONDS = 31536000',
        'SECURE_HSTS_INCLUDE_SUBDOMAINS = True',
        'SECURE_HSTS_PRELOAD = True',
        '',
      ].join('\n'),
    },
  ]);
  await cleared;
  assert.equal(await client.shutdown(), 0);
});

test('a non-Python document is forwarded without breaking anything', async (t) => {
  const { client, dir, base } = await startProject(t);
  const req = join(dir, 'requirements.txt');
  const published = client.nextDiagnostics(uriOf(req));
  await client.open(req, 'pip-requirements', 'Django==4.2.11\n');
  assert.deepEqual(await published, []);
  await client.change(req, [{ range: { start: { line: 0, character: 8 }, end: { line: 0, character: 14 } }, text: '5.2.1' }]);
  // The server is still answering and Python analysis still works.
  await client.open(base);
  const next = client.nextDiagnostics(uriOf(base), (d) => !codes(d).includes('DJ-SEC-001'));
  await client.change(base, [{ range: { start: { line: 3, character: 8 }, end: { line: 3, character: 12 } }, text: 'False' }]);
  await next;
  assert.equal(await client.shutdown(), 0);
});
