/// <reference types="mocha" />
// Configuration changes and cross-file updates, in a real VS Code. Named to run after the other
// suites: it edits the workspace copy and puts every file back when it is done.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, waitForDiagnostics } from './helpers';

const SOURCE = 'django-readiness';
const TIMEOUT = 30_000;

function uri(rel: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder');
  return vscode.Uri.joinPath(folder.uri, ...rel.split('/'));
}

const has = (code: string) => (ds: readonly vscode.Diagnostic[]) => ds.some((d) => d.source === SOURCE && codeOf(d) === code);
const hasNot = (code: string) => (ds: readonly vscode.Diagnostic[]) => !has(code)(ds);

async function writeFile(rel: string, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri(rel), Buffer.from(text, 'utf8'));
}

suite('configuration and cross-file updates', () => {
  const config = () => vscode.workspace.getConfiguration('djangoReadiness', uri('shop/settings.py'));

  test('a severity override of "off" removes a rule, and clearing it brings the rule back', async () => {
    await waitForDiagnostics(uri('shop/settings.py'), has('DJ-SEC-001'), TIMEOUT, 'DJ-SEC-001');
    await config().update('rules.severity', { 'DJ-SEC-001': 'off' }, vscode.ConfigurationTarget.Workspace);
    try {
      await waitForDiagnostics(uri('shop/settings.py'), hasNot('DJ-SEC-001'), TIMEOUT, 'DJ-SEC-001 to disappear');
    } finally {
      await config().update('rules.severity', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitForDiagnostics(uri('shop/settings.py'), has('DJ-SEC-001'), TIMEOUT, 'DJ-SEC-001 to come back');
  });

  test('an exclude glob removes the findings of the files it matches', async () => {
    await waitForDiagnostics(uri('accounts/views.py'), has('DJ-VIEW-003'), TIMEOUT, 'DJ-VIEW-003');
    await config().update('exclude', ['accounts/**'], vscode.ConfigurationTarget.Workspace);
    try {
      await waitForDiagnostics(uri('accounts/views.py'), hasNot('DJ-VIEW-003'), TIMEOUT, 'DJ-VIEW-003 to disappear');
    } finally {
      await config().update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitForDiagnostics(uri('accounts/views.py'), has('DJ-VIEW-003'), TIMEOUT, 'DJ-VIEW-003 to come back');
  });

  test('editing a setting updates the diagnostics of a module that star-imports it', async () => {
    const wsgi = uri('shop/wsgi.py');
    const original = Buffer.from(await vscode.workspace.fs.readFile(wsgi)).toString('utf8');
    const production = 'shop/settings_production.py';
    // Production now loads a module that star-imports shop/settings.py.
    await writeFile(production, 'from .settings import *  # noqa\n\nDEBUG = False\n');
    await writeFile('shop/wsgi.py', original.replace('"shop.settings"', '"shop.settings_production"'));
    try {
      await waitForDiagnostics(uri(production), has('DJ-OPS-014'), TIMEOUT, 'DJ-OPS-014 (no shared cache) in the star-importing module');
      const doc = await vscode.workspace.openTextDocument(uri('shop/settings.py'));
      await vscode.window.showTextDocument(doc);
      const edit = new vscode.WorkspaceEdit();
      edit.insert(doc.uri, new vscode.Position(doc.lineCount, 0), '\nCACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://cache:6379/0"}}\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitForDiagnostics(uri(production), hasNot('DJ-OPS-014'), TIMEOUT, 'DJ-OPS-014 to disappear after the edit in shop/settings.py');
      await vscode.commands.executeCommand('undo');
      await waitForDiagnostics(uri(production), has('DJ-OPS-014'), TIMEOUT, 'DJ-OPS-014 to come back after undo');
      await doc.save();
    } finally {
      await writeFile('shop/wsgi.py', original);
      await vscode.workspace.fs.delete(uri(production));
    }
    await waitForDiagnostics(uri('shop/settings.py'), has('DJ-SEC-001'), TIMEOUT, 'the original project model back');
  });
});
