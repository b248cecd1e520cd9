// Code actions over the protocol: quick fixes of the finding a diagnostic shows (computed on
// request), the disable actions, the source.fixAll action and the djangoReadiness.fixAll command.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { writeProject } from '../helpers/engine';
import { FAST_CONFIG, LspTestClient, PROJECT_FILES, applyTextEdits, assertCodes, codes, editsByUri, uriOf } from './harness';

async function startProject(t: { after(fn: () => void): void }) {
  const dir = writeProject(PROJECT_FILES);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const client = await LspTestClient.start({ folders: [dir], config: FAST_CONFIG });
  t.after(() => client.kill());
  const base = join(dir, 'proj/settings/base.py');
  const production = join(dir, 'proj/settings/production.py');
  await client.diagnosticsFor(uriOf(production), (d) => d.length > 0);
  const opened = client.nextDiagnostics(uriOf(base));
  const status = client.nextStatus();
  await client.open(base);
  const baseDiagnostics = await opened;
  await status;
  return { dir, client, base, production, baseDiagnostics };
}

const find = (ds: Diagnostic[], code: string) => {
  const d = ds.find((x) => x.code === code);
  assert.ok(d, `${code} in ${codes(ds).join()}`);
  return d;
};

/** Applies a code action's WorkspaceEdit as the editor would: opening files it edits, then didChange. */
async function apply(client: LspTestClient, action: CodeAction): Promise<void> {
  for (const [uri, { edits }] of editsByUri(action.edit)) {
    const path = fileURLToPath(uri);
    if (client.version(path) === undefined) await client.open(path);
    await client.applyEdits(path, edits);
  }
}

test('a diagnostic gets its fixes (first safe one preferred) and the two disable actions', async (t) => {
  const { client, base, production, baseDiagnostics } = await startProject(t);
  const debug = find(baseDiagnostics, 'DJ-SEC-001');
  const actions = await client.codeActions(base, debug.range, [debug]);
  const titles = actions.map((a) => a.title);
  assert.match(titles[0]!, /^django-readiness \(DJ-SEC-001\): Read DEBUG from DJANGO_DEBUG/);
  assert.equal(actions[0]!.isPreferred, true);
  assert.equal(actions[0]!.kind, 'quickfix');
  assert.deepEqual(actions[0]!.diagnostics, [debug]);
  assert.equal(actions.filter((a) => a.isPreferred).length, 1);
  assert.deepEqual(titles.slice(-2), ['Disable DJ-SEC-001 for this line', 'Disable DJ-SEC-001 for this file']);
  // The fix edits production.py (not open: version null), through versioned documentChanges.
  const edits = editsByUri(actions[0]!.edit);
  assert.deepEqual([...edits.keys()], [uriOf(production)]);
  assert.equal(edits.get(uriOf(production))!.version, null);
  // Disable for this line: a trailing comment on line 3.
  const line = editsByUri(actions.at(-2)!.edit).get(uriOf(base))!;
  assert.equal(line.version, 1);
  assert.equal(applyTextEdits(client.text(base), line.edits).split('\n')[3], 'DEBUG = True  # django-readiness: ignore[DJ-SEC-001]');
  // Disable for this file: a directive on the first line.
  const file = editsByUri(actions.at(-1)!.edit).get(uriOf(base))!;
  assert.equal(applyTextEdits(client.text(base), file.edits).split('\n')[0], '# django-readiness: ignore-file[DJ-SEC-001]');
  // Only code actions of the kinds asked for.
  assert.deepEqual(await client.codeActions(base, debug.range, [debug], ['refactor']), []);
  assert.equal(await client.shutdown(), 0);
});

test('applying the preferred quick fix (a cross-file edit) clears the diagnostic', async (t) => {
  const { client, base, baseDiagnostics } = await startProject(t);
  const debug = find(baseDiagnostics, 'DJ-SEC-001');
  const [fix] = await client.codeActions(base, debug.range, [debug]);
  const cleared = client.nextDiagnostics(uriOf(base), (d) => !codes(d).includes('DJ-SEC-001'), 'DJ-SEC-001 fixed');
  await apply(client, fix!);
  assertCodes(await cleared, ['DJ-SEC-027', 'DJ-SEC-037'], ['DJ-SEC-001']);
  assert.ok(!client.logs.some((l) => l.includes('diverged')), 'the incremental reparse kept up');
  assert.equal(await client.shutdown(), 0);
});

