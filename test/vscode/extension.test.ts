/// <reference types="mocha" />
// Extension-host tests: a real VS Code (1.100.x) with the extension loaded, driven only through
// the public `vscode` API. What is expected comes from expectations.json next to this file.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import expectations from './expectations.json';
import { codeOf, until, waitForDiagnostics } from './helpers';

interface CodeActionExpectation {
  fixTitleIncludes?: string;
  disableTitle?: string;
  applyPreferred?: boolean;
}
interface DiagnosticExpectation {
  file: string;
  code: string;
  line?: number;
  match?: string;
  severity?: 'error' | 'warning' | 'information' | 'hint';
  messageIncludes?: string;
  codeActions?: CodeActionExpectation;
}
interface Expectations {
  extensionId: string;
  source: string;
  diagnosticTimeoutMs: number;
  commands: string[];
  diagnostics: DiagnosticExpectation[];
}

const E = expectations as unknown as Expectations;
const TIMEOUT = E.diagnosticTimeoutMs;
const SEVERITY: Record<string, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open (the runner passes one)');
  return folder.uri;
}

function fileUri(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...rel.split('/'));
}

/** The expected 0-based line: `line` if given, else the first line matching `match`. */
function expectedLine(doc: vscode.TextDocument, exp: DiagnosticExpectation): number | undefined {
  if (exp.line !== undefined) return exp.line - 1;
  if (exp.match === undefined) return undefined;
  const re = new RegExp(exp.match);
  for (let i = 0; i < doc.lineCount; i++) if (re.test(doc.lineAt(i).text)) return i;
  assert.fail(`no line of ${exp.file} matches /${exp.match}/`);
}

function ours(ds: readonly vscode.Diagnostic[], code: string, line?: number): vscode.Diagnostic[] {
  return ds.filter((d) => d.source === E.source && codeOf(d) === code && (line === undefined || d.range.start.line === line));
}

