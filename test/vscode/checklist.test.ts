/// <reference types="mocha" />
// The readiness checklist view in a real VS Code, through the extension's exported API and its
// commands: the view's data agrees with the diagnostics, categories count right, ticking a manual
// item writes readiness-checklist.md, and fixing an item's finding flips it to passed live.
// Every wait is for an event (the view's onDidChangeChecklist, diagnostics changes), never a sleep.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DjangoReadinessApi } from '../../client/src/extension';
import type { TreeNode } from '../../client/src/checklist/treeModel';
import type { ChecklistItemJson, ProjectChecklist } from '../../server/src/protocol';
import expectations from './expectations.json';
import { codeOf, waitForDiagnostics } from './helpers';

const E = expectations as unknown as { extensionId: string; source: string; diagnosticTimeoutMs: number };
const TIMEOUT = E.diagnosticTimeoutMs;

const items = (l: ProjectChecklist): ChecklistItemJson[] => l.categories.flatMap((c) => c.items);
const itemOf = (lists: readonly ProjectChecklist[], id: string): ChecklistItemJson | undefined => lists.flatMap(items).find((i) => i.id === id);
const flatten = (nodes: readonly TreeNode[]): TreeNode[] => nodes.flatMap((n) => [n, ...flatten(n.children)]);

function describe(lists: readonly ProjectChecklist[]): string {
  return lists.flatMap((l) => items(l).map((i) => `${i.id}=${i.status}${i.checked ? '(ticked)' : ''}`)).join(' ');
}

/**
 * Resolves with the view's checklists once `predicate` holds: checked against a fresh request now,
 * then on every onDidChangeChecklist (which follows the server's checklistChanged notification).
 */