test('disable for this line, twice on one line, merges into one directive', async (t) => {
  const { client, base, baseDiagnostics } = await startProject(t);
  const xframe = find(baseDiagnostics, 'DJ-SEC-027');
  const actions = await client.codeActions(base, xframe.range, [xframe]);
  const disable = actions.find((a) => a.title === 'Disable DJ-SEC-027 for this line');
  assert.ok(disable);
  const first = client.nextDiagnostics(uriOf(base), (d) => !codes(d).includes('DJ-SEC-027'));
  await apply(client, disable);
  const after = await first;
  assert.equal(client.text(base).split('\n')[0], 'MIDDLEWARE = [  # django-readiness: ignore[DJ-SEC-027]');
  const csrf = find(after, 'DJ-SEC-037');
  const second = (await client.codeActions(base, csrf.range, [csrf])).find((a) => a.title === 'Disable DJ-SEC-037 for this line');
  assert.ok(second);
  const both = client.nextDiagnostics(uriOf(base), (d) => !codes(d).includes('DJ-SEC-037'));
  await apply(client, second);
  assertCodes(await both, ['DJ-SEC-001'], ['DJ-SEC-027', 'DJ-SEC-037']);
  assert.equal(client.text(base).split('\n')[0], 'MIDDLEWARE = [  # django-readiness: ignore[DJ-SEC-027, DJ-SEC-037]');
  assert.equal(await client.shutdown(), 0);
});

test('disable for this file inserts a file directive the engine honours', async (t) => {
  const { client, production } = await startProject(t);
  const ds = client.diagnostics.get(uriOf(production))!.diagnostics;
  const secret = find(ds, 'DJ-SEC-006');
  await client.open(production);
  const actions = await client.codeActions(production, secret.range, [secret]);
  const disable = actions.find((a) => a.title === 'Disable DJ-SEC-006 for this file');
  assert.ok(disable);
  const next = client.nextDiagnostics(uriOf(production), (d) => !codes(d).includes('DJ-SEC-006'));
  await apply(client, disable);
  assertCodes(await next, ['DJ-SEC-013', 'DJ-SEC-018', 'DJ-SEC-022'], ['DJ-SEC-006']);
  assert.equal(client.text(production), '# django-readiness: ignore-file[DJ-SEC-006]\nfrom .base import *\n');
  assert.equal(await client.shutdown(), 0);
});

test('source.fixAll.djangoReadiness returns the project-wide edit and leaves the analysis untouched', async (t) => {
  const { client, base, production, baseDiagnostics } = await startProject(t);
  const lineEnd = { line: 0, character: 0 };
  // Quick fixes are not returned when only source.fixAll is asked for, and vice versa.
  const actions = await client.codeActions(base, { start: lineEnd, end: lineEnd }, baseDiagnostics, ['source.fixAll.djangoReadiness']);
  assert.equal(actions.length, 1);
  const [fixAll] = actions;
  assert.equal(fixAll!.kind, 'source.fixAll.djangoReadiness');
  assert.equal(fixAll!.title, 'django-readiness: Fix all safe problems');
  const edits = editsByUri(fixAll!.edit);
  assert.ok(edits.has(uriOf(base)) && edits.has(uriOf(production)), [...edits.keys()].join());
  assert.equal(edits.get(uriOf(base))!.version, 1, 'the open document is pinned to its version');
  assert.equal(edits.get(uriOf(production))!.version, null);
  const newBase = applyTextEdits(client.text(base), edits.get(uriOf(base))!.edits);
  assert.match(newBase, /XFrameOptionsMiddleware/);
  assert.match(newBase, /CsrfViewMiddleware/);
  const newProduction = applyTextEdits(readFileSync(production, 'utf8'), edits.get(uriOf(production))!.edits);
  assert.match(newProduction, /^from \.base import \*\n/);
  assert.match(newProduction, /SECRET_KEY = /);
  assert.match(newProduction, /^DEBUG = /m);
  // Parent kinds ask for it too; the lightbulb (no `only`) does not get it.
  assert.equal((await client.codeActions(base, { start: lineEnd, end: lineEnd }, [], ['source'])).length, 1);
  assert.ok((await client.codeActions(base, { start: lineEnd, end: lineEnd }, baseDiagnostics)).every((a) => a.kind === 'quickfix'));

  // The analyzer must not believe the fixes were made: an unrelated edit still shows every finding.
  const before = codes(client.diagnostics.get(uriOf(base))!.diagnostics);
  const total = client.statuses.at(-1)!.findings;
  const stillThere = client.nextDiagnostics(uriOf(base));
  const status = client.nextStatus();
  await client.change(base, [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: '# a comment\n' }]);
  assert.deepEqual(codes(await stillThere), before);
  assertCodes(client.diagnostics.get(uriOf(base))!.diagnostics, ['DJ-SEC-001', 'DJ-SEC-027', 'DJ-SEC-037']);
  assert.equal((await status).findings, total);
  assert.equal(await client.shutdown(), 0);
});