suite('django-readiness in VS Code', () => {
  let ext: vscode.Extension<unknown> | undefined;

  test(`extension ${E.extensionId} is present and activates`, async () => {
    ext = vscode.extensions.getExtension(E.extensionId);
    assert.ok(
      ext,
      `extension ${E.extensionId} not found; loaded: ${vscode.extensions.all
        .map((x) => x.id)
        .filter((id) => !id.startsWith('vscode.'))
        .join(', ')}`,
    );
    await ext.activate();
    assert.equal(ext.isActive, true);
    const mode = process.env.DJR_VSCODE_MODE ?? 'dev';
    const real = (p: string) => fs.realpathSync(p);
    if (mode === 'vsix') {
      const dir = process.env.DJR_VSCODE_EXTENSIONS_DIR;
      assert.ok(dir, 'DJR_VSCODE_EXTENSIONS_DIR is not set');
      const rel = path.relative(real(dir), real(ext.extensionPath));
      assert.ok(
        rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel),
        `extension runs from ${ext.extensionPath}, not from the installed .vsix in ${dir}`,
      );
    } else if (process.env.DJR_VSCODE_EXTENSION_ROOT) {
      assert.equal(real(ext.extensionPath), real(process.env.DJR_VSCODE_EXTENSION_ROOT));
    }
  });

  for (const exp of E.diagnostics) {
    const where = `${exp.file}${exp.line !== undefined ? `:${exp.line}` : ''}`;

    suite(`${exp.code} in ${where}`, () => {
      let doc: vscode.TextDocument;
      let line: number | undefined;
      let diagnostic: vscode.Diagnostic;

      suiteSetup(async () => {
        doc = await vscode.workspace.openTextDocument(fileUri(exp.file));
        await vscode.window.showTextDocument(doc);
        line = expectedLine(doc, exp);
      });

      test(`diagnostic ${exp.code} from "${E.source}" at the expected line`, async () => {
        const ds = await waitForDiagnostics(
          doc.uri,
          (all) => ours(all, exp.code, line).length > 0,
          TIMEOUT,
          `${exp.code} (source ${E.source}) at line ${line === undefined ? 'any' : line + 1}`,
        );
        diagnostic = ours(ds, exp.code, line)[0];
        if (exp.severity) assert.equal(diagnostic.severity, SEVERITY[exp.severity], `severity of ${exp.code}`);
        if (exp.messageIncludes) assert.ok(diagnostic.message.includes(exp.messageIncludes), diagnostic.message);
      });

      const ca = exp.codeActions;
      if (!ca) return;
      const fixTitle = ca.fixTitleIncludes ?? exp.code;
      const disableTitle = ca.disableTitle ?? `Disable ${exp.code} for this line`;

      const actionsAt = async (): Promise<vscode.CodeAction[]> => {
        assert.ok(diagnostic, `no ${exp.code} diagnostic (previous test failed)`);
        const all =
          (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
            'vscode.executeCodeActionProvider',
            doc.uri,
            diagnostic.range,
            vscode.CodeActionKind.QuickFix.value,
            100, // resolve up to 100 actions, so lazily resolved edits are present
          )) ?? [];
        // A bare Command has a string `command`; a CodeAction's `command` is optional and an object.
        return all.filter((a): a is vscode.CodeAction => typeof (a as { command?: unknown }).command !== 'string');
      };

      test(`quick fixes for ${exp.code}: "${fixTitle}" and "${disableTitle}"`, async () => {
        const actions = (await actionsAt()).filter((a) => !a.diagnostics || a.diagnostics.some((d) => codeOf(d) === exp.code));
        const titles = actions.map((a) => a.title);
        assert.ok(
          actions.some((a) => a.title.includes(fixTitle) && !a.title.includes(disableTitle)),
          `no quick fix whose title includes "${fixTitle}"; offered: ${JSON.stringify(titles)}`,
        );
        assert.ok(
          titles.some((t) => t.includes(disableTitle)),
          `no "${disableTitle}" action; offered: ${JSON.stringify(titles)}`,
        );
      });

      if (!ca.applyPreferred) return;

      test(`applying the preferred fix for ${exp.code} removes the diagnostic, reverting brings it back`, async () => {
        // Other diagnostics may overlap the range and bring their own preferred fixes: take the one
        // attached to this code.
        const actions = (await actionsAt()).filter((a) =>
          a.diagnostics ? a.diagnostics.some((d) => codeOf(d) === exp.code) : a.title.includes(exp.code),
        );
        const preferred = actions.find((a) => a.isPreferred && a.edit);
        assert.ok(
          preferred,
          `no preferred quick fix with an edit; offered: ${JSON.stringify(
            actions.map((a) => ({ title: a.title, isPreferred: a.isPreferred, hasEdit: !!a.edit })),
          )}`,
        );
        const before = doc.getText();
        try {
          assert.equal(await vscode.workspace.applyEdit(preferred.edit!), true, 'applyEdit returned false');
          if (preferred.command) {
            await vscode.commands.executeCommand(preferred.command.command, ...(preferred.command.arguments ?? []));
          }
          assert.notEqual(doc.getText(), before, 'the fix did not change the document');
          await waitForDiagnostics(
            doc.uri,
            (all) => ours(all, exp.code).length === 0,
            TIMEOUT,
            `${exp.code} to disappear after "${preferred.title}"`,
          );
        } finally {
          // The workspace is a temporary copy, but leave it as found anyway: drop the unsaved edit.
          await vscode.window.showTextDocument(doc);
          await vscode.commands.executeCommand('workbench.action.files.revert');
        }
        assert.equal(doc.isDirty, false, 'document still dirty after revert');
        assert.equal(doc.getText(), before, 'document text differs after revert');
        await waitForDiagnostics(
          doc.uri,
          (all) => ours(all, exp.code, line).length > 0,
          TIMEOUT,
          `${exp.code} to come back after reverting`,
        );
      });
    });
  }

  // Last, so the language client had time to register the server's commands.
  suite('commands', () => {
    test(`commands ${E.commands.join(', ')} are registered`, async () => {
      await until(
        async () => {
          const all = new Set(await vscode.commands.getCommands(true));
          return E.commands.every((c) => all.has(c)) ? true : undefined;
        },
        TIMEOUT,
        `commands ${E.commands.join(', ')}`,
      ).catch(async (e: Error) => {
        const all = new Set(await vscode.commands.getCommands(true));
        throw new Error(`${e.message}; missing: ${E.commands.filter((c) => !all.has(c)).join(', ')}`);
      });
    });
  });
});
