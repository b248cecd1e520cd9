// Code actions from our diagnostics: each engine fix as a quick fix (the first safe one preferred),
// then "Disable <ID> for this line" and "Disable <ID> for this file". The fixes are those of the
// finding the diagnostic was made of, computed now (`fixesFor`); the suppression edits come from
// the document's current text.
import type { CodeAction, Diagnostic, TextEdit as LspTextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { disableFileEdit, disableLineEdit } from '../engine/fixes/suppressionEdits';
import type { Fix, TextEdit } from '../engine/types';
import { SOURCE } from '../protocol';
import { diagnosticData } from './diagnostics';

// Required, not imported: see server.ts.
const { CodeActionKind, CreateFile, TextDocumentEdit } = require('vscode-languageserver') as typeof import('vscode-languageserver');

export interface EditContext {
  uriOf(path: string): string;
  /** The open document's version, or null when the file is not open. */
  versionOf(path: string): number | null;
  /** The client accepts `documentChanges` (versioned edits). */
  documentChanges: boolean;
  /** The client accepts `create` resource operations in `documentChanges`. */
  createFiles?: boolean;
  /** Whether the file exists (open or on disk); a fix may add a file (a new requirements.txt). */
  exists?(path: string): boolean;
}

/** Whether a request's `context.only` asks for actions of `kind` (kinds are dotted hierarchies). */
export function wantsKind(kind: string, only: string[] | undefined): boolean {
  if (!only || only.length === 0) return true;
  return only.some((o) => kind === o || kind.startsWith(o + '.'));
}

/**
 * Engine edits (absolute paths) → a WorkspaceEdit. Edits of one file keep their order, which
 * decides the result of several insertions at one position. `pinned` holds the document versions
 * the edits were computed against; an editor refuses to apply them to a newer version.
 */
export function toWorkspaceEdit(edits: TextEdit[], ctx: EditContext, pinned?: Record<string, number>): WorkspaceEdit {
  const byFile = new Map<string, LspTextEdit[]>();
  for (const e of edits) {
    const list = byFile.get(e.file) ?? [];
    list.push({ range: e.range, newText: e.newText });
    byFile.set(e.file, list);
  }
  if (ctx.documentChanges) {
    const documentChanges: NonNullable<WorkspaceEdit['documentChanges']> = [];
    for (const [file, list] of byFile) {
      const current = ctx.versionOf(file);
      const version = current === null ? null : (pinned?.[file] ?? current);
      const uri = ctx.uriOf(file);
      if (current === null && ctx.createFiles && ctx.exists && !ctx.exists(file)) documentChanges.push(CreateFile.create(uri, { ignoreIfExists: true }));
      documentChanges.push(TextDocumentEdit.create({ uri, version }, list));
    }
    return { documentChanges };
  }
  const changes: Record<string, LspTextEdit[]> = {};
  for (const [file, list] of byFile) changes[ctx.uriOf(file)] = list;
  return { changes };
}

export interface CodeActionInput {
  /** The document the request is for. */
  path: string;
  /** Its current text (suppression comments are placed against it). */
  text: string;
  diagnostics: Diagnostic[];
  only?: string[];
  /**
   * The fixes of the finding a diagnostic shows, against the documents' current versions; none
   * when the diagnostic is not one of the current analysis (its document changed since).
   */
  fixesFor(diagnostic: Diagnostic, ruleId: string): Fix[];
}

export function quickFixActions(input: CodeActionInput, ctx: EditContext): CodeAction[] {
  if (!wantsKind(CodeActionKind.QuickFix, input.only)) return [];
  const fixes: CodeAction[] = [];
  const disables: CodeAction[] = [];
  const seen = new Set<string>();
  for (const diagnostic of input.diagnostics) {
    const data = diagnosticData(diagnostic);
    if (!data) continue;
    const id = data.ruleId;
    const offered = input.fixesFor(diagnostic, id);
    const preferred = offered.find((f) => f.safe);
    for (const fix of offered) {
      if (fix.edits.length === 0) continue;
      const action: CodeAction = {
        title: `${SOURCE} (${id}): ${fix.title}${fix.safe ? '' : ' (unsafe)'}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: toWorkspaceEdit(fix.edits, ctx),
      };
      if (fix === preferred) action.isPreferred = true;
      fixes.push(action);
    }
    const line = diagnostic.range.start.line;
    const lineKey = `line:${id}:${line}`;
    if (!seen.has(lineKey)) {
      seen.add(lineKey);
      const edit = disableLineEdit(input.path, input.text, line, id);
      if (edit) disables.push({ title: `Disable ${id} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: toWorkspaceEdit([edit], ctx) });
    }
    const fileKey = `file:${id}`;
    if (!seen.has(fileKey)) {
      seen.add(fileKey);
      const edit = disableFileEdit(input.path, input.text, id);
      if (edit) disables.push({ title: `Disable ${id} for this file`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: toWorkspaceEdit([edit], ctx) });
    }
  }
  // Line disables first, then file disables, after every fix.
  disables.sort((a, b) => Number(a.title.endsWith('this file')) - Number(b.title.endsWith('this file')));
  return [...fixes, ...disables];
}