test('executeCommand djangoReadiness.fixAll sends workspace/applyEdit; applying it clears base.py', async (t) => {
  const { client, base, production } = await startProject(t);
  const result = await client.executeCommand('djangoReadiness.fixAll', [uriOf(base)]);
  assert.deepEqual(result, { applied: true });
  assert.equal(client.appliedEdits.length, 1);
  const applied = client.appliedEdits[0]!;
  assert.equal(applied.label, 'django-readiness: fix all');
  const edits = editsByUri(applied.edit);
  assert.ok(edits.has(uriOf(base)) && edits.has(uriOf(production)), [...edits.keys()].join());
  // Play the editor's part: the edits come back as document changes.
  const fixed = ['DJ-SEC-001', 'DJ-SEC-027', 'DJ-SEC-037'];
  const cleared = client.nextDiagnostics(uriOf(base), (d) => fixed.every((c) => !codes(d).includes(c)), 'base.py without its fixable findings');
  await apply(client, { title: 'fix all', edit: applied.edit });
  await cleared;
  // Without a URI argument the command does nothing (and says so in the log).
  assert.deepEqual(await client.executeCommand('djangoReadiness.fixAll', []), { applied: false });
  assert.equal(client.appliedEdits.length, 1);
  assert.equal(await client.shutdown(), 0);
});

test('djangoReadiness.reanalyze rebuilds the analysis and republishes', async (t) => {
  const { client, base, production } = await startProject(t);
  const republished = client.nextDiagnostics(uriOf(production));
  const total = client.statuses.at(-1)!.findings;
  const status = client.nextStatus();
  assert.deepEqual(await client.executeCommand('djangoReadiness.reanalyze', []), { folders: 1 });
  await republished;
  assert.equal((await status).findings, total);
  // The open buffer survives the rebuild.
  const next = client.nextDiagnostics(uriOf(base), (d) => !codes(d).includes('DJ-SEC-001'));
  await client.change(base, [{ range: { start: { line: 3, character: 8 }, end: { line: 3, character: 12 } }, text: 'False' }]);
  await next;
  assert.equal(await client.shutdown(), 0);
});

test('a handler that throws is logged and the server keeps serving', async (t) => {
  const { client, base, baseDiagnostics } = await startProject(t);
  const debug = find(baseDiagnostics, 'DJ-SEC-001');
  const broken = { ...debug, range: null };
  assert.deepEqual(await client.codeActions(base, debug.range, [broken as unknown as Diagnostic]), []);
  assert.ok(client.logs.some((l) => l.includes('codeAction failed')), client.logs.join('\n'));
  assert.equal(await client.executeCommand('djangoReadiness.noSuchCommand', []), null);
  const actions = await client.codeActions(base, debug.range, [debug]);
  assert.ok(actions.length >= 3);
  assert.equal(await client.shutdown(), 0);
});

test('after an edit elsewhere in the module, a reused finding offers its fix against the new text; a diagnostic of an older version offers none', async (t) => {
  const { client, base, baseDiagnostics } = await startProject(t);
  // A diagnostic whose preferred fix edits base.py itself (open, so the edit is versioned).
  let own: Diagnostic | undefined;
  for (const d of baseDiagnostics) {
    const [first] = await client.codeActions(base, d.range, [d]);
    if (first?.isPreferred && editsByUri(first.edit).has(uriOf(base))) own = d;
  }
  assert.ok(own, `a diagnostic whose fix edits base.py among ${codes(baseDiagnostics).join()}`);
  for (const text of ['\n# a comment\n', '\nEXTRA = 1\n', '']) {
    const lines = client.text(base).split('\n');
    const end = { line: lines.length - 1, character: lines[lines.length - 1]!.length };
    const republished = client.nextDiagnostics(uriOf(base));
    if (text) await client.change(base, [{ range: { start: end, end }, text }]);
    else await client.change(base, [{ range: { start: { line: end.line - 4, character: lines[end.line - 4]!.length }, end }, text: '' }]);
    const now = await republished;
    const same: Diagnostic | undefined = now.find((d) => d.code === own.code && d.message === own.message);
    assert.ok(same, `${own.code} still reported`);
    const actions = await client.codeActions(base, same.range, [same]);
    assert.ok(actions.length > 2, `${own.code} still offers its fix after the edit: ${actions.map((a) => a.title).join(' | ')}`);
    const edit = editsByUri(actions[0]!.edit).get(uriOf(base))!;
    assert.equal(edit.version, client.version(base), 'computed against the current version');
    for (const e of edit.edits) assert.ok(e.range.end.line < client.text(base).split('\n').length, 'the edit is inside the current text');
  }
  // Applied, the last one clears the finding.
  const [fix] = await client.codeActions(base, own.range, [client.diagnostics.get(uriOf(base))!.diagnostics.find((d) => d.code === own.code && d.message === own.message)!]);
  const cleared = client.nextDiagnostics(uriOf(base), (d) => !d.some((x) => x.code === own.code && x.message === own.message), `${own.code} fixed`);
  await apply(client, fix!);
  await cleared;
  // A line added at the top moves every finding: the old diagnostics name ranges of no current
  // finding, so they get the disable actions only (the client asks again with the new ones).
  const stale = client.diagnostics.get(uriOf(base))!.diagnostics[0]!;
  const moved = client.nextDiagnostics(uriOf(base));
  await client.change(base, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# top\n' }]);
  await moved;
  const old = await client.codeActions(base, stale.range, [stale]);
  assert.deepEqual(old.map((a) => a.title), [`Disable ${stale.code} for this line`, `Disable ${stale.code} for this file`]);
  assert.equal(await client.shutdown(), 0);
});