function waitForChecklist(api: DjangoReadinessApi, predicate: (lists: readonly ProjectChecklist[]) => boolean, what: string): Promise<readonly ProjectChecklist[]> {
  return new Promise((resolve, reject) => {
    let last: readonly ProjectChecklist[] = [];
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sub.dispose();
      fn();
    };
    const check = (lists: readonly ProjectChecklist[]) => {
      last = lists;
      if (predicate(lists)) finish(() => resolve(lists));
    };
    const sub = api.onDidChangeChecklist(check);
    const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${TIMEOUT} ms waiting for ${what}; checklist now: ${describe(last)}`))), TIMEOUT);
    api.getChecklist().then(check, (e: unknown) => finish(() => reject(e)));
  });
}

suite('readiness checklist view', () => {
  let api: DjangoReadinessApi;
  let list: ProjectChecklist;
  let rootPath: string;

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<DjangoReadinessApi>(E.extensionId);
    assert.ok(ext, `extension ${E.extensionId} not found`);
    api = await ext.activate();
    assert.ok(typeof api.getChecklist === 'function', 'the API exports getChecklist');
    const lists = await waitForChecklist(api, (l) => l.length === 1 && api.getChecklistViewState().state === 'ready', 'the example project\'s checklist');
    list = lists[0]!;
    rootPath = vscode.Uri.parse(list.rootUri).fsPath;
  });

  test('every failing item\'s findings are exactly the diagnostics of its rules', async () => {
    // The diagnostics are published before the checklist notification; wait until the settings file's are in.
    await waitForDiagnostics(vscode.Uri.file(path.join(rootPath, 'shop', 'settings.py')), (ds) => ds.some((d) => d.source === E.source), TIMEOUT, 'diagnostics of shop/settings.py');
    const diagnostics = vscode.languages
      .getDiagnostics()
      .flatMap(([uri, ds]) => ds.filter((d) => d.source === E.source && d.severity !== vscode.DiagnosticSeverity.Hint).map((d) => ({ uri, d })));
    const nodes = flatten(api.getTreeNodes());
    const failing = items(list).filter((i) => i.status === 'failing');
    assert.ok(failing.length > 0, 'the example has failing items');
    for (const item of failing) {
      const expected = diagnostics
        .filter(({ d }) => item.rules.includes(codeOf(d) ?? ''))
        .map(({ uri, d }) => `${codeOf(d)} ${path.relative(rootPath, uri.fsPath).split(path.sep).join('/')}:${d.range.start.line + 1}`)
        .sort();
      const got = item.findings.map((f) => `${f.code} ${f.file}:${f.line}`).sort();
      assert.deepEqual(got, expected, `findings of ${item.id}`);
      // The tree shows the same findings under the item, each opening its file at the range.
      const node = nodes.find((n) => n.kind === 'item' && n.itemId === item.id);
      assert.ok(node, `tree node of ${item.id}`);
      assert.deepEqual(node.children.map((c) => `${c.code} ${c.label}`).sort(), expected);
      for (const c of node.children) assert.ok(c.open?.range, `${c.id} opens a range`);
    }
    // Passed and unknown items have no diagnostic of their rules (not-applicable ones are not judged).
    for (const item of items(list).filter((i) => i.status === 'passed' || i.status === 'unknown')) {
      assert.equal(diagnostics.filter(({ d }) => item.rules.includes(codeOf(d) ?? '')).length, 0, `${item.id} (${item.status}) has diagnostics`);
    }
  });

  test('categories show passed/applicable and the view its score and failing-items badge', () => {
    const nodes = api.getTreeNodes();
    assert.deepEqual(
      nodes.map((n) => n.label),
      list.categories.map((c) => c.category),
    );
    assert.equal(nodes.length, 10);
    for (const [i, c] of list.categories.entries()) {
      const applicable = c.items.filter((x) => x.status !== 'not-applicable');
      const passed = applicable.filter((x) => x.status === 'passed' || (x.status === 'manual' && x.checked)).length;
      assert.equal(c.applicable, applicable.length, c.category);
      assert.equal(c.passed, passed, c.category);
      assert.equal(nodes[i]!.description, `${passed}/${applicable.length}`, c.category);
      assert.equal(nodes[i]!.children.length, c.items.length, c.category);
    }
    const failing = items(list).filter((x) => x.status === 'failing').length;
    const state = api.getChecklistViewState();
    assert.equal(state.badge?.value, failing);
    assert.equal(state.message, `Readiness ${list.score}% · ${list.passed}/${list.applicable}`);
    const debug = flatten(nodes).find((n) => n.itemId === 'debug-off' && n.kind === 'item');
    assert.equal(debug?.contextValue, 'item-failing-fixable');
    assert.equal(flatten(nodes).find((n) => n.itemId === 'backups')?.contextValue, 'item-manual');
  });

  test('the failing-only filter keeps failing items; showing all brings the rest back', async () => {
    await vscode.commands.executeCommand('djangoReadiness.checklist.showFailingOnly');
    try {
      const shown = flatten(api.getTreeNodes()).filter((n) => n.kind === 'item');
      assert.deepEqual(shown.map((n) => n.itemId).sort(), items(list).filter((i) => i.status === 'failing').map((i) => i.id).sort());
      assert.equal(api.getChecklistViewState().failingOnly, true);
    } finally {
      await vscode.commands.executeCommand('djangoReadiness.checklist.showAll');
    }
    assert.equal(flatten(api.getTreeNodes()).filter((n) => n.kind === 'item').length, items(list).length);
  });

  test('ticking a manual item writes readiness-checklist.md (saved, with date and author); unticking removes it', async () => {
    const manual = path.join(rootPath, 'readiness-checklist.md');
    const config = vscode.workspace.getConfiguration('djangoReadiness', vscode.Uri.file(rootPath));
    await config.update('checklist.author', 'Test Author', vscode.ConfigurationTarget.Workspace);
    try {
      assert.equal(fs.existsSync(manual), false, 'the example has no manual file yet');
      const ticked = waitForChecklist(api, (l) => itemOf(l, 'backups')?.checked === true, 'backups ticked');
      const result = await vscode.commands.executeCommand<{ applied: boolean; changed: boolean }>('djangoReadiness.checklist.tickItem', { root: list.rootUri, id: 'backups' });
      assert.equal(result?.applied, true);
      assert.equal(result?.changed, true);
      const text = fs.readFileSync(manual, 'utf8');
      assert.match(text, /^# Production readiness: manual checks\n/);
      assert.match(text, /^- \[x\] backups: Automated backups run and a restore was tested \(\d{4}-\d{2}-\d{2}, Test Author\)$/m);
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === manual);
      assert.ok(!doc || !doc.isDirty, 'the file is saved');
      const lists = await ticked;
      const backups = itemOf(lists, 'backups')!;
      assert.equal(backups.checkedBy, 'Test Author');
      const node = flatten(api.getTreeNodes()).find((n) => n.kind === 'item' && n.itemId === 'backups');
      assert.equal(node?.checkbox?.checked, true);
      assert.match(node?.description ?? '', /^manual · done \d{4}-\d{2}-\d{2}, Test Author$/);
      // The category counts it as passed.
      const ops = lists[0]!.categories.find((c) => c.category === 'Operations & Recovery')!;
      assert.equal(ops.passed, list.categories.find((c) => c.category === 'Operations & Recovery')!.passed + 1);

      const unticked = waitForChecklist(api, (l) => itemOf(l, 'backups')?.checked === false, 'backups unticked');
      await vscode.commands.executeCommand('djangoReadiness.checklist.untickItem', { root: list.rootUri, id: 'backups' });
      const after = fs.readFileSync(manual, 'utf8');
      assert.doesNotMatch(after, /backups/);
      assert.match(after, /^# Production readiness: manual checks\n/, 'the rest of the file stays');
      await unticked;
    } finally {
      await config.update('checklist.author', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('fixing an item\'s finding flips it to passed without a refresh; restoring the file brings it back', async () => {
    const settings = vscode.Uri.file(path.join(rootPath, 'shop', 'settings.py'));
    const original = fs.readFileSync(settings.fsPath, 'utf8');
    const flipped = waitForChecklist(api, (l) => itemOf(l, 'debug-off')?.status === 'passed', 'debug-off passed');
    const result = await vscode.commands.executeCommand<{ applied: boolean }>('djangoReadiness.checklist.fixItem', { root: list.rootUri, id: 'debug-off' });
    assert.equal(result?.applied, true);
    try {
      const lists = await flipped;
      assert.deepEqual(itemOf(lists, 'debug-off')!.findings, []);
      const node = flatten(api.getTreeNodes()).find((n) => n.kind === 'item' && n.itemId === 'debug-off');
      assert.equal(node?.contextValue, 'item-passed');
      assert.equal(node?.icon.id, 'pass');
      await waitForDiagnostics(settings, (ds) => !ds.some((d) => d.source === E.source && codeOf(d) === 'DJ-SEC-001'), TIMEOUT, 'DJ-SEC-001 gone');
    } finally {
      // Leave the workspace as found for the other suites. Not a revert: the web workbench auto-saves
      // after a second by default, so the fix may already be on disk. Put the text back and save.
      const doc = await vscode.workspace.openTextDocument(settings);
      if (doc.getText() !== original) {
        const edit = new vscode.WorkspaceEdit();
        edit.replace(settings, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
        assert.equal(await vscode.workspace.applyEdit(edit), true, 'restoring shop/settings.py');
      }
      if (doc.isDirty) await doc.save();
    }
    assert.equal(fs.readFileSync(settings.fsPath, 'utf8'), original);
    await waitForChecklist(api, (l) => itemOf(l, 'debug-off')?.status === 'failing', 'debug-off failing again once the file is restored');
    await waitForDiagnostics(settings, (ds) => ds.some((d) => d.source === E.source && codeOf(d) === 'DJ-SEC-001' && d.range.start.line === 14), TIMEOUT, 'DJ-SEC-001 back at line 15');
  });

  test('export writes the Markdown report to a new untitled document', async () => {
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('djangoReadiness.checklist.exportReport');
    assert.ok(doc, 'the command returns the document');
    try {
      assert.equal(doc.isUntitled, true);
      assert.equal(doc.languageId, 'markdown');
      const text = doc.getText();
      assert.match(text, /^# Production readiness: /);
      assert.match(text, /\*\*Score: \d+%\*\*/);
      assert.match(text, /`shop\/settings\.py:\d+` DJ-SEC-001/);
      for (const c of list.categories) assert.ok(text.includes(`## ${c.category} (`), c.category);
    } finally {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});
