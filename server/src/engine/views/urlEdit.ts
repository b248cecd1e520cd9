// Edits on urls modules: add an entry to urlpatterns, move entries under `if settings.DEBUG:`.
import type { SyntaxNode } from '../parsing/syntax';
import type { TextEdit } from '../types';
import { listInsertEdits } from './dictEdit';
import type { PyModule } from './imports';
import { endOfText } from '../parsing/lines';
import { lineIndent, named, unparen } from './py';
import { lineAt } from '../parsing/lines';

/** The first module-level `urlpatterns = [...]` and its list. */
export function urlpatternsList(mod: PyModule): { stmt: SyntaxNode; list: SyntaxNode } | undefined {
  for (const stmt of named(mod.root)) {
    if (stmt.type !== 'expression_statement') continue;
    const a = stmt.namedChildren[0];
    if (a?.type !== 'assignment' || a.childForFieldName('left')?.text !== 'urlpatterns') continue;
    const right = a.childForFieldName('right');
    if (!right) continue;
    const r = unparen(right);
    if (r.type === 'list') return { stmt, list: r };
    if (r.type === 'binary_operator') {
      const left = unparen(r.childForFieldName('left')!);
      if (left.type === 'list') return { stmt, list: left };
    }
    return undefined;
  }
  return undefined;
}

/** The first module-level statement assigning urlpatterns (what findings about the module point at). */
export function urlpatternsStatement(mod: PyModule): SyntaxNode | undefined {
  for (const stmt of named(mod.root)) {
    const a = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : undefined;
    if (a?.type === 'assignment' && a.childForFieldName('left')?.text === 'urlpatterns') return stmt;
  }
  return undefined;
}

/** Add `entry` (a `path(...)` call) to the module's urlpatterns. */
export function addUrlPatternEdits(mod: PyModule, entry: string): TextEdit[] {
  const found = urlpatternsList(mod);
  if (found && found.list.startPosition.row !== found.list.endPosition.row) return listInsertEdits(mod.path, mod.text, found.list, entry);
  const end = endOfText(mod.text);
  const prefix = mod.text.length === 0 || mod.text.endsWith('\n') ? '' : '\n';
  return [{ file: mod.path, range: { start: end, end }, newText: `${prefix}urlpatterns += [${entry}]\n` }];
}

/** Wrap a whole module-level statement in `if <settingsExpr>.DEBUG:`. */
export function wrapStatementInDebugEdit(mod: PyModule, stmt: SyntaxNode, settingsExpr: string): TextEdit {
  const indent = lineIndent(mod.text, stmt.startPosition.row);
  const lines = mod.text.split('\n').slice(stmt.startPosition.row, stmt.endPosition.row + 1);
  const body = lines.map((l) => (l.trim() === '' ? l : '    ' + l)).join('\n');
  return {
    file: mod.path,
    range: { start: { line: stmt.startPosition.row, character: 0 }, end: { line: stmt.endPosition.row, character: (lineAt(mod.text, stmt.endPosition.row) ?? '').length } },
    newText: `${indent}if ${settingsExpr}.DEBUG:\n${body}`,
  };
}
